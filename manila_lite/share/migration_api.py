"""Share migration, API side: validate, record intent, cast.

Upstream's checks, in upstream's order (the first failure wins), then
one transaction of conditional updates: the share's ``task_state`` to
``migration_starting`` and its instance to ``migrating``. Two racing
``migration_start`` requests cannot both pass that step. The work itself
happens in the scheduler (validate the destination pool) and the source
host's share manager (``share/migration.py``).

Progress is read from the database (the data service records copy
progress there; the share manager records driver progress), so no
synchronous RPC is needed to answer ``migration_get_progress``.
"""

import enum

from oslo_log import log as logging

from manila_lite.common import exceptions
from manila_lite.common import hosts
from manila_lite.common import states
from manila_lite.common import type_specs
from manila_lite.common import utils
from manila_lite.db import api as db
from manila_lite.share import migration_sync

LOG = logging.getLogger(__name__)


class StartResult(enum.Enum):
    #: The work was handed to the scheduler.
    STARTED = 'started'
    #: Same host, type and network: nothing to do (upstream's 200).
    NOOP = 'noop'


#: task_states from which ``migration_complete`` may start.
COMPLETABLE = frozenset({
    states.TASK_STATE_DATA_COPYING_COMPLETED,
    states.TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE,
})

#: task_states ``migration_cancel`` accepts.
CANCELLABLE = frozenset({
    states.TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS,
    states.TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE,
    states.TASK_STATE_DATA_COPYING_COMPLETED,
    states.TASK_STATE_DATA_COPYING_IN_PROGRESS,
})

_PROGRESS_ZERO = frozenset({
    states.TASK_STATE_MIGRATION_STARTING,
    states.TASK_STATE_MIGRATION_IN_PROGRESS,
    states.TASK_STATE_MIGRATION_DRIVER_STARTING,
    states.TASK_STATE_DATA_COPYING_STARTING,
})
_PROGRESS_DONE = frozenset({
    states.TASK_STATE_MIGRATION_SUCCESS, states.TASK_STATE_MIGRATION_ERROR,
    states.TASK_STATE_MIGRATION_CANCELLED,
    states.TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS,
    states.TASK_STATE_MIGRATION_COMPLETING,
    states.TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE,
    states.TASK_STATE_DATA_COPYING_COMPLETED,
    states.TASK_STATE_DATA_COPYING_COMPLETING,
    states.TASK_STATE_DATA_COPYING_CANCELLED,
    states.TASK_STATE_DATA_COPYING_ERROR,
})


class MigrationAPI:
    def __init__(self, share_api):
        #: The public base of ``share.api`` (``own_share``, ``cast``, the
        #: RPC clients).
        self.share_api = share_api
        self.conf = share_api.conf
        self.scheduler_rpcapi = share_api.scheduler_rpcapi
        self.share_rpcapi = share_api.share_rpcapi

    def _share(self, ctx, share_id):
        return self.share_api.own_share(ctx, share_id)

    def _check_destination(self, ctx, host):
        backend = hosts.backend_of(host)
        try:
            service = db.service_get_by_host_and_binary(
                ctx, backend, states.BINARY_SHARE)
        except exceptions.ServiceNotFound:
            service = None
        if service is None or service.disabled:
            raise exceptions.HostNotFound(host=host)
        if not utils.service_is_up(service, self.conf.service_down_time):
            raise exceptions.ServiceIsDown(service=backend)
        return service

    def migration_start(self, ctx, share_id, *, host, writable,
                        preserve_metadata, nondisruptive, preserve_snapshots,
                        force_host_assisted_migration=False,
                        new_share_type_id=None, new_share_network_id=None):
        """Start moving a share to pool ``host``.

        :returns: StartResult
        :raises: ShareNotFound, InvalidShare, InvalidInput, Conflict,
            HostNotFound, ServiceIsDown
        """
        share = self._share(ctx, share_id)
        if share.is_soft_deleted:
            raise exceptions.InvalidShare(
                reason='share %s is in the recycle bin' % share_id)
        if new_share_network_id is not None:
            raise exceptions.InvalidInput(
                reason='share network %s not found: manila_lite backends '
                       'do not handle share servers' % new_share_network_id)
        new_type = None
        if new_share_type_id is not None:
            try:
                new_type = db.share_type_get(ctx, new_share_type_id)
            except exceptions.ShareTypeNotFound:
                raise exceptions.InvalidInput(
                    reason='share type %s not found'
                           % new_share_type_id) from None
        if force_host_assisted_migration and any(
                (writable, preserve_metadata, nondisruptive,
                 preserve_snapshots)):
            raise exceptions.InvalidInput(
                reason='invalid parameter combination: '
                       'force_host_assisted_migration cannot be used with '
                       'writable, preserve_metadata, nondisruptive or '
                       'preserve_snapshots set')
        if share.has_replicas:
            raise exceptions.Conflict(
                reason='share %s has replicas; delete them before '
                       'migrating' % share_id)
        instance = share.instance
        if instance is None or instance.status != states.STATUS_AVAILABLE:
            raise exceptions.InvalidShare(
                reason='share instance %s status must be available, not %s'
                       % (getattr(instance, 'id', None),
                          getattr(instance, 'status', None)))
        if instance.access_rules_status == states.ACCESS_RULES_STATUS_ERROR:
            raise exceptions.InvalidShare(
                reason='share instance %s access rules are in error'
                       % instance.id)
        if share.task_state in states.BUSY_TASK_STATES:
            raise exceptions.InvalidShare(
                reason='share %s is busy as part of an active task: %s'
                       % (share_id, share.task_state))
        if (force_host_assisted_migration
                and db.snapshot_count_by_share(ctx, share_id)):
            raise exceptions.Conflict(
                reason='share %s has snapshots; host-assisted migration '
                       'cannot preserve them' % share_id)
        self._check_destination(ctx, host)
        if new_type is not None and utils.is_true(type_specs.extra_specs_dict(
                new_type).get('driver_handles_share_servers', False)):
            raise exceptions.InvalidInput(
                reason='share type %s needs a share network' % new_type.id)
        target_type = new_type or share.share_type
        if host == instance.host and target_type.id == share.share_type_id:
            db.share_task_state_transition(ctx, share_id,
                                           event='migration_noop')
            return StartResult.NOOP
        zones = type_specs.extra_specs_dict(target_type).get(
            'availability_zones')
        if zones:
            service = self._check_destination(ctx, host)
            allowed = [z.strip() for z in zones.split(',') if z.strip()]
            if service.availability_zone not in allowed:
                raise exceptions.InvalidShare(
                    reason='destination availability zone %s is not '
                           'allowed by share type %s'
                           % (service.availability_zone, target_type.id))
        with db.writer(ctx):
            # The task_state update locks the share's row: a replica
            # create of this share (share_lock_unless_busy) runs wholly
            # before or after this transaction, so the replica check
            # below cannot miss one.
            db.share_task_state_transition(
                ctx, share_id, states.TASK_STATE_MIGRATION_STARTING)
            try:
                db.share_instance_transition(
                    ctx, instance.id, states.STATUS_MIGRATING,
                    sources={states.STATUS_AVAILABLE})
            except exceptions.InvalidState:
                raise exceptions.InvalidShare(
                    reason='share %s changed state meanwhile'
                           % share_id) from None
            if db.share_get(ctx, share_id).has_replicas:
                raise exceptions.Conflict(
                    reason='share %s has replicas; delete them before '
                           'migrating' % share_id)
        spec = dict(
            share_id=share_id, size=share.size,
            share_proto=share.share_proto, share_type_id=target_type.id,
            extra_specs=type_specs.extra_specs_dict(target_type),
            availability_zone=None, project_id=share.project_id,
            scheduler_hints={})
        flags = dict(
            writable=bool(writable),
            preserve_metadata=bool(preserve_metadata),
            nondisruptive=bool(nondisruptive),
            preserve_snapshots=bool(preserve_snapshots),
            force_host_assisted_migration=bool(
                force_host_assisted_migration),
            new_share_type_id=target_type.id)
        try:
            self.share_api.cast(
                'migrate_share_to_host',
                self.scheduler_rpcapi.migrate_share_to_host, ctx, share_id,
                host, spec, flags)
        except exceptions.MessagingUnavailable:
            self._revert_start(ctx, share_id, instance.id)
            raise
        return StartResult.STARTED

    @staticmethod
    def _revert_start(ctx, share_id, instance_id):
        with db.writer(ctx):
            db.share_instance_transition(ctx, instance_id,
                                         event='migration_source_restore')
            db.share_task_state_transition(ctx, share_id,
                                           event='migration_failed')

    def _migrating_pair(self, share):
        source = [i for i in share.instances
                  if i.status == states.STATUS_MIGRATING]
        dest = [i for i in share.instances
                if i.status == states.STATUS_MIGRATING_TO]
        if len(source) != 1 or len(dest) != 1:
            raise exceptions.InvalidShare(
                reason='share %s has no migration in a state that allows '
                       'this (instances: %s)' % (share.id, ', '.join(
                           '%s=%s' % (i.id, i.status)
                           for i in share.instances)))
        return source[0], dest[0]

    def migration_complete(self, ctx, share_id):
        """Start phase 2 (switch-over) of a migration whose phase 1 ended.

        :raises: ShareNotFound, InvalidShare
        """
        share = self._share(ctx, share_id)
        if share.task_state not in COMPLETABLE:
            if share.task_state == states.TASK_STATE_MIGRATION_SUCCESS:
                why = 'migration already completed'
            elif share.task_state == states.TASK_STATE_MIGRATION_CANCELLED:
                why = 'migration was cancelled'
            elif share.task_state is None:
                why = 'no migration is being performed'
            else:
                why = 'first migration phase not completed yet (%s)' % (
                    share.task_state)
            raise exceptions.InvalidShare(reason=why)
        source, _dest = self._migrating_pair(share)
        try:
            db.share_task_state_transition(
                ctx, share_id, states.TASK_STATE_MIGRATION_COMPLETING,
                sources=COMPLETABLE)
        except exceptions.InvalidState:
            raise exceptions.InvalidShare(
                reason='share %s migration changed state meanwhile'
                       % share_id) from None
        self.share_api.cast('migration_complete',
                             self.share_rpcapi.migration_complete, ctx,
                             source.host, share_id)

    def migration_cancel(self, ctx, share_id):
        """Cancel a migration, leaving the share as it was at its source.

        :raises: ShareNotFound, InvalidShare
        """
        share = self._share(ctx, share_id)
        if share.task_state not in CANCELLABLE and not (
                self._writable_before_switch(ctx, share)):
            raise exceptions.InvalidShare(
                reason='migration of share %s cannot be cancelled in '
                       'task state %s' % (share_id, share.task_state))
        source, _dest = self._migrating_pair(share)
        service = db.service_get_by_host_and_binary(
            ctx, hosts.backend_of(source.host), states.BINARY_SHARE)
        if not utils.service_is_up(service, self.conf.service_down_time):
            raise exceptions.ServiceIsDown(service=service.host)
        self.share_api.cast('migration_cancel',
                             self.share_rpcapi.migration_cancel, ctx,
                             source.host, share_id)

    def _writable_before_switch(self, ctx, share):
        """Whether ``share`` is a writable host-assisted migration
        between ``migration_complete`` and its switch: cancellable here,
        unlike upstream (which answers 400 once ``migration_completing``).
        A cancel that arrives after the switch began finds the share
        ``migration_success``: the share service ignores it."""
        if share.task_state != states.TASK_STATE_MIGRATION_COMPLETING:
            return False
        source, dest = self._migrating_pair(share)
        return migration_sync.is_writable(ctx, share, source, dest)

    def migration_get_progress(self, ctx, share_id):
        """``{"total_progress", "task_state", "details"}``, from the DB.

        :raises: ShareNotFound, InvalidShare
        """
        share = self._share(ctx, share_id)
        task_state = share.task_state
        result = {'total_progress': 0, 'task_state': task_state,
                  'details': {}}
        if task_state in _PROGRESS_DONE:
            result['total_progress'] = 100
            if task_state == states.TASK_STATE_DATA_COPYING_COMPLETED:
                # The finished job's figures (our extension; upstream
                # sends no details here).
                result['details'] = copy_progress(ctx, share_id)['details']
            else:
                # A writable migration's passes and read-only window.
                result['details'] = migration_sync.details(ctx, share_id)
        elif task_state in _PROGRESS_ZERO:
            pass
        elif task_state == states.TASK_STATE_DATA_COPYING_IN_PROGRESS:
            result.update(copy_progress(ctx, share_id))
        elif task_state == states.TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS:
            result.update(driver_progress(share))
        else:
            raise exceptions.InvalidShare(
                reason='no migration is being performed for share %s'
                       % share_id)
        return result

    def reset_task_state(self, ctx, share_id, task_state):
        if task_state is not None and (
                task_state not in states.RESET_TASK_STATES):
            raise exceptions.InvalidInput(
                reason='invalid task_state %r' % task_state)
        share = self._share(ctx, share_id)
        if share.is_soft_deleted:
            raise exceptions.NotAuthorized(
                message='share %s is in the recycle bin' % share_id)
        db.share_task_state_transition(ctx, share_id, task_state,
                                       event='reset_task_state')


def copy_progress(ctx, share_id):
    """Progress of the newest copy job of a share (our data service
    writes it to the DB as it goes)."""
    jobs = db.data_copy_job_get_all(ctx, share_id=share_id)
    if not jobs:
        return {'total_progress': 0, 'details': {}}
    job = max(jobs, key=lambda j: (j.created_at, j.sync_pass or 0))
    total = job.bytes_total or 0
    percent = 100 if total == 0 and job.state == states.JOB_COMPLETED else (
        int(job.bytes_done * 100 / total) if total else 0)
    return {
        'total_progress': min(100, percent),
        'details': {
            'current_file_path': job.current_path,
            'bytes_done': job.bytes_done, 'bytes_total': job.bytes_total,
            'files_done': job.files_done, 'files_total': job.files_total,
            'rate_bytes_per_second': round(job.rate_bps or 0.0, 1),
            **migration_sync.details(ctx, share_id),
        },
    }


def driver_progress(share):
    """Driver-assisted progress, recorded on the destination instance by
    the source share manager's poll (``progress`` like ``"42%"``)."""
    for inst in share.instances:
        if inst.status == states.STATUS_MIGRATING_TO and inst.progress:
            try:
                return {'total_progress': int(inst.progress.rstrip('%'))}
            except ValueError:
                break
    return {'total_progress': 0}
