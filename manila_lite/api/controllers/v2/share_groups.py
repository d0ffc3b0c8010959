"""/share-groups (2.31+, experimental until 2.54 as upstream): create,
list, detail, show, update, delete, and the admin ``reset_status`` and
``force_delete`` actions. The service side is ``share/groups.py``; group
snapshots are not served.

Bodies are checked by hand for upstream's 400 messages; every value is
bounded before it reaches SQL.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.controllers.v2 import common
from manila_lite.api.views import share_groups as views
from manila_lite.common import exceptions
from manila_lite.db import share_groups as group_db

#: Every handler's versions: experimental until 2.54, GA from 2.55.
groups_api = mv.api_version('2.31', '2.54', experimental=True,
                            ga_from='2.55')

#: Bound on the share types one group names.
MAX_SHARE_TYPES = 100


def _api(req):
    return req.share_api.groups


def _bad(msg):
    return exceptions.InvalidInput(reason=msg)


def _text(inner, key):
    value = inner.get(key)
    if value is not None and (not isinstance(value, str)
                              or len(value) > 255):
        raise _bad('%s must be a string of at most 255 characters.' % key)
    return value


def _list(req, *, detail):
    req.authorize('share_group:get_all')
    params = req.params
    filters = {k: params[k] for k in group_db.FILTER_KEYS if k in params}
    if req.version >= mv.GATE_LIKE_FILTERS:
        for key in ('name~', 'description~'):
            if key in params:
                filters[key] = params[key]
    sort_key = params.get('sort_key', 'created_at')
    sort_dir = params.get('sort_dir', 'desc')
    if sort_key not in group_db.SORT_KEYS:
        raise _bad('Wrong sorting key provided - %s.' % sort_key)
    if sort_dir not in ('asc', 'desc'):
        raise _bad('Wrong sorting data provided: sort key is %s'
                   % sort_dir)
    limit, offset = common.pagination(req)
    rows = _api(req).get_all(
        req.ctx, filters=filters, limit=limit, offset=offset,
        sort_key=sort_key, sort_dir=sort_dir,
        all_tenants=bool(common.query_bool(params, 'all_tenants', False)))
    link = common.next_link(req, 'share-groups', len(rows), limit, offset)
    return routing.reply(views.index(req, rows, detail=detail,
                                     next_link=link))


@groups_api
def index(req):
    return _list(req, detail=False)


@groups_api
def detail(req):
    return _list(req, detail=True)


@groups_api
def show(req, share_group_id):
    req.authorize('share_group:get')
    return routing.reply(views.show(req, _api(req).get(req.ctx,
                                                        share_group_id)))


def _inner(req):
    body = common.body_of(req)
    inner = body.get('share_group') if isinstance(body, dict) else None
    if not isinstance(inner, dict):
        raise _bad("'share_group' is missing from the request body.")
    return inner


@groups_api
def create(req):
    req.authorize('share_group:create')
    inner = _inner(req)
    if inner.get('source_share_group_snapshot_id') is not None:
        raise _bad('Share group snapshots are not supported by this '
                   'deployment; omit source_share_group_snapshot_id.')
    share_types = inner.get('share_types')
    if share_types is not None and not (
            isinstance(share_types, list)
            and len(share_types) <= MAX_SHARE_TYPES
            and all(isinstance(t, str) and 0 < len(t) <= 255
                    for t in share_types)):
        raise _bad('share_types must be a list of share type names or '
                   'IDs.')
    group = _api(req).create(
        req.ctx, name=_text(inner, 'name'),
        description=_text(inner, 'description'),
        share_types=share_types,
        share_group_type_id=_text(inner, 'share_group_type_id'),
        availability_zone=_text(inner, 'availability_zone'),
        share_network_id=_text(inner, 'share_network_id'))
    return routing.reply(views.show(req, group), status=202)


@groups_api
def update(req, share_group_id):
    req.authorize('share_group:update')
    inner = _inner(req)
    invalid = sorted(set(inner) - {'name', 'description'})
    if invalid:
        raise _bad('The fields %s are invalid or not allowed to be '
                   'updated.' % ', '.join(invalid))
    fields = {k: _text(inner, k) for k in inner}
    group = _api(req).update(req.ctx, share_group_id, fields)
    return routing.reply(views.show(req, group))


@groups_api
def delete(req, share_group_id):
    req.authorize('share_group:delete')
    _api(req).delete(req.ctx, share_group_id)
    return routing.reply(status=202)


def _reset_status(req, share_group_id, inner):
    status = inner.get('status') if isinstance(inner, dict) else None
    if not isinstance(status, str):
        raise _bad("Must specify 'status'")
    _api(req).reset_status(req.ctx, share_group_id, status)


def _force_delete(req, share_group_id, inner):
    _api(req).force_delete(req.ctx, share_group_id)


#: Action name -> its policy (share_group:...) and handler.
ACTIONS = {
    'reset_status': ('reset_status', _reset_status),
    'force_delete': ('force_delete', _force_delete),
}


@groups_api
def action(req, share_group_id):
    name, body = common.action_of(req, ACTIONS)
    policy, handler = ACTIONS[name]
    req.authorize('share_group:' + policy)
    handler(req, share_group_id, body.get(name))
    return routing.reply(status=202)
