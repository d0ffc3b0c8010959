"""Share instance representations (admin, 2.3+), as upstream's
share_instance view: every field added at the version named by its
modifier."""

from manila_lite.api import microversion as mv
from manila_lite.api import views


class InstanceView(views.VersionedView):

    def detail(self, req, inst):
        view = {
            'id': inst.id,
            'share_id': inst.share_id,
            'availability_zone': inst.availability_zone,
            'created_at': views.isotime(inst.created_at),
            'host': inst.host,
            'status': inst.status,
            'share_network_id': inst.share_network_id,
            'share_server_id': inst.share_server_id,
        }
        return self.apply(req, view, inst)

    @views.until(mv.GATE_EXPORT_LOCATIONS_API)
    def add_export_locations(self, req, view, inst):
        paths = [el.path for el in inst.export_locations]
        view['export_location'] = paths[0] if paths else None
        view['export_locations'] = paths

    @views.since(mv.GATE_ACCESS_RULES_STATUS)
    def add_access_rules_status(self, req, view, inst):
        view['access_rules_status'] = inst.access_rules_status

    @views.since(mv.GATE_REPLICATION_FIELDS)
    def add_replica_state(self, req, view, inst):
        view['replica_state'] = inst.replica_state

    @views.since(mv.GATE_SHARE_INSTANCE_TYPE_ID)
    def add_share_type_id(self, req, view, inst):
        view['share_type_id'] = inst.share_type_id

    @views.since(mv.GATE_REPLICA_CAST_RULES)
    def add_cast_rules_to_readonly(self, req, view, inst):
        view['cast_rules_to_readonly'] = bool(inst.cast_rules_to_readonly)

    @views.since(mv.GATE_SHARE_PROGRESS)
    def add_progress(self, req, view, inst):
        view['progress'] = inst.progress

    @views.since(mv.GATE_SHARE_INSTANCE_UPDATED_AT)
    def add_updated_at(self, req, view, inst):
        view['updated_at'] = views.isotime(inst.updated_at)


VIEW = InstanceView()


def index(req, instances):
    return {'share_instances': [VIEW.detail(req, i) for i in instances]}


def show(req, instance):
    return {'share_instance': VIEW.detail(req, instance)}


class SnapshotInstanceView:
    """Snapshot instances (2.19+): the same fields at every version."""

    @staticmethod
    def summary(si):
        return {'id': si.id, 'snapshot_id': si.snapshot_id,
                'status': si.status}

    def detail(self, si):
        view = self.summary(si)
        view.update({
            'share_id': si.snapshot.share_id,
            'share_instance_id': si.share_instance_id,
            'created_at': views.isotime(si.created_at),
            'updated_at': views.isotime(si.updated_at),
            'progress': si.progress,
            'provider_location': si.provider_location,
        })
        return view


SNAPSHOT_VIEW = SnapshotInstanceView()


def snapshot_instances(instances, *, detail):
    render = SNAPSHOT_VIEW.detail if detail else SNAPSHOT_VIEW.summary
    return {'snapshot_instances': [render(si) for si in instances]}


def snapshot_instance(si):
    return {'snapshot_instance': SNAPSHOT_VIEW.detail(si)}
