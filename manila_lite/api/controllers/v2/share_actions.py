"""POST /shares/{id}/action: one table, action name -> handler.

The body holds exactly one key, the action's name. An unknown name is
upstream's 400 "There is no such action"; a known name outside its
version range (or an experimental one without the experimental
header) is the bare 404. Legacy ``os-`` names serve 2.0-2.6, the plain
names 2.7 and later, both through the same handler.
Migration actions exist in an experimental range (with the
experimental header) and a GA range, through one handler each.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import access_locks
from manila_lite.api.controllers.v2 import actions
from manila_lite.api.controllers.v2 import share_manage
from manila_lite.api.controllers.v2.actions import Action
from manila_lite.api.schemas import share_actions as schemas
from manila_lite.api.views import access as access_views
from manila_lite.common import states
from manila_lite.share import access_values
from manila_lite.share import migration_api


def reset_status(req, share_id, body):
    req.authorize('share:reset_status')
    req.share_api.share_reset_status(req.ctx, share_id, body['status'])
    return routing.reply(status=202)


def force_delete(req, share_id, body):
    req.authorize('share:force_delete')
    req.share_api.share_force_delete(req.ctx, share_id)
    return routing.reply(status=202)


#: Versions from which allow_access takes cephx rules, IPv6 addresses.
_CEPHX_ACCESS = mv.parse('2.13')
_IPV6_ACCESS = mv.parse('2.38')


def allow_access(req, share_id, body):
    req.authorize('share:allow_access')
    locks = access_locks.requested(req, body)
    access_values.validate(body['access_type'], body['access_to'],
                           ipv6=req.version >= _IPV6_ACCESS,
                           cephx=req.version >= _CEPHX_ACCESS)
    rule = req.share_api.access_allow(
        req.ctx, share_id, access_type=body['access_type'],
        access_to=body['access_to'],
        # Upstream takes a null access_level as rw.
        access_level=body.get('access_level') or states.ACCESS_LEVEL_RW,
        # Rules hold metadata from 2.45 (ignored below, as upstream).
        metadata=(body.get('metadata')
                  if req.version >= mv.GATE_ACCESS_RULES_API else None),
        error_ok=req.version >= mv.GATE_ACCESS_ON_ERROR_INSTANCES)
    access_locks.place(req, rule, locks)
    return routing.reply(access_views.allowed(req, rule))


def deny_access(req, share_id, body):
    req.authorize('share:deny_access')
    access_locks.check_deny(req, share_id, body)
    req.share_api.access_deny(
        req.ctx, share_id, body['access_id'],
        error_ok=req.version >= mv.GATE_ACCESS_ON_ERROR_INSTANCES)
    return routing.reply(status=202)


def access_list(req, share_id, body):
    req.authorize('share:access_get_all')
    rules = req.share_api.access_list(req.ctx, share_id)
    status = None
    if req.version < mv.GATE_ACCESS_RULES_SYNCING:
        # Rules show their share's status below 2.28.
        instance = req.share_api.share_get(req.ctx, share_id).instance
        status = instance.access_rules_status if instance else None
    return routing.reply(access_views.index(req, rules, status))


def _resize(req):
    return req.share_api.resizes


def extend(req, share_id, body):
    req.authorize('share:extend')
    force = False
    if req.version >= mv.GATE_EXTEND_FORCE:
        # Only from 2.64 is ``force`` read, so only then checked.
        validation.validate(body, schemas.EXTEND_FORCE_2_64)
        force = validation.to_bool(body.get('force', False))
    resize = _resize(req)
    if force:
        # Upstream looks the share up first: another project's is 404.
        resize.get(req.ctx, share_id)
        req.authorize('share:force_extend')
    resize.extend(req.ctx, share_id, validation.to_int(
        body['new_size']), force=force)
    return routing.reply(status=202)


def shrink(req, share_id, body):
    req.authorize('share:shrink')
    _resize(req).shrink(req.ctx, share_id,
                        validation.to_int(body['new_size']))
    return routing.reply(status=202)


def _migration(req):
    return req.share_api.migrations


def migration_start(req, share_id, body):
    req.authorize('share:migration_start')
    flags = {key: validation.to_bool(body.get(key, False)) for key in (
        'writable', 'preserve_metadata', 'nondisruptive',
        'preserve_snapshots', 'force_host_assisted_migration')}
    result = _migration(req).migration_start(
        req.ctx, share_id, host=body['host'],
        new_share_type_id=body.get('new_share_type_id'),
        new_share_network_id=body.get('new_share_network_id'), **flags)
    status = 200 if result is migration_api.StartResult.NOOP else 202
    return routing.reply(status=status)


def migration_complete(req, share_id, body):
    req.authorize('share:migration_complete')
    _migration(req).migration_complete(req.ctx, share_id)
    return routing.reply(status=202)


def migration_cancel(req, share_id, body):
    req.authorize('share:migration_cancel')
    _migration(req).migration_cancel(req.ctx, share_id)
    return routing.reply(status=202)


def migration_get_progress(req, share_id, body=None):
    req.authorize('share:migration_get_progress')
    result = _migration(req).migration_get_progress(req.ctx, share_id)
    if req.version.version < mv.GATE_MIGRATION_PROGRESS_DETAILS:
        result.pop('details', None)
    return routing.reply(result)


def migration_progress(req, share_id):
    """GET /shares/{id}/migration-progress (2.98+)."""
    return migration_get_progress(req, share_id)


def reset_task_state(req, share_id, body):
    req.authorize('share:reset_task_state')
    value = body['task_state'] if 'task_state' in body else body[
        'os-task_state']
    _migration(req).reset_task_state(req.ctx, share_id, value)
    return routing.reply(status=202)


def soft_delete(req, share_id, body):
    req.authorize('share:soft_delete')
    req.share_api.recycle_bin.soft_delete(req.ctx, share_id)
    return routing.reply(status=202)


def restore(req, share_id, body):
    req.authorize('share:restore')
    moved = req.share_api.recycle_bin.restore(req.ctx, share_id)
    # Upstream answers 200 for a share that was not in the bin.
    return routing.reply(status=202 if moved else 200)


def revert(req, share_id, body):
    req.authorize('share:revert_to_snapshot')
    req.share_api.reverts.revert(
        req.ctx, share_id, body['snapshot_id'])
    return routing.reply(status=202)


_OLD = {'max_version': '2.6'}
_NEW = {'min_version': '2.7'}

ACTIONS = {
    **actions.admin_actions(reset_status, force_delete),
    'os-allow_access': Action(allow_access, schemas.ALLOW_ACCESS_2_0,
                              **_OLD),
    'allow_access': Action(allow_access, schemas.ALLOW_ACCESS_2_7, **_NEW),
    'os-deny_access': Action(deny_access, schemas.DENY_ACCESS_2_0, **_OLD),
    'deny_access': Action(deny_access, schemas.DENY_ACCESS_2_7, **_NEW),
    'os-access_list': Action(access_list, schemas.ACCESS_LIST_2_0, **_OLD),
    # From 2.45 rules are listed by GET /share-access-rules instead.
    'access_list': Action(access_list, schemas.ACCESS_LIST_2_7,
                          min_version='2.7', max_version='2.44'),
    'os-extend': Action(extend, schemas.EXTEND_2_0, **_OLD),
    'extend': Action(extend, schemas.EXTEND_2_7, **_NEW),
    'os-shrink': Action(shrink, schemas.SHRINK_2_0, **_OLD),
    'shrink': Action(shrink, schemas.SHRINK_2_7, **_NEW),
    'migration_start': Action(
        migration_start, schemas.MIGRATION_START_2_29, min_version='2.29',
        max_version='2.95', experimental=True, ga_from='2.96'),
    'migration_complete': Action(
        migration_complete, schemas.MIGRATION_COMPLETE_2_22,
        min_version='2.22', max_version='2.95', experimental=True,
        ga_from='2.96'),
    'migration_cancel': Action(
        migration_cancel, schemas.MIGRATION_CANCEL_2_22, min_version='2.22',
        max_version='2.95', experimental=True, ga_from='2.96'),
    # From 2.98 progress is GET /shares/{id}/migration-progress.
    'migration_get_progress': Action(
        migration_get_progress, schemas.MIGRATION_GET_PROGRESS_2_22,
        min_version='2.22', max_version='2.95', experimental=True,
        ga_from='2.96', ga_until='2.97'),
    'unmanage': Action(share_manage.unmanage_share, schemas.UNMANAGE,
                       **_NEW),
    'reset_task_state': Action(
        reset_task_state, schemas.RESET_TASK_STATE_2_22, min_version='2.22',
        max_version='2.95', experimental=True, ga_from='2.96'),
    'revert': Action(revert, schemas.REVERT_2_27, min_version='2.27'),
    'soft_delete': Action(soft_delete, schemas.SOFT_DELETE_2_69,
                          min_version='2.69'),
    'restore': Action(restore, schemas.RESTORE_2_69, min_version='2.69'),
}


def action(req, share_id):
    return actions.dispatch(req, ACTIONS, share_id)
