"""The share service API: what controllers call, in the API process.

It checks state with conditional database updates, records the intent
and casts to the service that does the work. It never calls a driver,
knows nothing of HTTP and never checks policy (controllers do, once);
it does enforce project visibility: a resource of another project is
``NotFound`` for a non-admin, as upstream hides existence.

The method contract is in the docstrings; the controllers are its only
callers apart from tests.

The resources have a module each over the public ``base.Base``:
``types``, ``shares``, ``snapshots``, ``access`` and ``services``;
``API`` composes them, and is built once per API process. The other
component APIs (migration, replicas, resize, revert, recycle bin,
instances, locks, backups) are built once too, lazily, as attributes of
``API``.
"""

import functools

from manila_lite.share import backup_api
from manila_lite.share import groups
from manila_lite.share import instance_api
from manila_lite.share import lock_api
from manila_lite.share import migration_api
from manila_lite.share import recycle
from manila_lite.share import replica_api
from manila_lite.share import resize_api
from manila_lite.share import revert_api
from manila_lite.share.api import access
from manila_lite.share.api import services
from manila_lite.share.api import shares
from manila_lite.share.api import snapshots
from manila_lite.share.api import types

DELETABLE_STATUSES = shares.DELETABLE_STATUSES


class API(types.ShareTypesAPI, shares.SharesAPI, snapshots.SnapshotsAPI,
          access.AccessAPI, services.ServicesAPI):
    """The share service API of one process."""

    # Each built on first use, then kept: one per process.
    migrations = functools.cached_property(migration_api.MigrationAPI)
    replicas = functools.cached_property(replica_api.ReplicaAPI)
    resizes = functools.cached_property(resize_api.ResizeAPI)
    reverts = functools.cached_property(revert_api.RevertAPI)
    recycle_bin = functools.cached_property(recycle.RecycleAPI)
    instances = functools.cached_property(instance_api.InstanceAPI)
    locks = functools.cached_property(lock_api.LockAPI)
    backups = functools.cached_property(backup_api.BackupAPI)
    groups = functools.cached_property(groups.GroupAPI)
