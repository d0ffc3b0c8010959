"""/share-group-types: the types only (share groups are not served).

Experimental from 2.31 to 2.54, GA from 2.55, as upstream. Bodies are
checked by hand to give upstream's 400 messages; every value is bounded
before it reaches SQL.
"""

from oslo_utils import strutils
from oslo_utils import uuidutils

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api.controllers.v2 import common
from manila_lite.api.views import share_group_types as views
from manila_lite.common import exceptions
from manila_lite.db import api as db
from manila_lite.db import share_group_types as sgt_db

#: Every handler's versions: experimental until 2.54, GA from 2.55.
sgt_api = mv.api_version('2.31', '2.54', experimental=True, ga_from='2.55')

#: Bound on the share types one group type lists.
MAX_SHARE_TYPES = 100


def _default_name(req):
    return req.conf.default_share_group_type


def _bad(msg='Malformed request body'):
    return exceptions.Invalid(msg)


@sgt_api
def index(req):
    req.authorize('share_group_type:index')
    public = True
    if req.ctx.is_admin:
        value = req.params.get('is_public', 'true').lower()
        if value in ('all', 'none'):
            public = None
        else:
            public = common.query_bool({'is_public': value}, 'is_public')
    rows = sgt_db.get_all(req.ctx, is_public=public)
    return routing.reply(views.index(req, rows, _default_name(req)))


def _get(req, type_id):
    try:
        return sgt_db.get(req.ctx, type_id)
    except exceptions.ShareGroupTypeNotFound:
        raise exceptions.NotFound(
            'Share group type with id %s not found.' % type_id) from None


@sgt_api
def show(req, share_group_type_id):
    req.authorize('share_group_type:show')
    row = _get(req, share_group_type_id)
    return routing.reply(views.show(req, row, _default_name(req)))


@sgt_api
def default(req):
    req.authorize('share_group_type:default')
    name = _default_name(req)
    row = sgt_db.get_by_name(req.ctx, name) if name else None
    if row is None:
        raise exceptions.NotFound('Default share group type not found.')
    return routing.reply(views.show(req, row, name))


def _checked_specs(specs):
    if not (specs is None or isinstance(specs, dict)):
        raise _bad("Group specs can be either of 'None' or 'dict' types.")
    specs = specs or {}
    for element in list(specs) + list(specs.values()):
        if not isinstance(element, str):
            raise _bad('Group specs keys and values should be strings.')
        if not 0 < len(element) <= 255:
            raise _bad('Invalid group spec: %s' % element[:255])
    return specs


def _is_public(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and len(value) <= 255:
        try:
            return strutils.bool_from_string(value, strict=True)
        except ValueError:
            pass
    raise _bad('Invalid value for is_public: %s' % str(value)[:255])


def _share_type_ids(req, names):
    if not isinstance(names, list) or len(names) > MAX_SHARE_TYPES:
        raise _bad('Supported share types must be provided.')
    ids = []
    for name in names:
        if not isinstance(name, str) or not 0 < len(name) <= 255:
            raise _bad('Supported share types must be provided.')
        stype = db.share_type_get_by_id_or_name(req.ctx, name)
        if stype.id not in ids:
            ids.append(stype.id)
    return ids


@sgt_api
def create(req):
    req.authorize('share_group_type:create')
    body = common.body_of(req)
    inner = body.get('share_group_type') if isinstance(body, dict) else None
    if not isinstance(inner, dict):
        raise _bad()
    if not inner.get('share_types'):
        raise _bad('Supported share types must be provided.')
    name = inner.get('name')
    if not isinstance(name, str) or not 0 < len(name) <= 255:
        raise _bad('Share group type name is not valid.')
    specs = _checked_specs(inner.get('group_specs', {}))
    is_public = _is_public(inner.get('is_public', True))
    ids = _share_type_ids(req, inner['share_types'])
    row = sgt_db.create(req.ctx, name, ids, specs, is_public)
    return routing.reply(views.show(req, row, _default_name(req)))


@sgt_api
def delete(req, share_group_type_id):
    req.authorize('share_group_type:delete')
    row = _get(req, share_group_type_id)
    sgt_db.destroy(req.ctx, row.id)
    return routing.reply(status=204)


# --- group specs -------------------------------------------------------------
@sgt_api
def specs_index(req, share_group_type_id):
    req.authorize('share_group_types_spec:index')
    row = _get(req, share_group_type_id)
    return routing.reply(views.group_specs(row))


@sgt_api
def specs_create(req, share_group_type_id):
    req.authorize('share_group_types_spec:create')
    body = common.body_of(req)
    specs = body.get('group_specs') if isinstance(body, dict) else None
    if not isinstance(specs, dict) or not specs:
        raise _bad()
    specs = _checked_specs(specs)
    row = _get(req, share_group_type_id)
    sgt_db.specs_set(req.ctx, row.id, specs)
    return routing.reply({'group_specs': specs})


@sgt_api
def spec_show(req, share_group_type_id, key):
    req.authorize('share_group_types_spec:show')
    row = _get(req, share_group_type_id)
    for spec in row.group_specs:
        if spec.spec_key == key:
            return routing.reply({key: spec.spec_value})
    raise exceptions.ShareGroupTypeSpecsNotFound(type_id=row.id,
                                                 specs_key=key)


@sgt_api
def spec_update(req, share_group_type_id, key):
    req.authorize('share_group_types_spec:update')
    body = common.body_of(req)
    if not isinstance(body, dict) or not body:
        raise _bad()
    if key not in body:
        raise _bad('Request body and URI mismatch')
    if len(body) > 1:
        raise _bad('Request body contains too many items')
    specs = _checked_specs(body)
    row = _get(req, share_group_type_id)
    sgt_db.specs_set(req.ctx, row.id, specs)
    return routing.reply(specs)


@sgt_api
def spec_delete(req, share_group_type_id, key):
    req.authorize('share_group_types_spec:delete')
    row = _get(req, share_group_type_id)
    sgt_db.spec_delete(req.ctx, row.id, key)
    return routing.reply(status=204)


# --- access to private types -------------------------------------------------
@sgt_api
def access_index(req, share_group_type_id):
    req.authorize('share_group_type:list_project_access')
    try:
        row = sgt_db.get(req.ctx, share_group_type_id)
    except exceptions.ShareGroupTypeNotFound:
        raise exceptions.NotFound(
            'Share group type %s not found.' % share_group_type_id) from None
    if row.is_public:
        raise exceptions.NotFound(
            'Access list not available for public share group types.')
    return routing.reply(views.access_list(
        row.id, sgt_db.projects(req.ctx, row.id)))


#: Action name -> its policy (share_group_type:...) and its change.
ACTIONS = {
    'addProjectAccess': ('add_project_access', sgt_db.access_add),
    'removeProjectAccess': ('remove_project_access', sgt_db.access_remove),
}


@sgt_api
def action(req, share_group_type_id):
    name, body = common.action_of(req, ACTIONS)
    policy, change = ACTIONS[name]
    req.authorize('share_group_type:' + policy)
    inner = body.get(name)
    if not isinstance(inner, dict):
        raise _bad()
    project = inner.get('project')
    if not isinstance(project, str) or not uuidutils.is_uuid_like(project):
        raise _bad('Project value (%s) must be in uuid format.'
                   % str(project)[:255])
    row = sgt_db.get(req.ctx, share_group_type_id)
    if row.is_public:
        raise exceptions.Conflict(
            'Type access modification is not applicable to public share '
            'group type.')
    change(req.ctx, row.id, project)
    return routing.reply(status=202)
