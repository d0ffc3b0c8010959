"""The ``local`` driver: shares are directories on this machine.

A share's size is a quota recorded in its sidecar (and counted as
allocated capacity); total and free capacity come from the pool's file
system. Export locations are ``<local_export_host>:<path>`` (preferred)
plus the bare path as an admin-only location, which the data service
uses to reach the files. ``local_export_host`` is mutable: ensure shares
recomputes every export location from its current value.

The package: ``options`` (the backend options), ``layout`` (pools,
paths, sidecars, export locations), ``exports`` (access rules and the
exports file), ``migration`` (driver-assisted migration), ``replication``
and ``driver`` (the class, which the stevedore name ``local`` and the
class path ``manila_lite.share.drivers.local.LocalShareDriver`` load).
"""

from manila_lite.share.drivers.local.driver import LocalShareDriver
from manila_lite.share.drivers.local.options import LOCAL_OPTS

__all__ = ['LOCAL_OPTS', 'LocalShareDriver']
