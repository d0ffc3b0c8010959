"""The share replica API: what the /share-replicas controllers call.

As ``share/api/``: checks with conditional database updates, records
the intent, casts to the scheduler or the replica's share service; never
calls a driver and never checks policy (except where upstream decides by
role inside the call: promoting an out-of-sync replica). Replicas of
another project's shares are ``NotFound`` for non-admins.
"""

from oslo_log import log as logging

from manila_lite import quota
from manila_lite.common import exceptions
from manila_lite.common import notifier
from manila_lite.common import states
from manila_lite.db import api as db

LOG = logging.getLogger(__name__)

#: A replica's status must be one of these for promote.
_PROMOTABLE_STATES = {states.REPLICA_STATE_IN_SYNC,
                      states.REPLICA_STATE_OUT_OF_SYNC,
                      states.REPLICA_STATE_ERROR}


class ReplicaAPI:
    def __init__(self, share_api):
        self.share_api = share_api
        self.conf = share_api.conf
        self.notifier = notifier.Notifier(self.conf, 'share-api')

    # --- reading ------------------------------------------------------------
    def get(self, ctx, replica_id):
        replica = db.replica_get(ctx, replica_id)
        if not (ctx.is_admin or replica.share.project_id == ctx.project_id):
            raise exceptions.ShareReplicaNotFound(replica_id=replica_id)
        return replica

    def get_all(self, ctx, *, share_id=None, metadata=None):
        """``metadata``: only replicas holding all these ``key: value``."""
        if share_id is not None:
            # Upstream looks the share up: unknown (or hidden) -> 404.
            self.share_api.share_get(ctx, share_id)
        project = None if ctx.is_admin else ctx.project_id
        return db.replica_get_all(ctx, share_id=share_id, project_id=project,
                                  metadata=metadata)

    # --- metadata (2.95+) ---------------------------------------------------
    def metadata_get(self, ctx, replica_id):
        return self.get(ctx, replica_id).metadata_dict

    def metadata_set(self, ctx, replica_id, metadata, *, replace=False):
        """Merge ``metadata`` (or make it the whole, with ``replace``);
        returns the replica's metadata afterwards."""
        self.get(ctx, replica_id)
        return db.replica_metadata_set(ctx, replica_id, metadata,
                                       replace=replace)

    def metadata_delete(self, ctx, replica_id, key):
        self.get(ctx, replica_id)
        db.replica_metadata_delete(ctx, replica_id, key)

    # --- create -------------------------------------------------------------
    def create(self, ctx, share_id, *, availability_zone=None,
               scheduler_hints=None, share_network_id=None, metadata=None):
        share = self.share_api.own_share(ctx, share_id)
        if share.is_soft_deleted:
            raise exceptions.PolicyNotAuthorized(
                action='create a replica of a share in the recycle bin')
        if share_network_id is not None:
            raise exceptions.InvalidInput(
                reason='share networks need driver_handles_share_servers, '
                       'which no manila_lite backend supports')
        if not share.replication_type:
            raise exceptions.InvalidShare(
                reason='share %s does not have a replication_type: its '
                       'share type lacks the replication_type extra spec'
                       % share.id)
        only_host = (scheduler_hints or {}).get('only_host')
        if scheduler_hints and set(scheduler_hints) != {'only_host'}:
            raise exceptions.InvalidInput(
                reason='scheduler_hints accepts only only_host')
        if share.task_state in states.BUSY_TASK_STATES:
            raise exceptions.InvalidShare(
                reason='share %s is busy with %s' % (share.id,
                                                     share.task_state))
        specs = {s.spec_key: s.spec_value
                 for s in share.share_type.extra_specs}
        if availability_zone is not None:
            self._check_replica_zone(ctx, specs, availability_zone)
        with db.writer(ctx) as session:
            # Replica creates and migration starts of this share queue
            # here; the checks below then see the replicas (or the
            # migration) of whichever went first.
            db.share_lock_unless_busy(ctx, share.id)
            replicas = db.replica_get_all(ctx, share_id=share.id)
            active = [r for r in replicas
                      if r.replica_state == states.REPLICA_STATE_ACTIVE
                      and r.status == states.STATUS_AVAILABLE]
            if not active:
                raise exceptions.ReplicationException(
                    reason='share %s has no replica that is active and '
                           'available' % share.id)
            # Charged in the insert's transaction: both or neither
            # (and, as upstream, before manila_lite's own zone rule).
            quota.charge_replica(
                self.conf, ctx, session,
                (share.project_id, share.user_id, share.share_type_id),
                share.size)
            if availability_zone in {r.availability_zone for r in replicas
                                     if availability_zone is not None}:
                # manila_lite's rule: a replica guards against the loss
                # of a zone, so each zone holds at most one of a share.
                raise exceptions.InvalidInput(
                    reason='share %s already has a replica in '
                           'availability zone %s'
                           % (share.id, availability_zone))
            replica = db.replica_create(
                ctx, share.id,
                dict(status=states.STATUS_CREATING, host='',
                     replica_state=states.REPLICA_STATE_OUT_OF_SYNC,
                     availability_zone=availability_zone,
                     share_type_id=share.share_type_id,
                     cast_rules_to_readonly=(
                         share.replication_type
                         == states.REPLICATION_TYPE_READABLE),
                     progress='0%'),
                snapshot_ids=[s.id for s in db.snapshot_get_all(
                    ctx, filters={'share_id': share.id})],
                metadata=metadata)
        spec = dict(
            share_id=share.id, size=share.size,
            share_proto=share.share_proto, share_type_id=share.share_type_id,
            extra_specs={k: v for k, v in specs.items()
                         if k != 'share_backend_name'},
            availability_zone=availability_zone,
            replication_type=share.replication_type,
            active_replica_host=active[0].host,
            scheduler_hints=({'only_host': only_host}
                             if only_host and ctx.is_admin else {}),
            project_id=ctx.project_id)
        self.notifier.info(ctx, 'share_replica.create.start', {
            'share_id': share.id, 'share_replica_id': replica.id,
            'availability_zone': availability_zone})
        self.share_api.cast('create_replica',
                             self.share_api.scheduler_rpcapi.create_replica,
                             ctx, replica.id, spec)
        return replica

    def _check_replica_zone(self, ctx, specs, availability_zone):
        try:
            self.share_api.check_zone(ctx, availability_zone)
        except exceptions.AvailabilityZoneNotFound as exc:
            raise exceptions.InvalidInput(reason=exc.msg) from None
        allowed = specs.get('availability_zones')
        if allowed and availability_zone not in {
                z.strip() for z in allowed.split(',')}:
            raise exceptions.InvalidInput(
                reason='availability zone %s is not among the share '
                       "type's availability_zones" % availability_zone)

    # --- delete -------------------------------------------------------------
    def _check_not_last_active(self, ctx, replica):
        if replica.replica_state != states.REPLICA_STATE_ACTIVE:
            return
        others = [r for r in db.replica_get_all(ctx,
                                                share_id=replica.share_id)
                  if r.id != replica.id
                  and r.replica_state == states.REPLICA_STATE_ACTIVE]
        if not others:
            raise exceptions.ReplicationException(
                reason='Cannot delete last active replica.')

    def delete(self, ctx, replica_id, *, force=False):
        replica = self.get(ctx, replica_id)
        self._check_not_last_active(ctx, replica)
        if not replica.host:
            db.share_instance_destroy(ctx, replica.id)
            return
        if force:
            db.share_instance_transition(ctx, replica.id,
                                         event='force_delete')
        else:
            db.share_instance_transition(ctx, replica.id,
                                         event='replica_delete')
        self.share_api.cast('delete_replica',
                             self.share_api.share_rpcapi.delete_replica,
                             ctx, replica.host, replica.id, force=force)

    # --- promote / resync ---------------------------------------------------
    def promote(self, ctx, replica_id, *, is_admin):
        """Returns None when the replica already is active (200)."""
        replica = self.get(ctx, replica_id)
        if replica.replica_state == states.REPLICA_STATE_ACTIVE:
            return None
        if replica.status != states.STATUS_AVAILABLE:
            raise exceptions.ReplicationException(
                reason='replica %s must be available to be promoted, not '
                       '%s' % (replica.id, replica.status))
        if replica.replica_state in (states.REPLICA_STATE_OUT_OF_SYNC,
                                     states.REPLICA_STATE_ERROR) \
                and not is_admin:
            raise exceptions.PolicyNotAuthorized(
                action='promote a replica that is %s'
                       % replica.replica_state)
        db.share_instance_transition(
            ctx, replica.id, states.STATUS_REPLICATION_CHANGE,
            sources={states.STATUS_AVAILABLE})
        self.share_api.cast('promote_replica',
                             self.share_api.share_rpcapi.promote_replica,
                             ctx, replica.host, replica.id)
        return db.replica_get(ctx, replica.id)

    def resync(self, ctx, replica_id):
        """Returns False when the replica is active (nothing to do)."""
        replica = self.get(ctx, replica_id)
        if replica.replica_state == states.REPLICA_STATE_ACTIVE:
            return False
        if not replica.host:
            raise exceptions.ReplicationException(
                reason='replica %s has no host yet' % replica.id)
        self.share_api.cast(
            'update_replica_state',
            self.share_api.share_rpcapi.update_replica_state,
            ctx, replica.host, replica.id)
        return True

    # --- admin resets -------------------------------------------------------
    def reset_status(self, ctx, replica_id, status):
        if status not in states.RESET_STATUSES:
            raise exceptions.InvalidInput(
                reason='invalid status %r; allowed: %s' % (
                    status, ', '.join(sorted(states.RESET_STATUSES))))
        replica = self.get(ctx, replica_id)
        db.share_instance_transition(ctx, replica.id, status,
                                     event='reset_status')

    def reset_replica_state(self, ctx, replica_id, replica_state):
        if replica_state not in states.REPLICA_STATES:
            raise exceptions.InvalidInput(
                reason='invalid replica_state %r; allowed: %s' % (
                    replica_state, ', '.join(sorted(states.REPLICA_STATES))))
        replica = self.get(ctx, replica_id)
        if replica.replica_state == states.REPLICA_STATE_ACTIVE:
            raise exceptions.ReplicationException(
                reason='the replica_state of an active replica cannot be '
                       'reset')
        db.replica_state_transition(ctx, replica.id, replica_state,
                                    event='reset_replica_state')
