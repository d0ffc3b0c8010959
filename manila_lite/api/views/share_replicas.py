"""Share replica representations (2.11+).

Besides upstream's fields, admins see two keys of manila_lite's own
(an extension, like ``host``): ``last_sync_at``, when the replica was
last known equal to the active one, and ``sync_lag_seconds``, how old
its data may be (seconds since then; null for the active replica of a
``readable`` or ``dr`` share, and for replicas never synced).
"""

from oslo_utils import timeutils

from manila_lite.api import microversion as mv
from manila_lite.api import views


def sync_lag_seconds(replica, now=None):
    if replica.last_sync_at is None:
        return None
    now = now or timeutils.utcnow()
    return max(0, int((now - replica.last_sync_at).total_seconds()))


class ReplicaView(views.VersionedView):

    def summary(self, req, replica):
        return {'id': replica.id, 'share_id': replica.share_id,
                'status': replica.status,
                'replica_state': replica.replica_state}

    def detail(self, req, replica):
        view = self.summary(req, replica)
        view.update({
            'availability_zone': replica.availability_zone,
            'created_at': views.isotime(replica.created_at),
            'updated_at': views.isotime(replica.updated_at),
            'share_network_id': replica.share_network_id,
        })
        if req.is_host_admin():
            view['share_server_id'] = replica.share_server_id
            view['host'] = replica.host
            view['last_sync_at'] = views.isotime(replica.last_sync_at)
            view['sync_lag_seconds'] = sync_lag_seconds(replica)
        return self.apply(req, view, replica)

    @views.since(mv.GATE_REPLICA_CAST_RULES)
    def add_cast_rules_to_readonly(self, req, view, replica):
        if req.is_host_admin():
            view['cast_rules_to_readonly'] = replica.cast_rules_to_readonly

    @views.since(mv.GATE_REPLICA_METADATA)
    def add_metadata(self, req, view, replica):
        view['metadata'] = replica.metadata_dict


VIEW = ReplicaView()


def index(req, replicas):
    return {'share_replicas': [VIEW.summary(req, r) for r in replicas]}


def detail_list(req, replicas):
    return {'share_replicas': [VIEW.detail(req, r) for r in replicas]}


def show(req, replica):
    return {'share_replica': VIEW.detail(req, replica)}


def export_locations(req, replica, locations):
    admin = req.ctx.is_admin
    out = []
    for el in locations:
        item = {'id': el.uuid, 'path': el.path, 'preferred': el.preferred,
                'replica_state': replica.replica_state,
                'availability_zone': replica.availability_zone}
        if req.version >= mv.GATE_EXPORT_LOCATION_METADATA:
            item['metadata'] = {}
        if admin:
            item['share_instance_id'] = el.share_instance_id
            item['is_admin_only'] = el.is_admin_only
        out.append((el, item))
    return out
