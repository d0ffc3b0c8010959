"""Manage and unmanage: bringing an existing share under manila_lite,
or letting one go while its data stays where it is.

Checks as upstream Manila for ``driver_handles_share_servers=False``
back ends. Managing needs a driver that can adopt an existing export
(upstream's ``manage_existing``); no manila_lite driver can, so a
well-formed request is refused (400) instead of recording a share that
could only end in ``manage_error``. Unmanaging forgets the share: its
rows go, its data and exports stay on the back end.
"""

from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.common import states
from manila_lite.common import utils
from manila_lite.db import api as db
from manila_lite.share import lock_api

#: Where unmanage is refused with 403 (upstream: transitional states).
_UNMANAGE_REFUSED = states.TRANSITIONAL_STATUSES


def _required(data, name):
    if name not in data:
        raise exceptions.UnprocessableEntity(
            'Required parameter %s not found' % name)
    if not data[name]:
        raise exceptions.UnprocessableEntity(
            'Required parameter %s is empty' % name)


def check_manage(share_api, ctx, data):
    """Upstream's checks of a manage request, in its order.

    :raises: UnprocessableEntity (422), Invalid (400), ServiceNotFound
             (404), ShareTypeNotFound (404), ServiceIsDown (400)
    """
    for name in ('export_path', 'service_host', 'protocol'):
        _required(data, name)
    path = data['export_path']
    if isinstance(path, dict):
        if 'path' not in path:
            raise exceptions.UnprocessableEntity(
                "Export path must be a string, or a dictionary with a "
                "'path' item")
        path = path['path']
    host = data['service_host']
    if not isinstance(host, str) or not hosts.has_pool(host):
        raise exceptions.Invalid(
            'service_host parameter should contain pool.')
    backend = hosts.backend_of(host)
    service = db.service_get_by_host_and_binary(ctx, backend,
                                                states.BINARY_SHARE)
    if not utils.service_is_up(service, share_api.conf.service_down_time):
        raise exceptions.ServiceIsDown(service=backend)
    stype = data.get('share_type')
    if stype is not None and not isinstance(stype, str):
        raise exceptions.Invalid('share_type must be a name or an id')
    share_api.resolve_type(ctx, stype)
    raise exceptions.InvalidShare(
        reason='the back end %s cannot manage existing shares (no '
               'manila_lite driver adopts an export such as %s)'
               % (backend, path))


def unmanage(share_api, ctx, share_id):
    """Forget the share (admin only; policy is checked by the caller).

    :raises: ShareNotFound, Conflict (replicas), NotAuthorized (a
             transitional status or snapshots, 403 as upstream),
             ShareLocked (a deletion lock, 403)
    """
    share = share_api.share_get(ctx, share_id)
    if share.has_replicas:
        raise exceptions.Conflict(
            'Share %s has replicas. It cannot be unmanaged until all '
            'replicas are removed.' % share_id)
    status = share.instance.status if share.instance else None
    if status in _UNMANAGE_REFUSED or share.task_state in (
            states.BUSY_TASK_STATES):
        raise exceptions.NotAuthorized(
            "Share with transitional state can not be unmanaged. Share "
            "'%s' is in '%s' state." % (share_id, status))
    count = db.snapshot_count_by_share(ctx, share_id)
    if count:
        raise exceptions.NotAuthorized(
            "Share '%s' can not be unmanaged because it has '%d' "
            "dependent snapshot(s)." % (share_id, count))
    # Upstream asks the locks last (share_api.unmanage's decorator).
    lock_api.LockAPI.ensure_share_unlocked(ctx, share_id)
    for instance in share.instances:
        db.share_instance_transition(
            ctx, instance.id, states.STATUS_UNMANAGE_STARTING,
            sources={instance.status} - _UNMANAGE_REFUSED)
    for instance in share.instances:
        db.share_instance_destroy(ctx, instance.id, share_too=True)
