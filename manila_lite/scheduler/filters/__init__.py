"""Scheduler filters: each a function ``(pool, spec) -> bool``.

``spec`` is the request spec dict the share API sends (size,
availability_zone, extra_specs, scheduler_hints, ...). ``FILTERS`` maps
the names accepted in ``scheduler_driver_filters`` to the functions.
"""

from manila_lite.scheduler.filters import affinity
from manila_lite.scheduler.filters import availability_zone
from manila_lite.scheduler.filters import capabilities
from manila_lite.scheduler.filters import capacity
from manila_lite.scheduler.filters import create_from_snapshot

FILTERS = {
    'AvailabilityZoneFilter': availability_zone.passes,
    'CapacityFilter': capacity.passes,
    'CapabilitiesFilter': capabilities.passes,
    'AffinityFilter': affinity.same_host,
    'AntiAffinityFilter': affinity.different_host,
    'CreateFromSnapshotFilter': create_from_snapshot.passes,
}
