"""Domain exceptions.

Service code raises these and knows nothing of HTTP. Each carries a
``code`` hint that ``api/faults.py`` turns into a status and Manila's
fault name; ``safe`` says whether the message may reach the user (as
upstream's fault middleware does, unsafe messages become a generic text).
"""


class ManilaLiteException(Exception):
    """Base class: ``message`` is a %-format filled from keyword args."""

    message = 'An unknown exception occurred.'
    code = 500
    safe = False

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.message % kwargs
            except (KeyError, TypeError):
                message = self.message
        self.msg = str(message)
        super().__init__(self.msg)


# --- 400 ---------------------------------------------------------------------
class Invalid(ManilaLiteException):
    message = 'Unacceptable parameters.'
    code = 400
    safe = True


class InvalidInput(Invalid):
    message = 'Invalid input received: %(reason)s'


class InvalidShare(Invalid):
    message = 'Invalid share: %(reason)s.'


class InvalidShareInstance(Invalid):
    message = 'Invalid share instance: %(reason)s.'


class InvalidShareType(Invalid):
    message = 'Invalid share type: %(reason)s.'


class InvalidHost(Invalid):
    message = 'Invalid host: %(reason)s'


class InvalidShareSnapshot(Invalid):
    message = 'Invalid share snapshot: %(reason)s.'


class InvalidBackup(Invalid):
    message = 'Invalid backup: %(reason)s'


class InvalidShareAccess(Invalid):
    message = 'Invalid access rule: %(reason)s'


class InvalidShareSnapshotInstance(Invalid):
    message = 'Invalid share snapshot instance: %(reason)s.'


class ShareSnapshotAccessExists(InvalidInput):
    message = 'Share snapshot access %(access_type)s:%(access)s exists.'


class InvalidReplica(Invalid):
    message = 'Invalid share replica: %(reason)s.'


class ShareBusyException(Invalid):
    """Upstream's refusal of a resize (and others) while a task such as
    a migration holds the share."""

    message = 'Share is busy with an active task: %(reason)s.'


class InvalidState(Invalid):
    """A conditional update found the row in a state it may not leave."""

    message = 'Invalid state: %(reason)s'


class ServiceIsDown(Invalid):
    message = 'Service %(service)s is down.'


class MalformedRequestBody(Invalid):
    message = 'Malformed request body: %(reason)s.'


class InvalidAPIVersion(Invalid):
    message = ('API Version String %(version)s is of invalid format. Must '
               'be of format MajorNum.MinorNum.')


# --- 403 ---------------------------------------------------------------------
class NotAuthorized(ManilaLiteException):
    message = 'Not authorized.'
    code = 403
    safe = True


class PolicyNotAuthorized(NotAuthorized):
    message = "Policy doesn't allow %(action)s to be performed."


# --- 404 ---------------------------------------------------------------------
class NotFound(ManilaLiteException):
    message = 'Resource could not be found.'
    code = 404
    safe = True


class ShareNotFound(NotFound):
    message = 'Share %(share_id)s could not be found.'


class ShareInstanceNotFound(NotFound):
    message = 'Share instance %(share_instance_id)s could not be found.'


class ShareReplicaNotFound(NotFound):
    message = 'Share Replica %(replica_id)s could not be found.'


class MessageNotFound(NotFound):
    message = 'Message %(message_id)s could not be found.'


class ShareTypeNotFound(NotFound):
    message = 'Share type %(share_type_id)s could not be found.'


class ShareTypeNotFoundByName(ShareTypeNotFound):
    message = 'Share type with name %(share_type_name)s could not be found.'


class ShareTypeExtraSpecsNotFound(NotFound):
    message = ('Share Type %(share_type_id)s has no extra specs with key '
               '%(extra_specs_key)s.')


class ShareTypeAccessNotFound(NotFound):
    message = ('Share type access not found for %(share_type_id)s / '
               '%(project_id)s combination.')


class DefaultShareTypeNotConfigured(NotFound):
    message = 'No default share type is configured.'


class ShareSnapshotNotFound(NotFound):
    message = 'Snapshot %(snapshot_id)s could not be found.'


class ShareSnapshotInstanceNotFound(NotFound):
    message = 'Snapshot instance %(instance_id)s could not be found.'


class AccessRuleNotFound(NotFound):
    message = 'Access rule %(access_id)s not found.'


class ShareSnapshotAccessNotFound(NotFound):
    message = 'Share snapshot access %(access_id)s not found.'


class ResourceLockNotFound(NotFound):
    message = 'Resource lock %(lock_id)s could not be found.'


class ExportLocationNotFound(NotFound):
    message = 'Export location %(uuid)s could not be found.'


class MetadataItemNotFound(NotFound):
    message = 'Metadata item %(key)s could not be found.'


class ServiceNotFound(NotFound):
    message = 'Service %(service_id)s could not be found.'


class HostNotFound(NotFound):
    message = 'Host %(host)s could not be found.'


class AvailabilityZoneNotFound(NotFound):
    message = 'Availability zone %(id)s could not be found.'


class VersionNotFoundForAPIMethod(NotFound):
    """Upstream's deliberately generic 404 for a method out of range."""

    message = 'The resource could not be found.'


class ShareBackupNotFound(NotFound):
    # The message upstream's controller answers with.
    message = 'No backup exists with ID %(backup_id)s.'


class BackupStoreError(ManilaLiteException):
    message = 'Backup store failure: %(reason)s'


class DataCopyJobNotFound(NotFound):
    message = 'Data copy job %(job_id)s could not be found.'


# --- 409 ---------------------------------------------------------------------
class Conflict(ManilaLiteException):
    message = 'Conflict: %(reason)s'
    code = 409
    safe = True


class ResourceVisibilityLockExists(Conflict):
    message = "Resource's visibility is already locked by other user."


class ShareBusy(Conflict):
    message = 'Share %(share_id)s is busy: %(reason)s'


class ShareTypeInUse(Invalid):
    # Upstream answers 400 with this fixed message.
    message = 'Target share type is still in use.'


class ShareTypeExists(Conflict):
    message = 'Share Type %(id)s already exists.'


class ShareTypeAccessExists(Conflict):
    message = ('Share type access for %(share_type_id)s / %(project_id)s '
               'combination already exists.')


class ShareAccessExists(Conflict):
    message = 'Share access %(access_type)s:%(access)s exists.'
    # Upstream answers a duplicate rule with 400, not 409.
    code = 400


# --- 413 ---------------------------------------------------------------------
class QuotaError(ManilaLiteException):
    message = 'Quota exceeded: %(reason)s'
    code = 413
    safe = True


# --- everything else ---------------------------------------------------------
class NoValidHost(ManilaLiteException):
    message = 'No valid host was found. %(reason)s'
    code = 400
    safe = True


class ShareBackendException(ManilaLiteException):
    message = 'Share backend error: %(msg)s.'


class DriverNotCompatible(ManilaLiteException):
    message = 'Driver cannot perform this operation: %(reason)s'


class DBUnavailable(ManilaLiteException):
    message = 'The database is unavailable; try again.'
    code = 503
    safe = True


class MessagingUnavailable(ManilaLiteException):
    message = ('The message bus is unavailable at the moment; try again '
               'later.')
    code = 503
    safe = True


class ShareLocked(NotAuthorized):
    """Upstream's 403 for deleting, soft deleting or unmanaging a share
    under a deletion lock."""

    message = 'Resource lock/s [%(locks)s] prevent %(action)s action.'


class ShareDeleteRefused(InvalidShare):
    """Upstream answers a refused share delete with 403, not 400."""

    code = 403


# --- added for the HTTP layer (api/) -----------------------------------------
class InvalidGlobalAPIVersion(ManilaLiteException):
    """Upstream leaves 406 unnamed: it renders as computeFault."""

    message = ('Version %(req_ver)s is not supported by the API. Minimum '
               'is %(min_ver)s and maximum is %(max_ver)s.')
    code = 406
    safe = True


class NotAuthenticated(ManilaLiteException):
    message = 'Authentication required.'
    code = 401
    safe = True


class MethodNotAllowed(ManilaLiteException):
    message = 'The method %(method)s is not allowed for this resource.'
    code = 405
    safe = True


class InvalidContentType(ManilaLiteException):
    message = 'Unsupported Content-Type: %(content_type)s.'
    code = 415
    safe = True


# --- added for the storage side (share/driver.py) ----------------------------
class ShareShrinkingPossibleDataLoss(ManilaLiteException):
    """A shrink below the data stored; the share is left unchanged."""

    message = ('Share %(share_id)s could not be shrunk: the data it holds '
               'would not fit in the new size.')
    code = 400
    safe = True


# --- added for share replicas ------------------------------------------------
class UnprocessableEntity(ManilaLiteException):
    """Upstream answers a replica create without its object with 422."""

    message = 'Unprocessable entity: %(reason)s'
    code = 422
    safe = True


class ReplicationException(Invalid):
    message = 'Share replication error: %(reason)s'


class ShareGroupTypeExists(Conflict):
    message = 'Share group type %(type_id)s already exists.'


class ShareGroupTypeNotFound(NotFound):
    message = 'Share group type %(type_id)s could not be found.'


class ShareGroupTypeSpecsNotFound(NotFound):
    message = ('Share group type %(type_id)s has no group specs with key '
               '%(specs_key)s.')


class ShareGroupTypeAccessExists(Conflict):
    message = ('Share group type access for %(type_id)s / %(project_id)s '
               'combination already exists.')


class ShareGroupTypeAccessNotFound(NotFound):
    message = ('Share group type access not found for %(type_id)s / '
               '%(project_id)s combination.')


# --- share groups ------------------------------------------------------------
class ShareGroupNotFound(NotFound):
    message = 'Share group %(share_group_id)s could not be found.'


class InvalidShareGroup(Conflict):
    """A share group in a state (or with members) refusing the request:
    upstream answers these with 409."""

    message = 'Invalid share group: %(reason)s'
