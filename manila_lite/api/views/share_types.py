"""Share type representations (returned under both the share_type and
the legacy volume_type keys, as upstream)."""

from manila_lite.api import microversion as mv
from manila_lite.api import views

#: Extra specs a non-admin may see (upstream's tenant-visible set).
TENANT_VISIBLE_SPECS = frozenset({
    'driver_handles_share_servers', 'snapshot_support',
    'create_share_from_snapshot_support', 'revert_to_snapshot_support',
    'mount_snapshot_support', 'replication_type', 'availability_zones',
    'provisioning:max_share_size', 'provisioning:min_share_size',
    'provisioning:max_share_extend_size',
    'snapshot_inherit_share_access_support',
})

#: Capabilities a non-admin reads in every type from their version on,
#: ``False`` when the type leaves them out (what a share of the type
#: gets), as upstream answers manila-tempest-plugin's
#: test_try_read_extra_specs_on_share_type_with_user.
SHOWN_CAPABILITIES = (
    ('snapshot_support', mv.GATE_CREATE_FROM_SNAPSHOT_SUPPORT),
    ('create_share_from_snapshot_support',
     mv.GATE_CREATE_FROM_SNAPSHOT_SUPPORT),
    ('revert_to_snapshot_support', mv.GATE_REVERT_TO_SNAPSHOT_SUPPORT),
    ('mount_snapshot_support', mv.GATE_MOUNT_SNAPSHOT_SUPPORT),
    ('snapshot_inherit_share_access_support',
     mv.GATE_SNAPSHOT_INHERIT_ACCESS),
)


class ShareTypeView(views.VersionedView):

    def detail(self, req, stype, *, default_id=None):
        specs = {s.spec_key: s.spec_value for s in stype.extra_specs}
        if not req.ctx.is_admin:
            specs = {k: v for k, v in specs.items()
                     if k in TENANT_VISIBLE_SPECS}
            for key, gate in SHOWN_CAPABILITIES:
                if req.version >= gate:
                    specs.setdefault(key, 'False')
        required = {k: v for k, v in specs.items()
                    if k == 'driver_handles_share_servers'}
        view = {
            'id': stype.id,
            'name': stype.name,
            'extra_specs': specs,
            'required_extra_specs': required,
        }
        self._default_id = default_id
        return self.apply(req, view, stype)

    @views.until(mv.GATE_CORE_URLS)
    def add_legacy_is_public(self, req, view, stype):
        view['os-share-type-access:is_public'] = stype.is_public

    @views.since(mv.GATE_CORE_URLS)
    def add_is_public(self, req, view, stype):
        view['share_type_access:is_public'] = stype.is_public

    @views.since(mv.GATE_SHARE_TYPE_DESCRIPTION)
    def add_description(self, req, view, stype):
        view['description'] = stype.description

    @views.since(mv.GATE_SHARE_TYPE_IS_DEFAULT)
    def add_is_default(self, req, view, stype):
        view['is_default'] = stype.id == self._default_id


def _default_id(default):
    return default.id if default is not None else None


def show(req, stype, default=None):
    view = ShareTypeView().detail(req, stype,
                                  default_id=_default_id(default))
    return {'share_type': view, 'volume_type': view}


def index(req, stypes, default=None):
    builder = ShareTypeView()
    items = [builder.detail(req, t, default_id=_default_id(default))
             for t in stypes]
    return {'share_types': items, 'volume_types': items}


def extra_specs(specs):
    return {'extra_specs': dict(specs)}


def access_list(share_type_id, project_ids):
    return {'share_type_access': [
        {'share_type_id': share_type_id, 'project_id': p}
        for p in project_ids]}
