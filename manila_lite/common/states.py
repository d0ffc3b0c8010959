"""Every status value, and the tables of which changes are legal.

Spellings match upstream Manila's ``manila/common/constants.py``. Code
elsewhere never writes a status literal: it names a constant from here
and asks the tables below which states a change may start from. The
database layer turns those answers into the ``WHERE`` clause of one
conditional ``UPDATE`` (see ``db.api.share_instance_transition``), so two
racing requests cannot both win.

No logic lives here beyond a few pure helpers on the tables.
"""

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
# ``STATUS_NEXT[a]`` is the set of statuses an instance may move to from
# ``a`` through normal operation. Admin ``reset_status`` bypasses the table
# on purpose (as upstream); ``force_delete`` may start from anything.
STATUS_NEXT = {
    STATUS_CREATING: {STATUS_AVAILABLE, STATUS_ERROR, STATUS_DELETING},
    STATUS_AVAILABLE: {
        STATUS_DELETING, STATUS_MIGRATING, STATUS_ENSURING,
        STATUS_REPLICATION_CHANGE, STATUS_EXTENDING, STATUS_SHRINKING,
        STATUS_INACTIVE, STATUS_ERROR, STATUS_MIGRATING_TO,
        STATUS_REVERTING,
        STATUS_BACKUP_CREATING, STATUS_BACKUP_RESTORING,
    },
    STATUS_ERROR: {STATUS_DELETING, STATUS_AVAILABLE},
    # Backups (data service): a failed backup leaves the share as it was.
    STATUS_BACKUP_CREATING: {STATUS_AVAILABLE},
    STATUS_BACKUP_RESTORING: {
        STATUS_AVAILABLE, STATUS_BACKUP_RESTORING_ERROR},
    STATUS_BACKUP_RESTORING_ERROR: {STATUS_DELETING},
    STATUS_ERROR_DELETING: {STATUS_DELETING},
    STATUS_DELETING: {STATUS_ERROR_DELETING, STATUS_DELETED},
    STATUS_MIGRATING: {STATUS_AVAILABLE, STATUS_INACTIVE, STATUS_ERROR},
    STATUS_MIGRATING_TO: {
        STATUS_AVAILABLE, STATUS_INACTIVE, STATUS_ERROR, STATUS_DELETING,
    },
    STATUS_INACTIVE: {STATUS_DELETING, STATUS_AVAILABLE},
    STATUS_ENSURING: {STATUS_AVAILABLE, STATUS_ERROR, STATUS_ENSURING},
    STATUS_REPLICATION_CHANGE: {STATUS_AVAILABLE, STATUS_ERROR},
    # Resize: the error states are left by reset_status or force_delete,
    # and a refused shrink by another shrink (as upstream allows).
    STATUS_EXTENDING: {STATUS_AVAILABLE, STATUS_EXTENDING_ERROR},
    STATUS_SHRINKING: {
        STATUS_AVAILABLE, STATUS_SHRINKING_ERROR,
        STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR,
    },
    STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR: {STATUS_SHRINKING},
    # Revert to snapshot (share/revert.py); reverting_error is left by
    # reset_status or force_delete.
    STATUS_REVERTING: {STATUS_AVAILABLE, STATUS_REVERTING_ERROR},
}

#: What a share service that died mid-resize leaves behind becomes, at
#: its next start: the driver may or may not have applied the new size,
#: so the instance is marked failed for an admin to check and reset.
RESIZE_INTERRUPTED = {
    STATUS_EXTENDING: STATUS_EXTENDING_ERROR,
    STATUS_SHRINKING: STATUS_SHRINKING_ERROR,
}

# Migration task_state progression, None meaning "no task".
TASK_STATE_NEXT = {
    None: {TASK_STATE_MIGRATION_STARTING, TASK_STATE_MIGRATION_SUCCESS},
    TASK_STATE_MIGRATION_SUCCESS: {
        TASK_STATE_MIGRATION_STARTING, TASK_STATE_MIGRATION_SUCCESS},
    TASK_STATE_MIGRATION_ERROR: {TASK_STATE_MIGRATION_STARTING,
                                 TASK_STATE_MIGRATION_SUCCESS},
    TASK_STATE_MIGRATION_CANCELLED: {TASK_STATE_MIGRATION_STARTING,
                                     TASK_STATE_MIGRATION_SUCCESS},
    TASK_STATE_DATA_COPYING_CANCELLED: {
        TASK_STATE_MIGRATION_STARTING, TASK_STATE_MIGRATION_CANCELLED,
        TASK_STATE_MIGRATION_SUCCESS},
    TASK_STATE_DATA_COPYING_ERROR: {
        TASK_STATE_MIGRATION_STARTING, TASK_STATE_MIGRATION_ERROR,
        TASK_STATE_MIGRATION_SUCCESS},
    TASK_STATE_MIGRATION_STARTING: {
        TASK_STATE_MIGRATION_IN_PROGRESS, TASK_STATE_MIGRATION_ERROR},
    TASK_STATE_MIGRATION_IN_PROGRESS: {
        TASK_STATE_MIGRATION_DRIVER_STARTING,
        TASK_STATE_DATA_COPYING_STARTING, TASK_STATE_MIGRATION_ERROR},
    TASK_STATE_MIGRATION_DRIVER_STARTING: {
        TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS,
        TASK_STATE_MIGRATION_IN_PROGRESS, TASK_STATE_MIGRATION_ERROR},
    TASK_STATE_MIGRATION_DRIVER_IN_PROGRESS: {
        TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE,
        TASK_STATE_MIGRATION_ERROR, TASK_STATE_MIGRATION_CANCELLED},
    TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE: {
        TASK_STATE_MIGRATION_COMPLETING, TASK_STATE_MIGRATION_CANCELLED,
        TASK_STATE_MIGRATION_ERROR},
    TASK_STATE_DATA_COPYING_STARTING: {
        TASK_STATE_DATA_COPYING_IN_PROGRESS, TASK_STATE_DATA_COPYING_ERROR,
        TASK_STATE_DATA_COPYING_CANCELLED},
    TASK_STATE_DATA_COPYING_IN_PROGRESS: {
        TASK_STATE_DATA_COPYING_COMPLETING, TASK_STATE_DATA_COPYING_ERROR,
        TASK_STATE_DATA_COPYING_CANCELLED},
    TASK_STATE_DATA_COPYING_COMPLETING: {
        TASK_STATE_DATA_COPYING_COMPLETED, TASK_STATE_DATA_COPYING_ERROR},
    TASK_STATE_DATA_COPYING_COMPLETED: {
        TASK_STATE_MIGRATION_COMPLETING, TASK_STATE_MIGRATION_CANCELLED,
        TASK_STATE_MIGRATION_ERROR},
    TASK_STATE_MIGRATION_COMPLETING: {
        TASK_STATE_MIGRATION_SUCCESS, TASK_STATE_MIGRATION_ERROR},
}

REPLICA_STATE_NEXT = {
    None: {REPLICA_STATE_ACTIVE, REPLICA_STATE_OUT_OF_SYNC},
    REPLICA_STATE_OUT_OF_SYNC: {
        REPLICA_STATE_IN_SYNC, REPLICA_STATE_ERROR, REPLICA_STATE_ACTIVE,
        REPLICA_STATE_OUT_OF_SYNC},
    REPLICA_STATE_IN_SYNC: {
        REPLICA_STATE_OUT_OF_SYNC, REPLICA_STATE_ERROR, REPLICA_STATE_ACTIVE,
        REPLICA_STATE_IN_SYNC},
    REPLICA_STATE_ERROR: {
        REPLICA_STATE_OUT_OF_SYNC, REPLICA_STATE_IN_SYNC,
        REPLICA_STATE_ACTIVE},
    REPLICA_STATE_ACTIVE: {REPLICA_STATE_OUT_OF_SYNC, REPLICA_STATE_ERROR},
}

BACKUP_STATUS_NEXT = {
    BACKUP_CREATING: {BACKUP_AVAILABLE, BACKUP_ERROR},
    BACKUP_AVAILABLE: {BACKUP_RESTORING, BACKUP_DELETING},
    BACKUP_RESTORING: {BACKUP_AVAILABLE},
    BACKUP_ERROR: {BACKUP_DELETING},
    BACKUP_DELETING: {BACKUP_ERROR},
}

JOB_NEXT = {
    JOB_QUEUED: {JOB_RUNNING, JOB_CANCELLED, JOB_ERROR},
    JOB_RUNNING: {JOB_RUNNING, JOB_COMPLETED, JOB_CANCELLING, JOB_ERROR},
    JOB_CANCELLING: {JOB_CANCELLED, JOB_ERROR, JOB_COMPLETED},
}

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


def sources_of(table, new):
    """Every state from which ``table`` allows a move to ``new``."""
    return {old for old, nxt in table.items() if new in nxt}


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
