"""Share snapshot representations."""

from manila_lite.api import microversion as mv
from manila_lite.api import views


class SnapshotView(views.VersionedView):

    def summary(self, req, snap):
        return {'id': snap.id, 'name': snap.name,
                'links': req.link('snapshots', snap.id)}

    def detail(self, req, snap):
        view = {
            'id': snap.id,
            'share_id': snap.share_id,
            'share_size': snap.share_size,
            'created_at': views.isotime(snap.created_at),
            'status': snap.status,
            'name': snap.name,
            'description': snap.description,
            'size': snap.size,
            'share_proto': snap.share_proto,
            'links': req.link('snapshots', snap.id),
        }
        return self.apply(req, view, snap)

    @views.since(mv.GATE_SNAPSHOT_PROVIDER_LOCATION)
    def add_provider_location(self, req, view, snap):
        # Where the back end keeps the snapshot: administrators only.
        if req.ctx.is_admin:
            instance = snap.instance
            view['provider_location'] = (instance.provider_location
                                         if instance else None)

    @views.since(mv.GATE_SNAPSHOT_OWNER_FIELDS)
    def add_owner_fields(self, req, view, snap):
        view['project_id'] = snap.project_id
        view['user_id'] = snap.user_id

    @views.since(mv.GATE_SNAPSHOT_METADATA)
    def add_metadata(self, req, view, snap):
        view['metadata'] = snap.metadata_dict


VIEW = SnapshotView()


def show(req, snap):
    return {'snapshot': VIEW.detail(req, snap)}


def index(req, snaps, *, detail):
    build = VIEW.detail if detail else VIEW.summary
    return {'snapshots': [build(req, s) for s in snaps]}
