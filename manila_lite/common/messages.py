"""User messages: why an asynchronous request failed, for its owner.

Upstream Manila's codes, restated: an *action* (what was being done)
and a *detail* (what went wrong), each a ``(id, text)`` pair; the API
shows ``"<action text>: <detail text>"``. Services call
``db.messages.record`` where a request of a user ends in error with
nobody to answer to (a cast); only the ids are stored, so the texts may
be corrected later.
"""

from typing import Any

LEVEL_ERROR = 'ERROR'


class Resource:
    SHARE = 'SHARE'
    SHARE_GROUP = 'SHARE_GROUP'
    SHARE_REPLICA = 'SHARE_REPLICA'
    SHARE_SNAPSHOT = 'SHARE_SNAPSHOT'
    SECURITY_SERVICE = 'SECURITY_SERVICE'
    SHARE_NETWORK_SUBNET = 'SHARE_NETWORK_SUBNET'
    #: Ours: upstream records no message for a failed backup create or
    #: delete (its restore failure names the share, as ours does).
    SHARE_BACKUP = 'SHARE_BACKUP'


class Action:
    ALLOCATE_HOST = ('001', 'allocate host')
    CREATE = ('002', 'create')
    DELETE_ACCESS_RULES = ('003', 'delete access rules')
    PROMOTE = ('004', 'promote')
    UPDATE = ('005', 'update')
    REVERT_TO_SNAPSHOT = ('006', 'revert to snapshot')
    DELETE = ('007', 'delete')
    EXTEND = ('008', 'extend')
    SHRINK = ('009', 'shrink')
    UPDATE_ACCESS_RULES = ('010', 'update access rules')
    ADD_UPDATE_SECURITY_SERVICE = ('011', 'add or update security service')
    TRANSFER_ACCEPT = ('026', 'transfer accept')
    UPDATE_METADATA = ('027', 'update_metadata')
    RESTORE_BACKUP = ('028', 'restore share backup')
    ALL = (ALLOCATE_HOST, CREATE, DELETE_ACCESS_RULES, PROMOTE, UPDATE,
           REVERT_TO_SNAPSHOT, DELETE, EXTEND, SHRINK, UPDATE_ACCESS_RULES,
           ADD_UPDATE_SECURITY_SERVICE, TRANSFER_ACCEPT, UPDATE_METADATA,
           RESTORE_BACKUP)


_FILTER_MSG = ("No storage could be allocated for this share request, "
               "%s filter didn't succeed.")


class Detail:
    UNKNOWN_ERROR = ('001', 'An unknown error occurred.')
    NO_VALID_HOST = (
        '002', 'No storage could be allocated for this share request. '
               'Trying again with a different size or share type may '
               'succeed.')
    UNEXPECTED_NETWORK = (
        '003', 'Driver does not expect share-network to be provided with '
               'current configuration.')
    NO_SHARE_SERVER = (
        '004', 'Could not find an existing share server or allocate one on '
               'the share network provided. You may use a different share '
               'network, or verify the network details in the share '
               'network and retry your request. If this doesn\'t work, '
               'contact your administrator to troubleshoot issues with '
               'your network.')
    NO_ACTIVE_AVAILABLE_REPLICA = (
        '005', "An 'active' replica must exist in 'available' state to "
               "create a new replica for share.")
    NO_ACTIVE_REPLICA = (
        '006', "Share has no replica with 'replica_state' set to 'active'.")
    FILTER_AVAILABILITY = ('007', _FILTER_MSG % 'AvailabilityZone')
    FILTER_CAPABILITIES = ('008', _FILTER_MSG % 'Capabilities')
    FILTER_CAPACITY = ('009', _FILTER_MSG % 'Capacity')
    FILTER_DRIVER = ('010', _FILTER_MSG % 'Driver')
    FILTER_IGNORE = ('011', _FILTER_MSG % 'IgnoreAttemptedHosts')
    FILTER_JSON = ('012', _FILTER_MSG % 'Json')
    FILTER_RETRY = ('013', _FILTER_MSG % 'Retry')
    FILTER_REPLICATION = ('014', _FILTER_MSG % 'ShareReplication')
    DRIVER_FAILED_EXTEND = (
        '015', 'Share Driver failed to extend share, The share status has '
               'been set to extending_error. This action cannot be '
               're-attempted until the status has been rectified. Contact '
               'your administrator to determine the cause of this failure.')
    FILTER_CREATE_FROM_SNAPSHOT = ('016', _FILTER_MSG % 'CreateFromSnapshot')
    DRIVER_FAILED_CREATING_FROM_SNAP = (
        '017', 'Share Driver has failed to create the share from snapshot. '
               'This operation can be re-attempted by creating a new share. '
               'Contact your administrator to determine the cause of this '
               'failure.')
    DRIVER_REFUSED_SHRINK = (
        '018', 'Share Driver refused to shrink the share. The size to be '
               'shrunk is smaller than the current used space. The share '
               'status has been set to available. Please select a size '
               'greater than the current used space.')
    DRIVER_FAILED_SHRINK = (
        '019', 'Share Driver does not support shrinking shares. Shrinking '
               'share operation failed.')
    FORBIDDEN_CLIENT_ACCESS = (
        '020', 'Failed to grant access to client. The client ID used may '
               'be forbidden. You may try again with a different client '
               'identifier.')
    UNSUPPORTED_CLIENT_ACCESS = (
        '021', 'Failed to grant access to client. The access level or type '
               'may be unsupported. You may try again with a different '
               'access level or access type.')
    NO_DEFAULT_SHARE_TYPE = (
        '024', 'No default share type has been made available. You must '
               'specify a share type for creating shares.')
    SHARE_BACKEND_NOT_READY_YET = (
        '028', 'No storage could be allocated for this share request. '
               'Share back end services are not ready yet. Contact your '
               'administrator in case retrying does not help.')
    ALL = (UNKNOWN_ERROR, NO_VALID_HOST, UNEXPECTED_NETWORK,
           NO_SHARE_SERVER, NO_ACTIVE_AVAILABLE_REPLICA, NO_ACTIVE_REPLICA,
           FILTER_AVAILABILITY, FILTER_CAPABILITIES, FILTER_CAPACITY,
           FILTER_DRIVER, FILTER_IGNORE, FILTER_JSON, FILTER_RETRY,
           FILTER_REPLICATION, DRIVER_FAILED_EXTEND,
           FILTER_CREATE_FROM_SNAPSHOT, DRIVER_FAILED_CREATING_FROM_SNAP,
           DRIVER_REFUSED_SHRINK, DRIVER_FAILED_SHRINK,
           FORBIDDEN_CLIENT_ACCESS, UNSUPPORTED_CLIENT_ACCESS,
           NO_DEFAULT_SHARE_TYPE, SHARE_BACKEND_NOT_READY_YET)

    #: The detail of a scheduler filter that left no pool.
    FILTERS = {
        'AvailabilityZoneFilter': FILTER_AVAILABILITY,
        'CapabilitiesFilter': FILTER_CAPABILITIES,
        'CapacityFilter': FILTER_CAPACITY,
        'DriverFilter': FILTER_DRIVER,
        'IgnoreAttemptedHostsFilter': FILTER_IGNORE,
        'JsonFilter': FILTER_JSON,
        'RetryFilter': FILTER_RETRY,
        'ShareReplicationFilter': FILTER_REPLICATION,
        'CreateFromSnapshotFilter': FILTER_CREATE_FROM_SNAPSHOT,
    }


def translate_action(action_id: str) -> str:
    return next((text for code, text in Action.ALL if code == action_id),
                'unknown action')


def translate_detail(detail_id: str) -> str:
    return next((text for code, text in Detail.ALL if code == detail_id),
                Detail.UNKNOWN_ERROR[1])


def user_message(msg: Any) -> str:
    """``"<action text>: <detail text>"`` as upstream shows it."""
    return '%s: %s' % (translate_action(msg.action_id),
                       translate_detail(msg.detail_id))
