"""What a share type's extra specs say, for the API side and the
services alike."""

from manila_lite.common import utils


def extra_specs_dict(share_type):
    """``{key: value}`` of ``share_type``'s extra specs."""
    return {s.spec_key: s.spec_value for s in share_type.extra_specs}


def share_attributes_from_type(share_type):
    """The share fields a share copies from its type, at create and at
    migration complete with a new type: as upstream's
    ``get_share_attributes_from_share_type``, a capability the type does
    not name is False."""
    specs = extra_specs_dict(share_type)
    return {
        'snapshot_support': utils.is_true(
            specs.get('snapshot_support', False)),
        'replication_type': specs.get('replication_type'),
    }
