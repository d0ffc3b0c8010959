"""Share representations: summary and detail, by microversion."""

from manila_lite.api import microversion as mv
from manila_lite.api import views
from manila_lite.common import states

_TRUE = ('true', '1', 'yes', 'on', 't', 'y', '<is> true')


def _spec_bool(share, key, default=False):
    stype = share.share_type
    if stype is None:
        return default
    for spec in stype.extra_specs:
        if spec.spec_key == key:
            return str(spec.spec_value).strip().lower() in _TRUE
    return default


class ShareView(views.VersionedView):

    def summary(self, req, share):
        return {'id': share.id, 'name': share.name,
                'links': req.link('shares', share.id)}

    def detail(self, req, share):
        stype = share.share_type
        instance = share.instance
        view = {
            'id': share.id,
            'size': share.size,
            'availability_zone': share.availability_zone,
            'created_at': views.isotime(share.created_at),
            'status': share.status,
            'name': share.name,
            'description': share.description,
            'project_id': share.project_id,
            'snapshot_id': share.snapshot_id,
            'share_network_id': share.share_network_id,
            'share_proto': share.share_proto,
            'metadata': share.metadata_dict,
            'share_type': stype.name if stype else None,
            'volume_type': stype.name if stype else None,
            'links': req.link('shares', share.id),
            'is_public': share.is_public,
        }
        if req.is_host_admin():
            view['host'] = share.host
            view['share_server_id'] = (instance.share_server_id
                                       if instance else None)
            progress = migration_progress(share)
            if progress is not None:
                view['migration_progress'] = progress
        return self.apply(req, view, share)

    @views.until(mv.GATE_EXPORT_LOCATIONS_API)
    def add_export_locations(self, req, view, share):
        paths = [el.path for el in share.export_locations]
        view['export_locations'] = paths
        view['export_location'] = paths[0] if paths else None

    @views.since(mv.GATE_SNAPSHOT_SUPPORT)
    def add_snapshot_support(self, req, view, share):
        view['snapshot_support'] = share.snapshot_support

    @views.since(mv.GATE_TASK_STATE)
    def add_task_state(self, req, view, share):
        view['task_state'] = share.task_state

    @views.since(mv.GATE_SHARE_TYPE_UUID)
    def add_share_type_uuid(self, req, view, share):
        view['share_type'] = share.share_type_id
        view['share_type_name'] = (share.share_type.name
                                   if share.share_type else None)

    @views.since(mv.GATE_ACCESS_RULES_STATUS)
    def add_access_rules_status(self, req, view, share):
        instance = share.instance
        status = instance.access_rules_status if instance else None
        if (status == states.ACCESS_RULES_STATUS_SYNCING
                and req.version < mv.GATE_ACCESS_RULES_SYNCING):
            status = states.ACCESS_RULES_STATUS_OUT_OF_SYNC
        view['access_rules_status'] = status

    @views.since(mv.GATE_REPLICATION_FIELDS)
    def add_replication_fields(self, req, view, share):
        view['replication_type'] = share.replication_type
        view['has_replicas'] = share.has_replicas

    @views.since(mv.GATE_SHARE_USER_ID)
    def add_user_id(self, req, view, share):
        view['user_id'] = share.user_id

    @views.since(mv.GATE_CREATE_FROM_SNAPSHOT_SUPPORT)
    def add_create_from_snapshot_support(self, req, view, share):
        view['create_share_from_snapshot_support'] = _spec_bool(
            share, 'create_share_from_snapshot_support')

    @views.since(mv.GATE_REVERT_TO_SNAPSHOT_SUPPORT)
    def add_revert_to_snapshot_support(self, req, view, share):
        view['revert_to_snapshot_support'] = _spec_bool(
            share, 'revert_to_snapshot_support')

    @views.since(mv.GATE_SHARE_GROUP_FIELDS)
    def add_share_group_fields(self, req, view, share):
        view['share_group_id'] = share.share_group_id
        view['source_share_group_snapshot_member_id'] = None

    @views.since(mv.GATE_MOUNT_SNAPSHOT_SUPPORT)
    def add_mount_snapshot_support(self, req, view, share):
        view['mount_snapshot_support'] = _spec_bool(
            share, 'mount_snapshot_support')

    @views.since(mv.GATE_SHARE_PROGRESS)
    def add_progress(self, req, view, share):
        instance = share.instance
        view['progress'] = instance.progress if instance else None

    @views.since(mv.GATE_SOFT_DELETE)
    def add_soft_delete_fields(self, req, view, share):
        view['is_soft_deleted'] = share.is_soft_deleted
        view['scheduled_to_be_deleted_at'] = views.isotime(
            share.scheduled_to_be_deleted_at)

    @views.since(mv.GATE_SOURCE_BACKUP_ID)
    def add_source_backup_id(self, req, view, share):
        view['source_backup_id'] = None

    @views.since(mv.GATE_ENCRYPTION_KEY_REF)
    def add_encryption_key_ref(self, req, view, share):
        view['encryption_key_ref'] = None

    @views.since(mv.GATE_SNAPSHOT_INHERIT_ACCESS)
    def add_snapshot_inherit_access(self, req, view, share):
        view['snapshot_inherit_share_access_support'] = _spec_bool(
            share, 'snapshot_inherit_share_access_support')


def migration_progress(share):
    """Our admin-only extension: 0-100 while a migration runs (read
    from the destination instance, which the flows keep current), absent
    otherwise; shown by role, like ``host``, so the real CLI sees it."""
    for inst in share.instances:
        if inst.status == states.STATUS_MIGRATING_TO:
            try:
                return int((inst.progress or '0').rstrip('%'))
            except ValueError:
                return 0
    return None


VIEW = ShareView()


def show(req, share):
    return {'share': VIEW.detail(req, share)}


def index(req, shares, *, detail, count=None, next_link=None):
    build = VIEW.detail if detail else VIEW.summary
    body = {'shares': [build(req, s) for s in shares]}
    if count is not None:
        body['count'] = count
    if next_link:
        body['shares_links'] = [{'rel': 'next', 'href': next_link}]
    return body
