"""The database API: what callers import (``from manila_lite.db import
api as db``).

The queries live in one module per aggregate, behind this one:
``engine.py`` (engine set-up, SQLite, transactions, retries),
``transition.py`` (the one writer of state columns), ``services.py``,
``share_types.py``, ``shares.py`` (with instances and export
locations), ``replicas.py``, ``snapshots.py``, ``access.py``,
``jobs.py``; smaller ones (backups, messages, quotas, resource locks,
...) are imported by their callers directly. This module re-exports the
aggregates' public functions by name, so a caller never needs to know
which module holds a query.

Functions take the ``RequestContext`` first and open (or join) a reader
or writer transaction on it: ``with writer(ctx):`` groups several calls
in one transaction. Returned ORM objects are detached with their
relationships loaded; callers never modify them.
"""

from manila_lite.db import access
from manila_lite.db import engine
from manila_lite.db import jobs
from manila_lite.db import replicas
from manila_lite.db import services
from manila_lite.db import share_types
from manila_lite.db import shares
from manila_lite.db import snapshots
from manila_lite.db import transition

# Engine and transactions (db/engine.py).
configure = engine.configure
get_engine = engine.get_engine
get_engines = engine.get_engines
create_all = engine.create_all
dispose = engine.dispose
reader = engine.reader
writer = engine.writer
sorted_page = engine.sorted_page

# State changes (db/transition.py).
StateWriteRefused = transition.StateWriteRefused
resolve_event = transition.resolve_event
share_instances_bulk_transition = transition.share_instances_bulk_transition
access_update_states = transition.access_update_states

# db/services.py
service_create_or_update = services.service_create_or_update
service_heartbeat = services.service_heartbeat
service_update = services.service_update
service_set_ensuring = services.service_set_ensuring
service_destroy = services.service_destroy
service_get = services.service_get
service_get_all = services.service_get_all
service_get_by_host_and_binary = services.service_get_by_host_and_binary
service_capabilities = services.service_capabilities

# db/share_types.py
share_type_create = share_types.share_type_create
share_type_get = share_types.share_type_get
share_type_get_by_name = share_types.share_type_get_by_name
share_type_get_by_id_or_name = share_types.share_type_get_by_id_or_name
share_type_get_all = share_types.share_type_get_all
share_type_update = share_types.share_type_update
share_type_destroy = share_types.share_type_destroy
share_type_extra_specs_set = share_types.share_type_extra_specs_set
share_type_extra_spec_delete = share_types.share_type_extra_spec_delete
share_type_ensure = share_types.share_type_ensure

# db/shares.py
share_create = shares.share_create
share_get = shares.share_get
share_get_all = shares.share_get_all
share_update = shares.share_update
share_task_state_transition = shares.share_task_state_transition
share_lock_unless_busy = shares.share_lock_unless_busy
share_destroy = shares.share_destroy
share_metadata_set = shares.share_metadata_set
share_metadata_delete = shares.share_metadata_delete
share_instance_create = shares.share_instance_create
share_instance_get = shares.share_instance_get
share_instance_get_all_by_host = shares.share_instance_get_all_by_host
share_instance_update = shares.share_instance_update
share_instance_transition = shares.share_instance_transition
access_rules_status_transition = shares.access_rules_status_transition
share_instance_destroy = shares.share_instance_destroy
export_locations_replace = shares.export_locations_replace
export_locations_replace_many = shares.export_locations_replace_many

# db/replicas.py
replica_get = replicas.replica_get
replica_get_all = replicas.replica_get_all
replica_create = replicas.replica_create
replica_state_transition = replicas.replica_state_transition
replica_metadata_set = replicas.replica_metadata_set
replica_metadata_delete = replicas.replica_metadata_delete

# db/snapshots.py
snapshot_create = snapshots.snapshot_create
snapshot_get = snapshots.snapshot_get
snapshot_get_all = snapshots.snapshot_get_all
snapshot_count_by_share = snapshots.snapshot_count_by_share
snapshot_update = snapshots.snapshot_update
snapshot_metadata_set = snapshots.snapshot_metadata_set
snapshot_metadata_delete = snapshots.snapshot_metadata_delete
snapshot_instance_get = snapshots.snapshot_instance_get
snapshot_instance_get_all_by_share_instance = (
    snapshots.snapshot_instance_get_all_by_share_instance)
snapshot_instances_move = snapshots.snapshot_instances_move
snapshot_instance_add = snapshots.snapshot_instance_add
snapshot_instance_update = snapshots.snapshot_instance_update
snapshot_instance_transition = snapshots.snapshot_instance_transition
snapshot_instance_destroy = snapshots.snapshot_instance_destroy
snapshot_destroy = snapshots.snapshot_destroy

# db/access.py
access_create = access.access_create
access_get = access.access_get
access_get_all_by_share = access.access_get_all_by_share
access_get_all_by_shares = access.access_get_all_by_shares
access_update = access.access_update
access_transition = access.access_transition
access_destroy = access.access_destroy
access_metadata_update = access.access_metadata_update
access_metadata_delete = access.access_metadata_delete

# db/jobs.py
data_copy_job_create = jobs.data_copy_job_create
data_copy_job_get = jobs.data_copy_job_get
data_copy_job_get_all = jobs.data_copy_job_get_all
data_copy_job_update = jobs.data_copy_job_update
data_copy_job_transition = jobs.data_copy_job_transition

# Helpers the smaller db modules reach through this module (they
# import ``api``): kept so that they need not know the split.
_UNSET = transition._UNSET
_transition = transition._transition
_refuse_state_columns = transition._refuse_state_columns
_get = engine._get
_create = engine._create
_conditional_update = engine._conditional_update
_in = engine._in
_metadata_set = engine._metadata_set
_metadata_update = engine._metadata_update
_metadata_delete = engine._metadata_delete
_retry_duplicate = engine._retry_duplicate

# Registers the ORM hook that releases quota usage with whatever deletes
# a share, snapshot or replica (imported last: it builds on this module).
from manila_lite.db import quotas as _quotas  # noqa: E402,F401
