"""POST /shares/{id}/action: one table, action name -> handler.

The body holds exactly one key, the action's name. An unknown name is
upstream's 400 "There is no such action"; a known name outside its
version range (or an experimental one without the experimental
header) is the bare 404. Legacy ``os-`` names serve 2.0-2.6, the plain
names 2.7 and later, both through the same handler.
Later issues add migration_*, reset_task_state, extend and shrink here.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.schemas import share_actions as schemas
from manila_lite.api.views import access as access_views
from manila_lite.common import exceptions


class Action:
    """A table entry: handler, body schema and version range."""

    def __init__(self, handler, schema, *, min_version=None,
                 max_version=None, experimental=False):
        self.handler = handler
        self.schema = schema
        self.version_range = mv.VersionRange(min_version, max_version,
                                             experimental)


def reset_status(req, share_id, body):
    req.authorize('share:reset_status')
    req.share_api.share_reset_status(req.ctx, share_id, body['status'])
    return routing.reply(status=202)


def force_delete(req, share_id, body):
    req.authorize('share:force_delete')
    req.share_api.share_force_delete(req.ctx, share_id)
    return routing.reply(status=202)


def allow_access(req, share_id, body):
    req.authorize('share:allow_access')
    rule = req.share_api.access_allow(
        req.ctx, share_id, access_type=body['access_type'],
        access_to=body['access_to'],
        access_level=body.get('access_level', 'rw'))
    return routing.reply(access_views.allowed(req, rule))


def deny_access(req, share_id, body):
    req.authorize('share:deny_access')
    req.share_api.access_deny(req.ctx, share_id, body['access_id'])
    return routing.reply(status=202)


def access_list(req, share_id, body):
    req.authorize('share:access_get_all')
    rules = req.share_api.access_list(req.ctx, share_id)
    return routing.reply(access_views.index(req, rules))


_OLD = {'max_version': '2.6'}
_NEW = {'min_version': '2.7'}

ACTIONS = {
    'os-reset_status': Action(reset_status, schemas.RESET_STATUS_2_0,
                              **_OLD),
    'reset_status': Action(reset_status, schemas.RESET_STATUS_2_7, **_NEW),
    'os-force_delete': Action(force_delete, schemas.FORCE_DELETE_2_0,
                              **_OLD),
    'force_delete': Action(force_delete, schemas.FORCE_DELETE_2_7, **_NEW),
    'os-allow_access': Action(allow_access, schemas.ALLOW_ACCESS_2_0,
                              **_OLD),
    'allow_access': Action(allow_access, schemas.ALLOW_ACCESS_2_7, **_NEW),
    'os-deny_access': Action(deny_access, schemas.DENY_ACCESS_2_0, **_OLD),
    'deny_access': Action(deny_access, schemas.DENY_ACCESS_2_7, **_NEW),
    'os-access_list': Action(access_list, schemas.ACCESS_LIST_2_0, **_OLD),
    # From 2.45 rules are listed by GET /share-access-rules instead.
    'access_list': Action(access_list, schemas.ACCESS_LIST_2_7,
                          min_version='2.7', max_version='2.44'),
}


def action(req, share_id):
    body = req.json()
    if not isinstance(body, dict) or len(body) != 1:
        raise exceptions.MalformedRequestBody('Malformed request body')
    name = next(iter(body))
    entry = ACTIONS.get(name)
    if entry is None:
        raise exceptions.Invalid('There is no such action: %s' % name)
    if not entry.version_range.matches(req.version):
        raise exceptions.VersionNotFoundForAPIMethod()
    validation.validate(body, entry.schema)
    return entry.handler(req, share_id, body[name] or {})
