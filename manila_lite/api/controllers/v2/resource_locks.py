"""/resource-locks (2.81+): create, list, show, update and delete the
locks that keep a share or an access rule from being deleted, or an
access rule's ``access_to``/``access_key`` from being seen.

Bodies get upstream's checks with upstream's messages (400), then the
schema's bounds. A resource that is not there (or not visible) is a
400 "No such resource found."; one on its way out, or a second
visibility lock, a 409.
"""

from oslo_utils import strutils
from oslo_utils import uuidutils

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import resource_locks as schemas
from manila_lite.api.views import resource_locks as views
from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import resource_locks as db
from manila_lite.share import lock_api

locks_api = mv.api_version('2.81')


def _api(req):
    return req.share_api.locks


def _check_body(body, lock=None):
    """Upstream's checks of a lock body (``lock``: the one updated)."""
    if not isinstance(body, dict) or not isinstance(
            body.get('resource_lock'), dict):
        raise exceptions.Invalid('Malformed request body.')
    data = body['resource_lock']
    resource_type = (lock.resource_type if lock is not None else
                     data.get('resource_type', states.RESOURCE_TYPE_SHARE))
    action = data.get('resource_action') or states.RESOURCE_ACTION_DELETE
    reason = data.get('lock_reason') or ''
    if not isinstance(reason, str) or len(reason) > lock_api.MAX_LOCK_REASON:
        raise exceptions.Invalid(
            "'lock_reason' can contain a maximum of 1023 characters.")
    if resource_type not in states.RESOURCE_LOCK_ACTIONS:
        raise exceptions.Invalid(
            "'resource_type' is required and must be one of %s"
            % (tuple(states.RESOURCE_LOCK_ACTIONS),))
    allowed = list(states.RESOURCE_LOCK_ACTIONS[resource_type])
    if action not in allowed:
        raise exceptions.Invalid(
            "'resource_action' can only be one of %s" % allowed)
    if lock is not None:
        if set(data) - {'resource_action', 'lock_reason'}:
            raise exceptions.Invalid(
                "Only 'resource_action' and 'lock_reason' can be updated.")
        validation.validate(body, schemas.UPDATE)
    else:
        resource_id = data.get('resource_id') or ''
        if not (isinstance(resource_id, str)
                and uuidutils.is_uuid_like(resource_id)):
            raise exceptions.Invalid(
                'Resource ID is required and must be in uuid format.')
        validation.validate(body, schemas.CREATE)
    return data, resource_type, action


def _all_projects(req):
    """``all_projects`` asked for and allowed (ignored otherwise, with
    the ``project_id`` it came with, as upstream)."""
    value = req.params.get('all_projects')
    if value is None or (value and not strutils.bool_from_string(
            value, default=True)):
        return False
    return policy_allows(req, 'resource_lock:get_all_projects')


def policy_allows(req, action, target=None):
    try:
        req.authorize(action, target)
    except exceptions.NotAuthorized:
        return False
    return True


@locks_api
def index(req):
    req.authorize('resource_lock:get_all')
    params = req.params
    filters = {k: params[k] for k in (*db.FILTER_KEYS, 'lock_reason~')
               if k in params}
    for key in ('created_since', 'created_before'):
        filters[key] = common.query_time(params, key)
    all_projects = _all_projects(req)
    if 'all_projects' in params and not all_projects:
        filters.pop('project_id', None)
    limit, offset = common.pagination(req)
    locks, count = _api(req).get_all(
        req.ctx, filters=filters, all_projects=all_projects, limit=limit,
        offset=offset, sort_key=params.get('sort_key', 'created_at'),
        sort_dir=params.get('sort_dir', 'desc'),
        with_count=bool(common.query_bool(params, 'with_count', False)))
    link = common.next_link(req, 'resource-locks', len(locks), limit,
                            offset)
    return routing.reply(views.index(req, locks, count=count,
                                     next_link=link))


@locks_api
def show(req, lock_id):
    req.authorize('resource_lock:get')
    return routing.reply(views.show(req, _api(req).get(req.ctx, lock_id)))


@locks_api
def create(req):
    req.authorize('resource_lock:create')
    data, resource_type, action = _check_body(req.json())
    try:
        lock = _api(req).create(
            req.ctx, req.authorize, resource_id=data['resource_id'],
            resource_type=resource_type, resource_action=action,
            lock_reason=data.get('lock_reason'))
    except exceptions.NotFound:
        raise exceptions.Invalid('No such resource found.') from None
    except exceptions.InvalidInput as exc:
        # Upstream answers a resource on its way out with 409.
        raise exceptions.Conflict(exc.kwargs['reason']) from None
    return routing.reply(views.show(req, lock))


@locks_api
def update(req, lock_id):
    req.authorize('resource_lock:update')
    api = _api(req)
    lock = api.get(req.ctx, lock_id)
    data, _type, _action = _check_body(req.json(), lock)
    updates = {k: v for k, v in data.items()
               if v is not None or k == 'lock_reason'}
    lock = api.update(req.ctx, req.authorize, lock, updates)
    return routing.reply(views.show(req, lock))


@locks_api
def delete(req, lock_id):
    req.authorize('resource_lock:delete')
    _api(req).delete(req.ctx, req.authorize, lock_id)
    return routing.reply(status=204)
