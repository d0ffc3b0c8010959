"""Every status value, and the tables of which changes are legal.

Spellings match upstream Manila's ``manila/common/constants.py``. Code
elsewhere never writes a status literal: it names a constant from here
and asks the tables below which states a change may start from. The
database layer turns those answers into the ``WHERE`` clause of one
conditional ``UPDATE`` (see ``db.api.share_instance_transition``), so two
racing requests cannot both win.

No logic lives here beyond a few pure helpers on the tables; the event
machinery (``Event``, ``ANY``, the derived graphs) is ``common/fsm.py``.
"""

from manila_lite.common.fsm import ANY as ANY
from manila_lite.common.fsm import Event
from manila_lite.common.fsm import next_table

# --- share and share instance ``status`` ------------------------------------
STATUS_CREATING = 'creating'
STATUS_DELETING = 'deleting'
STATUS_DELETED = 'deleted'
STATUS_ERROR = 'error'
STATUS_ERROR_DELETING = 'error_deleting'
STATUS_AVAILABLE = 'available'
STATUS_INACTIVE = 'inactive'
STATUS_MIGRATING = 'migrating'
STATUS_MIGRATING_TO = 'migrating_to'
STATUS_REPLICATION_CHANGE = 'replication_change'
STATUS_EXTENDING = 'extending'
STATUS_EXTENDING_ERROR = 'extending_error'
STATUS_SHRINKING = 'shrinking'
STATUS_SHRINKING_ERROR = 'shrinking_error'
#: The driver refused a shrink: the data would not fit. The share is
#: unchanged; a shrink to a larger size may be tried again from here.
STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR = (
    'shrinking_possible_data_loss_error')
STATUS_REVERTING = 'reverting'
#: A revert to snapshot failed: the share's content is unknown (the
#: driver may have restored part of it); an admin checks and resets.
STATUS_REVERTING_ERROR = 'reverting_error'
STATUS_ENSURING = 'ensuring'
STATUS_SERVER_MIGRATING = 'server_migrating'
STATUS_SERVER_MIGRATING_TO = 'server_migrating_to'
STATUS_MANAGE_STARTING = 'manage_starting'
STATUS_UNMANAGE_STARTING = 'unmanage_starting'
STATUS_RESTORING = 'restoring'
STATUS_BACKUP_CREATING = 'backup_creating'
STATUS_BACKUP_RESTORING = 'backup_restoring'
#: A restore into the share failed part-way: its files are a mix of
#: the backup's and their own (upstream's state; reset_status leaves it).
STATUS_BACKUP_RESTORING_ERROR = 'backup_restoring_error'
STATUS_REVERTING_TO_SNAPSHOT = 'reverting_to_snapshot'

#: States in which an instance is being worked on by some service.
TRANSITIONAL_STATUSES = frozenset({
    STATUS_CREATING, STATUS_DELETING, STATUS_MANAGE_STARTING,
    STATUS_UNMANAGE_STARTING, STATUS_EXTENDING, STATUS_SHRINKING,
    STATUS_MIGRATING, STATUS_MIGRATING_TO, STATUS_RESTORING,
    STATUS_REVERTING, STATUS_SERVER_MIGRATING, STATUS_SERVER_MIGRATING_TO,
    STATUS_BACKUP_RESTORING, STATUS_BACKUP_CREATING, STATUS_ENSURING,
    STATUS_REVERTING_TO_SNAPSHOT,
})

#: Values an admin may set with the ``reset_status`` action (shares and
#: replicas alike, as upstream).
RESET_STATUSES = frozenset({
    STATUS_CREATING, STATUS_AVAILABLE, STATUS_DELETING, STATUS_ERROR,
    STATUS_ERROR_DELETING, STATUS_MIGRATING, STATUS_MIGRATING_TO,
    STATUS_SERVER_MIGRATING,
})

# --- share ``task_state`` (migration) --------------------------------------
TASK_STATE_MIGRATION_STARTING = 'migration_starting'
TASK_STATE_MIGRATION_IN_PROGRESS = 'migration_in_progress'
TASK_STATE_MIGRATION_COMPLETING = 'migration_completing'
TASK_STATE_MIGRATION_SUCCESS = 'migration_success'
TASK_STATE_MIGRATION_ERROR = 'migration_error'
TASK_STATE_MIGRATION_CANCELLED = 'migration_cancelled'
TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS = 'migration_cancel_in_progress'
TASK_STATE_MIGRATION_DRIVER_STARTING = 'migration_driver_starting'
TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS = 'migration_driver_in_progress'
TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE = 'migration_driver_phase1_done'
TASK_STATE_DATA_COPYING_STARTING = 'data_copying_starting'
TASK_STATE_DATA_COPYING_IN_PROGRESS = 'data_copying_in_progress'
TASK_STATE_DATA_COPYING_COMPLETING = 'data_copying_completing'
TASK_STATE_DATA_COPYING_COMPLETED = 'data_copying_completed'
TASK_STATE_DATA_COPYING_CANCELLED = 'data_copying_cancelled'
TASK_STATE_DATA_COPYING_ERROR = 'data_copying_error'

#: A share in one of these task states is "busy": most actions refuse it
#: and ensure skips it.
BUSY_TASK_STATES = frozenset({
    TASK_STATE_MIGRATION_STARTING, TASK_STATE_MIGRATION_IN_PROGRESS,
    TASK_STATE_MIGRATION_COMPLETING, TASK_STATE_MIGRATION_DRIVER_STARTING,
    TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS,
    TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE,
    TASK_STATE_DATA_COPYING_STARTING, TASK_STATE_DATA_COPYING_IN_PROGRESS,
    TASK_STATE_DATA_COPYING_COMPLETING, TASK_STATE_DATA_COPYING_COMPLETED,
    TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS,
})

#: Task states an admin may set with ``reset_task_state`` (plus None).
RESET_TASK_STATES = frozenset({
    TASK_STATE_MIGRATION_STARTING, TASK_STATE_MIGRATION_IN_PROGRESS,
    TASK_STATE_MIGRATION_COMPLETING, TASK_STATE_MIGRATION_SUCCESS,
    TASK_STATE_MIGRATION_ERROR, TASK_STATE_MIGRATION_CANCELLED,
    TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS,
    TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE,
    TASK_STATE_DATA_COPYING_STARTING, TASK_STATE_DATA_COPYING_IN_PROGRESS,
    TASK_STATE_DATA_COPYING_COMPLETING, TASK_STATE_DATA_COPYING_COMPLETED,
    TASK_STATE_DATA_COPYING_CANCELLED, TASK_STATE_DATA_COPYING_ERROR,
})

# --- replica_state -----------------------------------------------------------
REPLICA_STATE_ACTIVE = 'active'
REPLICA_STATE_IN_SYNC = 'in_sync'
REPLICA_STATE_OUT_OF_SYNC = 'out_of_sync'
REPLICA_STATE_ERROR = 'error'
REPLICA_STATES = frozenset({
    REPLICA_STATE_ACTIVE, REPLICA_STATE_IN_SYNC, REPLICA_STATE_OUT_OF_SYNC,
    REPLICA_STATE_ERROR,
})

REPLICATION_TYPE_WRITABLE = 'writable'
REPLICATION_TYPE_READABLE = 'readable'
REPLICATION_TYPE_DR = 'dr'
REPLICATION_TYPES = frozenset({
    REPLICATION_TYPE_WRITABLE, REPLICATION_TYPE_READABLE,
    REPLICATION_TYPE_DR,
})

# --- access rules ------------------------------------------------------------
ACCESS_STATE_QUEUED_TO_APPLY = 'queued_to_apply'
ACCESS_STATE_APPLYING = 'applying'
ACCESS_STATE_ACTIVE = 'active'
ACCESS_STATE_QUEUED_TO_DENY = 'queued_to_deny'
ACCESS_STATE_DENYING = 'denying'
ACCESS_STATE_ERROR = 'error'
ACCESS_STATE_DELETED = 'deleted'
#: What every rule shows below 2.28 while its share syncs (rules had no
#: state of their own then; never stored).
ACCESS_STATE_NEW = 'new'

ACCESS_RULES_STATUS_ACTIVE = 'active'
ACCESS_RULES_STATUS_SYNCING = 'syncing'
ACCESS_RULES_STATUS_ERROR = 'error'
#: Upstream renders ``syncing`` as this below microversion 2.28.
ACCESS_RULES_STATUS_OUT_OF_SYNC = 'out_of_sync'

ACCESS_LEVEL_RW = 'rw'
ACCESS_LEVEL_RO = 'ro'
ACCESS_LEVELS = frozenset({ACCESS_LEVEL_RW, ACCESS_LEVEL_RO})
ACCESS_TYPES = frozenset({'ip', 'user', 'cert', 'cephx'})

# --- services ----------------------------------------------------------------
SERVICE_STATE_UP = 'up'
SERVICE_STATE_DOWN = 'down'
SERVICE_STATE_STOPPED = 'stopped'
SERVICE_STATUS_ENABLED = 'enabled'
SERVICE_STATUS_DISABLED = 'disabled'

BINARY_API = 'manila-api'
BINARY_SCHEDULER = 'manila-scheduler'
BINARY_SHARE = 'manila-share'
BINARY_DATA = 'manila-data'

# --- data copy jobs ----------------------------------------------------------
JOB_QUEUED = 'queued'
JOB_RUNNING = 'running'
JOB_COMPLETED = 'completed'
JOB_CANCELLING = 'cancelling'
JOB_CANCELLED = 'cancelled'
JOB_ERROR = 'error'
JOB_FINAL = frozenset({JOB_COMPLETED, JOB_CANCELLED, JOB_ERROR})

# --- share backups ``status`` -----------------------------------------------
BACKUP_CREATING = STATUS_CREATING
BACKUP_AVAILABLE = STATUS_AVAILABLE
BACKUP_DELETING = STATUS_DELETING
BACKUP_ERROR = STATUS_ERROR
BACKUP_RESTORING = STATUS_RESTORING
#: States in which the data service works on a backup (and owns it).
BACKUP_TRANSITIONAL = frozenset({BACKUP_CREATING, BACKUP_RESTORING,
                                 BACKUP_DELETING})
#: Values an admin may set with the backup ``reset_status`` action.
BACKUP_RESET_STATUSES = frozenset({
    BACKUP_CREATING, BACKUP_AVAILABLE, BACKUP_DELETING, BACKUP_ERROR,
    BACKUP_RESTORING,
})
BACKUP_TYPE_DEFAULT = 'backup'

# --- transition tables -------------------------------------------------------
# Each state machine is one table of named events: ``event -> Event(
# sources, targets)``. ``db/transition.py`` applies an event as one
# conditional ``UPDATE ... WHERE <column> IN (sources)`` (its row count
# says who won) and is the only code writing a state column; the
# ``*_NEXT`` graphs below (and the pictures in doc/source/states) are
# derived from these tables. ``ANY`` as sources: whatever the row holds
# (admin resets, force-delete); as targets: whatever the caller names
# (the API checks reset values). tests/unit/test_state_writes.py fails
# on any state write that bypasses them.

#: Share instance (and replica) ``status``.
INSTANCE_EVENTS = {
    # placement and creation
    'place': Event({STATUS_CREATING}, {STATUS_CREATING}),
    'create_done': Event({STATUS_CREATING}, {STATUS_AVAILABLE}),
    'create_failed': Event({STATUS_CREATING}, {STATUS_ERROR}),
    # deletion
    'delete': Event({STATUS_AVAILABLE, STATUS_ERROR, STATUS_INACTIVE},
                    {STATUS_DELETING}),
    'replica_delete': Event(
        {STATUS_AVAILABLE, STATUS_ERROR, STATUS_ERROR_DELETING,
         STATUS_INACTIVE, STATUS_MIGRATING, STATUS_MIGRATING_TO,
         STATUS_ENSURING, STATUS_EXTENDING, STATUS_SHRINKING,
         STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR}, {STATUS_DELETING}),
    'force_delete': Event(ANY, {STATUS_DELETING}),
    #: A replica delete found it became the only active replica.
    'delete_refused': Event({STATUS_DELETING}, {STATUS_AVAILABLE}),
    'delete_failed': Event({STATUS_DELETING}, {STATUS_ERROR_DELETING}),
    'unmanage': Event(ANY, {STATUS_UNMANAGE_STARTING}),
    # replication
    'promote': Event({STATUS_AVAILABLE}, {STATUS_REPLICATION_CHANGE}),
    'promote_done': Event({STATUS_REPLICATION_CHANGE, STATUS_AVAILABLE,
                           STATUS_ERROR}, {STATUS_AVAILABLE}),
    #: A driver error in a replica flow: status and replica_state error.
    'replica_failed': Event(ANY, {STATUS_ERROR}),
    'replica_delete_failed': Event({STATUS_DELETING},
                                   {STATUS_ERROR_DELETING}),
    'replica_resynced': Event({STATUS_ERROR}, {STATUS_AVAILABLE}),
    # migration
    'migration_start': Event({STATUS_AVAILABLE}, {STATUS_MIGRATING}),
    'migration_source_restore': Event({STATUS_MIGRATING, STATUS_AVAILABLE},
                                      {STATUS_AVAILABLE}),
    'migration_dest_driver': Event({STATUS_CREATING}, {STATUS_MIGRATING_TO}),
    'migration_dest_fallback': Event({STATUS_CREATING, STATUS_MIGRATING_TO},
                                     {STATUS_CREATING}),
    'migration_dest_copy': Event({STATUS_AVAILABLE}, {STATUS_MIGRATING_TO}),
    'migration_dest_remove': Event(
        {STATUS_AVAILABLE, STATUS_ERROR, STATUS_MIGRATING_TO},
        {STATUS_DELETING}),
    'migration_complete_failed': Event({STATUS_MIGRATING,
                                        STATUS_MIGRATING_TO}, {STATUS_ERROR}),
    'migration_complete_done': Event({STATUS_MIGRATING_TO},
                                     {STATUS_AVAILABLE}),
    # resize
    'extend': Event({STATUS_AVAILABLE}, {STATUS_EXTENDING}),
    'shrink': Event({STATUS_AVAILABLE,
                     STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR},
                    {STATUS_SHRINKING}),
    'resize_done': Event({STATUS_EXTENDING, STATUS_SHRINKING},
                         {STATUS_AVAILABLE}),
    'extend_failed': Event({STATUS_EXTENDING}, {STATUS_EXTENDING_ERROR}),
    'shrink_failed': Event({STATUS_SHRINKING}, {
        STATUS_SHRINKING_ERROR, STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR}),
    #: The cast never left: back to the status it had.
    'resize_unsent': Event({STATUS_EXTENDING, STATUS_SHRINKING}, {
        STATUS_AVAILABLE, STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR}),
    # ensure
    'ensure': Event({STATUS_AVAILABLE, STATUS_ENSURING}, {STATUS_ENSURING}),
    'ensure_done': Event({STATUS_ENSURING}, {STATUS_AVAILABLE}),
    'ensure_failed': Event({STATUS_ENSURING, STATUS_AVAILABLE},
                           {STATUS_ERROR}),
    # revert to snapshot (share/revert.py, db/revert.py)
    'revert': Event({STATUS_AVAILABLE}, {STATUS_REVERTING}),
    #: Done, or the cast never left.
    'revert_done': Event({STATUS_REVERTING}, {STATUS_AVAILABLE}),
    'revert_failed': Event({STATUS_REVERTING}, {STATUS_REVERTING_ERROR}),
    # backups (data/backup.py, db/backups.py): a failed backup leaves
    # the share as it was; a failed restore leaves it part-restored.
    'backup_create': Event({STATUS_AVAILABLE}, {STATUS_BACKUP_CREATING}),
    'backup_created': Event({STATUS_BACKUP_CREATING}, {STATUS_AVAILABLE}),
    'backup_restore': Event({STATUS_AVAILABLE}, {STATUS_BACKUP_RESTORING}),
    'backup_restored': Event({STATUS_BACKUP_RESTORING}, {STATUS_AVAILABLE}),
    'backup_restore_failed': Event({STATUS_BACKUP_RESTORING},
                                   {STATUS_BACKUP_RESTORING_ERROR}),
    'backup_restore_error_delete': Event({STATUS_BACKUP_RESTORING_ERROR},
                                         {STATUS_DELETING}),
    # recycle bin (db/recycle.py): an expired share's purge retries a
    # delete that failed, as upstream.
    'purge': Event({STATUS_AVAILABLE, STATUS_ERROR, STATUS_INACTIVE,
                    STATUS_ERROR_DELETING}, {STATUS_DELETING}),
    # writable migration: the source stays until after the switch.
    'migration_source_retire': Event({STATUS_MIGRATING}, {STATUS_INACTIVE}),
    # admin
    'reset_status': Event(ANY, ANY),
}

#: Share ``task_state`` (migration; None: no task).
TASK_EVENTS = {
    'migration_noop': Event(
        {None, TASK_STATE_MIGRATION_SUCCESS, TASK_STATE_MIGRATION_ERROR,
         TASK_STATE_MIGRATION_CANCELLED, TASK_STATE_DATA_COPYING_CANCELLED,
         TASK_STATE_DATA_COPYING_ERROR}, {TASK_STATE_MIGRATION_SUCCESS}),
    'migration_start': Event(
        {None, TASK_STATE_MIGRATION_SUCCESS, TASK_STATE_MIGRATION_ERROR,
         TASK_STATE_MIGRATION_CANCELLED, TASK_STATE_DATA_COPYING_CANCELLED,
         TASK_STATE_DATA_COPYING_ERROR}, {TASK_STATE_MIGRATION_STARTING}),
    'migration_begin': Event({TASK_STATE_MIGRATION_STARTING,
                              TASK_STATE_MIGRATION_DRIVER_STARTING},
                             {TASK_STATE_MIGRATION_IN_PROGRESS}),
    'driver_start': Event({TASK_STATE_MIGRATION_IN_PROGRESS},
                          {TASK_STATE_MIGRATION_DRIVER_STARTING}),
    'driver_started': Event({TASK_STATE_MIGRATION_DRIVER_STARTING},
                            {TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS}),
    'driver_phase1_done': Event({TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS},
                                {TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE}),
    'copy_start': Event({TASK_STATE_MIGRATION_IN_PROGRESS},
                        {TASK_STATE_DATA_COPYING_STARTING}),
    'copy_running': Event({TASK_STATE_DATA_COPYING_STARTING},
                          {TASK_STATE_DATA_COPYING_IN_PROGRESS}),
    'copy_completing': Event({TASK_STATE_DATA_COPYING_IN_PROGRESS},
                             {TASK_STATE_DATA_COPYING_COMPLETING}),
    'copy_completed': Event({TASK_STATE_DATA_COPYING_COMPLETING},
                            {TASK_STATE_DATA_COPYING_COMPLETED}),
    'copy_cancelled': Event({TASK_STATE_DATA_COPYING_STARTING,
                             TASK_STATE_DATA_COPYING_IN_PROGRESS},
                            {TASK_STATE_DATA_COPYING_CANCELLED}),
    'copy_failed': Event({TASK_STATE_DATA_COPYING_STARTING,
                          TASK_STATE_DATA_COPYING_IN_PROGRESS,
                          TASK_STATE_DATA_COPYING_COMPLETING},
                         {TASK_STATE_DATA_COPYING_ERROR}),
    'migration_complete': Event({TASK_STATE_DATA_COPYING_COMPLETED,
                                 TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE},
                                {TASK_STATE_MIGRATION_COMPLETING}),
    'migration_done': Event({TASK_STATE_MIGRATION_COMPLETING},
                            {TASK_STATE_MIGRATION_SUCCESS}),
    'migration_cancelled': Event(
        {TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS,
         TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE,
         TASK_STATE_DATA_COPYING_IN_PROGRESS,
         TASK_STATE_DATA_COPYING_COMPLETED,
         TASK_STATE_DATA_COPYING_CANCELLED},
        {TASK_STATE_MIGRATION_CANCELLED}),
    #: Beyond upstream: a writable migration cancelled after
    #: ``migration_complete``, before the switch (during the read-only
    #: final pass). The switch can no longer happen; the data service
    #: stops the pass, then the source is made writable again.
    'final_pass_cancel': Event({TASK_STATE_MIGRATION_COMPLETING},
                               {TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS}),
    #: ... and once no pass runs any more, the share is back on its
    #: source.
    'final_pass_cancelled': Event({TASK_STATE_MIGRATION_CANCEL_IN_PROGRESS},
                                  {TASK_STATE_MIGRATION_CANCELLED}),
    #: Any step failed: the flow that owns the share ends it in error.
    'migration_failed': Event(
        BUSY_TASK_STATES | {TASK_STATE_DATA_COPYING_ERROR,
                            TASK_STATE_DATA_COPYING_CANCELLED,
                            TASK_STATE_MIGRATION_ERROR},
        {TASK_STATE_MIGRATION_ERROR}),
    'reset_task_state': Event(ANY, ANY),
}

#: Replica ``replica_state`` (None: not a replica).
REPLICA_EVENTS = {
    'replica_failed': Event(ANY, {REPLICA_STATE_ERROR}),
    #: A sync (or create) reports the state the driver found.
    'synced': Event({None, REPLICA_STATE_OUT_OF_SYNC, REPLICA_STATE_IN_SYNC,
                     REPLICA_STATE_ERROR, REPLICA_STATE_ACTIVE},
                    {REPLICA_STATE_OUT_OF_SYNC, REPLICA_STATE_IN_SYNC,
                     REPLICA_STATE_ERROR, REPLICA_STATE_ACTIVE}),
    'resync_forced': Event({REPLICA_STATE_IN_SYNC},
                           {REPLICA_STATE_OUT_OF_SYNC}),
    'promoted': Event({REPLICA_STATE_OUT_OF_SYNC, REPLICA_STATE_IN_SYNC,
                       REPLICA_STATE_ERROR, REPLICA_STATE_ACTIVE},
                      {REPLICA_STATE_ACTIVE}),
    'demoted': Event({REPLICA_STATE_ACTIVE}, {REPLICA_STATE_OUT_OF_SYNC}),
    #: A migrated share's new instance: active if the share replicates.
    'migrated': Event({None}, {None, REPLICA_STATE_ACTIVE}),
    'reset_replica_state': Event(
        {REPLICA_STATE_OUT_OF_SYNC, REPLICA_STATE_IN_SYNC,
         REPLICA_STATE_ERROR}, REPLICA_STATES),
}

#: Snapshot instance ``status``.
SNAPSHOT_EVENTS = {
    'create_done': Event({STATUS_CREATING}, {STATUS_AVAILABLE}),
    'create_failed': Event({STATUS_CREATING, STATUS_AVAILABLE},
                           {STATUS_ERROR}),
    'delete': Event({STATUS_AVAILABLE, STATUS_ERROR}, {STATUS_DELETING}),
    'delete_failed': Event({STATUS_DELETING}, {STATUS_ERROR_DELETING}),
    'force_delete': Event(ANY, {STATUS_DELETING}),
    #: A revert to this snapshot starts, and ends (either way).
    'restore': Event({STATUS_AVAILABLE}, {STATUS_RESTORING}),
    'restore_done': Event({STATUS_RESTORING}, {STATUS_AVAILABLE}),
    'reset_status': Event(ANY, ANY),
}

#: Access rule ``state``.
ACCESS_EVENTS = {
    'deny': Event({ACCESS_STATE_QUEUED_TO_APPLY, ACCESS_STATE_APPLYING,
                   ACCESS_STATE_ACTIVE, ACCESS_STATE_ERROR,
                   ACCESS_STATE_QUEUED_TO_DENY, ACCESS_STATE_DENYING},
                  {ACCESS_STATE_QUEUED_TO_DENY}),
    'level_change': Event({ACCESS_STATE_ACTIVE},
                          {ACCESS_STATE_QUEUED_TO_APPLY}),
    'apply': Event({ACCESS_STATE_QUEUED_TO_APPLY}, {ACCESS_STATE_APPLYING}),
    'deny_start': Event({ACCESS_STATE_QUEUED_TO_DENY},
                        {ACCESS_STATE_DENYING}),
    'applied': Event({ACCESS_STATE_APPLYING}, {ACCESS_STATE_ACTIVE}),
    'apply_failed': Event({ACCESS_STATE_APPLYING}, {ACCESS_STATE_ERROR}),
}

#: Snapshot access rule ``state`` (mountable snapshots, 2.32): read-only
#: rules of every instance of a snapshot; a denied rule is deleted once
#: its instances' exports no longer hold it (share/snapshot_access.py).
SNAPSHOT_ACCESS_EVENTS = {
    'apply': Event({ACCESS_STATE_QUEUED_TO_APPLY}, {ACCESS_STATE_APPLYING}),
    'applied': Event({ACCESS_STATE_APPLYING}, {ACCESS_STATE_ACTIVE}),
    'apply_failed': Event({ACCESS_STATE_APPLYING}, {ACCESS_STATE_ERROR}),
    'deny': Event({ACCESS_STATE_QUEUED_TO_APPLY, ACCESS_STATE_APPLYING,
                   ACCESS_STATE_ACTIVE, ACCESS_STATE_ERROR},
                  {ACCESS_STATE_QUEUED_TO_DENY}),
    'deny_start': Event({ACCESS_STATE_QUEUED_TO_DENY},
                        {ACCESS_STATE_DENYING}),
    'deny_failed': Event({ACCESS_STATE_DENYING}, {ACCESS_STATE_ERROR}),
}

_RULES_STATUSES = {ACCESS_RULES_STATUS_ACTIVE, ACCESS_RULES_STATUS_SYNCING,
                   ACCESS_RULES_STATUS_ERROR}

#: Share instance ``access_rules_status`` (the sum of its rules).
ACCESS_RULES_EVENTS = {
    'sync': Event(_RULES_STATUSES, {ACCESS_RULES_STATUS_SYNCING}),
    'synced': Event(_RULES_STATUSES, {ACCESS_RULES_STATUS_ACTIVE}),
    'sync_failed': Event(_RULES_STATUSES, {ACCESS_RULES_STATUS_ERROR}),
}

#: Data copy job ``state``.
JOB_EVENTS = {
    'claim': Event({JOB_QUEUED}, {JOB_RUNNING}),
    'adopt': Event({JOB_RUNNING}, {JOB_RUNNING}),
    'cancel_queued': Event({JOB_QUEUED}, {JOB_CANCELLED}),
    'cancel': Event({JOB_RUNNING}, {JOB_CANCELLING}),
    'cancelled': Event({JOB_CANCELLING}, {JOB_CANCELLED}),
    'finish': Event({JOB_RUNNING, JOB_CANCELLING},
                    {JOB_COMPLETED, JOB_CANCELLED, JOB_ERROR}),
    'fail': Event({JOB_QUEUED, JOB_RUNNING, JOB_CANCELLING}, {JOB_ERROR}),
}

#: Share backup ``status`` (db/backups.py; the data service owns the
#: transitional ones).
BACKUP_EVENTS = {
    'created': Event({BACKUP_CREATING}, {BACKUP_AVAILABLE}),
    'create_failed': Event({BACKUP_CREATING}, {BACKUP_ERROR}),
    'restore': Event({BACKUP_AVAILABLE}, {BACKUP_RESTORING}),
    #: A restore leaves the backup as it was, whatever became of the
    #: share.
    'restored': Event({BACKUP_RESTORING}, {BACKUP_AVAILABLE}),
    'delete': Event({BACKUP_AVAILABLE, BACKUP_ERROR}, {BACKUP_DELETING}),
    'delete_failed': Event({BACKUP_DELETING}, {BACKUP_ERROR}),
    'reset_status': Event(ANY, ANY),
}


#: Share group ``status`` (db/share_groups.py). The scheduler places a
#: group on one backend; nothing is created on the backend for it.
SHARE_GROUP_EVENTS = {
    'create_done': Event({STATUS_CREATING}, {STATUS_AVAILABLE}),
    'create_failed': Event({STATUS_CREATING}, {STATUS_ERROR}),
    'delete': Event({STATUS_AVAILABLE, STATUS_ERROR}, {STATUS_DELETING}),
    'force_delete': Event(ANY, {STATUS_DELETING}),
    'reset_status': Event(ANY, ANY),
}

#: Values an admin may set with a share group's ``reset_status``.
SHARE_GROUP_RESET_STATUSES = frozenset({
    STATUS_AVAILABLE, STATUS_ERROR, STATUS_CREATING, STATUS_DELETING,
    STATUS_ERROR_DELETING,
})


STATUS_NEXT = next_table(INSTANCE_EVENTS)

#: What a share service that died mid-resize leaves behind becomes, at
#: its next start: the driver may or may not have applied the new size,
#: so the instance is marked failed for an admin to check and reset.
RESIZE_INTERRUPTED = {
    STATUS_EXTENDING: STATUS_EXTENDING_ERROR,
    STATUS_SHRINKING: STATUS_SHRINKING_ERROR,
}

TASK_STATE_NEXT = next_table(TASK_EVENTS)
REPLICA_STATE_NEXT = next_table(REPLICA_EVENTS)
SNAPSHOT_STATUS_NEXT = next_table(SNAPSHOT_EVENTS)
ACCESS_STATE_NEXT = next_table(ACCESS_EVENTS)
SNAPSHOT_ACCESS_STATE_NEXT = next_table(SNAPSHOT_ACCESS_EVENTS)
ACCESS_RULES_STATUS_NEXT = next_table(ACCESS_RULES_EVENTS)
JOB_NEXT = next_table(JOB_EVENTS)
BACKUP_STATUS_NEXT = next_table(BACKUP_EVENTS)
SHARE_GROUP_STATUS_NEXT = next_table(SHARE_GROUP_EVENTS)

# Visible-status priority for choosing which instance a share shows
# (upstream's ``share.instance`` property): lower sorts first.
_DISPLAY_PRIORITY = {
    STATUS_REVERTING: 0,
    STATUS_REPLICATION_CHANGE: 1,
    STATUS_MIGRATING: 2,
    STATUS_SERVER_MIGRATING: 3,
    STATUS_AVAILABLE: 4,
    STATUS_ERROR: 5,
}


def is_busy(task_state):
    return task_state in BUSY_TASK_STATES


def display_priority(status):
    """Sort key for picking the instance a share displays."""
    if status in _DISPLAY_PRIORITY:
        return _DISPLAY_PRIORITY[status]
    return 7 if status in TRANSITIONAL_STATUSES else 6


def pick_display_instance(instances):
    """Return the instance whose status, host and AZ the share shows.

    Mirrors upstream: sort by status priority; unless the first is in
    ``replication_change``, prefer instances whose replica_state is
    ``active``.
    """
    if not instances:
        return None
    if len(instances) == 1:
        return instances[0]
    ordered = sorted(instances, key=lambda i: display_priority(i.status))
    if ordered[0].status == STATUS_REPLICATION_CHANGE:
        return ordered[0]
    actives = [i for i in ordered
               if i.replica_state == REPLICA_STATE_ACTIVE]
    return (actives or ordered)[0]

# --- resource locks (2.81+) --------------------------------------------------
RESOURCE_TYPE_SHARE = 'share'
RESOURCE_TYPE_ACCESS_RULE = 'access_rule'
RESOURCE_ACTION_DELETE = 'delete'  # delete, soft delete, unmanage
RESOURCE_ACTION_SHOW = 'show'
#: Which actions a lock may hold, by resource type (upstream's mapping).
RESOURCE_LOCK_ACTIONS = {
    RESOURCE_TYPE_SHARE: (RESOURCE_ACTION_DELETE,),
    RESOURCE_TYPE_ACCESS_RULE: (RESOURCE_ACTION_DELETE,
                                RESOURCE_ACTION_SHOW),
}
LOCK_CONTEXT_USER = 'user'
LOCK_CONTEXT_ADMIN = 'admin'
LOCK_CONTEXT_SERVICE = 'service'
#: A deletion lock on a share in one of these would be futile.
LOCK_REFUSED_SHARE_STATUSES = frozenset({
    STATUS_DELETING, STATUS_ERROR_DELETING, STATUS_UNMANAGE_STARTING,
    STATUS_DELETED,
})
#: ... nor on an access rule on its way out.
LOCK_REFUSED_ACCESS_STATES = frozenset({
    ACCESS_STATE_QUEUED_TO_DENY, ACCESS_STATE_DENYING, ACCESS_STATE_ERROR,
    ACCESS_STATE_DELETED,
})
