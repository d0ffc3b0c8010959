"""Microversions of the v2 API: the list, the named gates, negotiation.

``VERSIONS`` is the one list of every microversion the API speaks, one
comment each (upstream manila 23.0.1's history, restated); the minimum
and maximum derive from it. Features are gated by name
(``GATE_TASK_STATE``), never by a bare number in logic.

Negotiation follows upstream exactly: only the legacy header
``X-OpenStack-Manila-API-Version`` counts (``OpenStack-API-Version`` is
ignored, as upstream does), a missing header means the minimum, the
value must be ``Major.Minor`` without leading zeros (no ``latest``),
a malformed value is a 400 and a value out of range a 406.
Handlers carry their range as metadata (:func:`api_version`); a request
outside it gets upstream's deliberately bare 404.
"""

import re

import microversion_parse
from oslo_utils import strutils

from manila_lite.common import exceptions

HEADER = 'X-OpenStack-Manila-API-Version'
EXPERIMENTAL_HEADER = 'X-OpenStack-Manila-API-Experimental'
VARY = 'Vary'
ENVIRON_KEY = 'manila_lite.api_version'

VERSIONS = [
    '2.0',   # v2 starts: the v1 API plus microversion negotiation
    '2.1',   # share create honours availability_zone
    '2.2',   # snapshots optional: share field snapshot_support
    '2.3',   # admin share instance APIs
    '2.4',   # consistency groups (experimental, later share groups)
    '2.5',   # first migration API; share field task_state
    '2.6',   # share_type is the type UUID; share_type_name added
    '2.7',   # URLs lose os- prefixes: services, reset_status, ...
    '2.8',   # manage share accepts is_public
    '2.9',   # export_location(s) leave the share; export locations API
    '2.10',  # share field access_rules_status
    '2.11',  # share replication (experimental); replication_type field
    '2.12',  # manage/unmanage snapshots
    '2.13',  # cephx access type
    '2.14',  # export location field preferred
    '2.15',  # migration split into start/complete/cancel/get_progress
    '2.16',  # share field user_id
    '2.17',  # snapshot fields project_id and user_id
    '2.18',  # share network gateway
    '2.19',  # snapshot instance admin APIs
    '2.20',  # share network mtu
    '2.21',  # access_key in access list
    '2.22',  # migration_start reworked; reset_task_state accepts null
    '2.23',  # pools list filter share_type
    '2.24',  # share field create_share_from_snapshot_support
    '2.25',  # quota show detail
    '2.26',  # share network loses nova_net_id
    '2.27',  # revert to snapshot; share field revert_to_snapshot_support
    '2.28',  # access rule transitional states; "syncing" rules status
    '2.29',  # migration_start requires the four preserve/writable flags
    '2.30',  # instance field cast_rules_to_readonly
    '2.31',  # share groups replace consistency groups
    '2.32',  # mountable snapshots; share field mount_snapshot_support
    '2.33',  # access list gains created_at and updated_at
    '2.34',  # share group availability_zone_id, consistent snapshots
    '2.35',  # share list filters export_location_id/_path
    '2.36',  # "like" filters (name~, description~)
    '2.37',  # user messages API
    '2.38',  # IPv6 access rules
    '2.39',  # share type quotas
    '2.40',  # share group quotas
    '2.41',  # share type description
    '2.42',  # with_count on share lists
    '2.43',  # share type list filter by extra specs
    '2.44',  # security service "ou"
    '2.45',  # access rule metadata; GET /share-access-rules
    '2.46',  # share type field is_default
    '2.47',  # export locations of non-active replicas hidden
    '2.48',  # share type extra spec availability_zones
    '2.49',  # manage share servers
    '2.50',  # share type update (PUT /types/{id})
    '2.51',  # share network subnets
    '2.52',  # message filters created_before/created_since
    '2.53',  # replica quotas
    '2.54',  # share field progress
    '2.55',  # share groups GA
    '2.56',  # share replication GA
    '2.57',  # share server migration
    '2.58',  # limits show share groups
    '2.59',  # migration progress details
    '2.60',  # project_id optional in URLs
    '2.61',  # share type min/max share size specs
    '2.62',  # per share size quota
    '2.63',  # share network security service updates
    '2.64',  # extend accepts force
    '2.65',  # share create scheduler_hints
    '2.66',  # share group type filter by group specs
    '2.67',  # replica create scheduler hint only_host
    '2.68',  # admin-only share metadata
    '2.69',  # soft delete: is_soft_deleted, scheduled_to_be_deleted_at
    '2.70',  # several subnets per zone
    '2.71',  # share instance updated_at
    '2.72',  # replica create share_network_id
    '2.73',  # snapshot metadata
    '2.74',  # access rules change while replicas are in error
    '2.75',  # promote quiesce_wait_time
    '2.76',  # security service default_ad_site
    '2.77',  # share transfers
    '2.78',  # share network subnet metadata
    '2.79',  # with_count on snapshot lists
    '2.80',  # share backups; share field source_backup_id
    '2.81',  # resource locks
    '2.82',  # access rule locks
    '2.83',  # service field disabled_reason
    '2.84',  # share mount_point_name
    '2.85',  # backup_type
    '2.86',  # ensure shares API; service field ensuring
    '2.87',  # export location metadata
    '2.88',  # access rule update
    '2.89',  # subnet metadata updates reach drivers
    '2.90',  # share field encryption_key_ref
    '2.91',  # QoS types
    '2.92',  # upstream feature outside manila_lite's scope
    '2.93',  # services list filter ensuring
    '2.94',  # upstream feature outside manila_lite's scope
    '2.95',  # replica metadata (last experimental migration version)
    '2.96',  # share migration GA
    '2.97',  # share list filter availability_zone
    '2.98',  # GET /shares/{id}/migration-progress
    '2.99',  # share field snapshot_inherit_share_access_support
]


def parse(text):
    """Turn ``'2.N'`` into a comparable Version (no validation)."""
    return microversion_parse.parse_version_string(text)


MIN_VERSION = parse(VERSIONS[0])
MAX_VERSION = parse(VERSIONS[-1])

# --- named gates (each: the first version that has the feature) -------------
GATE_SNAPSHOT_SUPPORT = parse('2.2')
GATE_TASK_STATE = parse('2.5')
GATE_SHARE_TYPE_UUID = parse('2.6')
# share instances (2.3), snapshot instances (2.19), pools (all versions)
GATE_SNAPSHOT_INSTANCES = parse('2.19')
GATE_SHARE_INSTANCE_TYPE_ID = parse('2.22')
GATE_POOLS_SHARE_TYPE_FILTER = parse('2.23')
GATE_INSTANCE_EXPORT_LOCATION_FILTERS = parse('2.35')
GATE_SHARE_INSTANCE_UPDATED_AT = parse('2.71')
GATE_CORE_URLS = parse('2.7')
GATE_EXPORT_LOCATIONS_API = parse('2.9')
GATE_ACCESS_RULES_STATUS = parse('2.10')
GATE_REPLICATION_FIELDS = parse('2.11')
GATE_SNAPSHOT_PROVIDER_LOCATION = parse('2.12')
GATE_EXPORT_LOCATION_PREFERRED = parse('2.14')
GATE_SHARE_USER_ID = parse('2.16')
GATE_SNAPSHOT_OWNER_FIELDS = parse('2.17')
GATE_ACCESS_KEY = parse('2.21')
GATE_CREATE_FROM_SNAPSHOT_SUPPORT = parse('2.24')
GATE_REVERT_TO_SNAPSHOT_SUPPORT = parse('2.27')
GATE_ACCESS_RULES_SYNCING = parse('2.28')
GATE_SHARE_GROUP_FIELDS = parse('2.31')
GATE_MOUNT_SNAPSHOT_SUPPORT = parse('2.32')
GATE_ACCESS_TIMESTAMPS = parse('2.33')
GATE_LIKE_FILTERS = parse('2.36')
GATE_MESSAGES = parse('2.37')
GATE_MESSAGES_TIME_FILTERS = parse('2.52')
GATE_SHARE_TYPE_DESCRIPTION = parse('2.41')
GATE_WITH_COUNT = parse('2.42')
GATE_ACCESS_RULES_API = parse('2.45')
GATE_SHARE_TYPE_SPECS_FILTER = parse('2.43')
GATE_SHARE_TYPE_IS_DEFAULT = parse('2.46')
GATE_SHARE_TYPE_ZONES = parse('2.48')
GATE_SHARE_TYPE_UPDATE = parse('2.50')
GATE_SHARE_PROGRESS = parse('2.54')
GATE_MIGRATION_PROGRESS_DETAILS = parse('2.59')
GATE_EXTEND_FORCE = parse('2.64')
GATE_SCHEDULER_HINTS = parse('2.65')
GATE_SOFT_DELETE = parse('2.69')
GATE_SOURCE_BACKUP_ID = parse('2.80')
GATE_RESOURCE_LOCKS = parse('2.81')
GATE_ACCESS_LOCKS = parse('2.82')
GATE_SERVICE_DISABLED_REASON = parse('2.83')
GATE_MOUNT_POINT_NAME = parse('2.84')
GATE_REPLICA_CAST_RULES = parse('2.30')
GATE_REPLICA_EXPORT_LOCATIONS = parse('2.47')
GATE_REPLICATION_GA = parse('2.56')
GATE_REPLICA_SCHEDULER_HINTS = parse('2.67')
GATE_REPLICA_SHARE_NETWORK = parse('2.72')
GATE_REPLICA_QUIESCE_WAIT = parse('2.75')
GATE_REPLICA_METADATA = parse('2.95')
GATE_SNAPSHOT_METADATA = parse('2.73')
GATE_ACCESS_ON_ERROR_INSTANCES = parse('2.74')
GATE_SERVICE_ENSURING = parse('2.86')
GATE_EXPORT_LOCATION_METADATA = parse('2.87')
GATE_ENCRYPTION_KEY_REF = parse('2.90')
GATE_SERVICES_ENSURING_FILTER = parse('2.93')
GATE_SHARE_LIST_AZ_FILTER = parse('2.97')
GATE_SNAPSHOT_INHERIT_ACCESS = parse('2.99')

# Upstream's APIVersionRequest regex: no leading zeros, no 'latest'.
_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


class RequestVersion:
    """The negotiated version of one request, plus its experimental flag.

    Compares like a ``(major, minor)`` tuple, so handlers write
    ``if req_version >= GATE_TASK_STATE``.
    """

    __slots__ = ('version', 'experimental')

    def __init__(self, version, experimental=False):
        self.version = version
        self.experimental = experimental

    def __str__(self):
        return str(self.version)

    def __repr__(self):
        return 'RequestVersion(%s, experimental=%s)' % (
            self.version, self.experimental)

    def _other(self, other):
        return other.version if isinstance(other, RequestVersion) else other

    def __eq__(self, other):
        return tuple(self.version) == tuple(self._other(other))

    def __hash__(self):
        return hash(tuple(self.version))

    def __lt__(self, other):
        return tuple(self.version) < tuple(self._other(other))

    def __le__(self, other):
        return tuple(self.version) <= tuple(self._other(other))

    def __gt__(self, other):
        return tuple(self.version) > tuple(self._other(other))

    def __ge__(self, other):
        return tuple(self.version) >= tuple(self._other(other))


class VersionRange:
    """The ``[min, max]`` range of one handler, maybe experimental."""

    __slots__ = ('min_version', 'max_version', 'experimental')

    def __init__(self, min_version=None, max_version=None,
                 experimental=False):
        self.min_version = parse(min_version) if min_version else MIN_VERSION
        self.max_version = parse(max_version) if max_version else MAX_VERSION
        self.experimental = experimental

    def matches(self, req_version):
        # An experimental range serves only requests that opted in; a
        # GA range serves everybody (upstream's method selection).
        if self.experimental and not req_version.experimental:
            return False
        return self.min_version <= req_version.version <= self.max_version

    def __repr__(self):
        return 'VersionRange(%s, %s%s)' % (
            self.min_version, self.max_version,
            ', experimental' if self.experimental else '')


class AnyOf:
    """Several ranges: an experimental one, then the GA one."""

    def __init__(self, *ranges):
        self.ranges = ranges

    def matches(self, req_version):
        return any(r.matches(req_version) for r in self.ranges)


def api_version(min_version=None, max_version=None, experimental=False,
                ga_from=None):
    """Declare the versions a handler serves (outside: a bare 404).

    With ``ga_from``, ``[min_version, ga_from)`` needs the experimental
    header and ``ga_from`` onwards does not (``max_version`` is then the
    last experimental version).
    """
    def decorator(func):
        first = VersionRange(min_version, max_version, experimental)
        func.version_range = (first if ga_from is None else
                              AnyOf(first, VersionRange(ga_from)))
        return func
    return decorator


def check(handler, req_version):
    """Raise upstream's bare 404 unless ``handler`` serves this version."""
    vrange = getattr(handler, 'version_range', None)
    if vrange is not None and not vrange.matches(req_version):
        raise exceptions.VersionNotFoundForAPIMethod()


def negotiate(headers):
    """Return the RequestVersion a request asks for.

    :raises: InvalidAPIVersion (400) for a malformed value,
             InvalidGlobalAPIVersion (406) outside ``[MIN, MAX]``.
    """
    folded = microversion_parse.fold_headers(headers)
    experimental = strutils.bool_from_string(
        folded.get(EXPERIMENTAL_HEADER.lower(), False))
    text = microversion_parse.check_legacy_headers(folded, [HEADER])
    if text is None:
        return RequestVersion(MIN_VERSION, experimental)
    text = text.strip()
    if not _VERSION_RE.match(text):
        raise exceptions.InvalidAPIVersion(version=text)
    version = parse(text)
    requested = RequestVersion(version, experimental)
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise exceptions.InvalidGlobalAPIVersion(
            req_ver=text, min_ver=str(MIN_VERSION), max_ver=str(MAX_VERSION),
            requested=requested)
    return requested


def response_headers(req_version):
    """Headers every /v2 reply carries, errors included."""
    headers = {HEADER: str(req_version), VARY: HEADER}
    if req_version.experimental:
        headers[EXPERIMENTAL_HEADER] = 'True'
    return headers
