"""In-code policy defaults, one module per resource.

``list_rules()`` is the ``oslo.policy.policies`` entry point
(``manila_lite = manila_lite.policies:list_rules``) used by the sample
generator; ``manila_lite.api.policy`` registers the same rules on its
Enforcer.
"""

import itertools

from manila_lite.policies import availability_zone
from manila_lite.policies import base
from manila_lite.policies import message
from manila_lite.policies import quotas
from manila_lite.policies import resource_lock
from manila_lite.policies import scheduler_stats
from manila_lite.policies import service
from manila_lite.policies import share_access
from manila_lite.policies import share_backup
from manila_lite.policies import share_export_location
from manila_lite.policies import share_group
from manila_lite.policies import share_group_type
from manila_lite.policies import share_instance
from manila_lite.policies import share_replica
from manila_lite.policies import share_snapshot
from manila_lite.policies import share_snapshot_export_location
from manila_lite.policies import share_snapshot_instance
from manila_lite.policies import share_type
from manila_lite.policies import share_types_extra_spec
from manila_lite.policies import shares


def list_rules():
    return list(itertools.chain(
        base.list_rules(),
        shares.list_rules(),
        share_type.list_rules(),
        share_types_extra_spec.list_rules(),
        share_snapshot.list_rules(),
        share_export_location.list_rules(),
        share_access.list_rules(),
        share_replica.list_rules(),
        availability_zone.list_rules(),
        service.list_rules(),
        message.list_rules(),
        resource_lock.list_rules(),
        scheduler_stats.list_rules(),
        share_instance.list_rules(),
        share_snapshot_instance.list_rules(),
        share_snapshot_export_location.list_rules(),
        quotas.list_rules(),
        share_backup.list_rules(),
        share_group_type.list_rules(),
        share_group.list_rules(),
    ))
