"""Locks that hold across threads, processes and hosts, through tooz.

Flows of one share (replica create, sync, promote, delete) must never
run twice at once, even on two share services (two backends holding
replicas of the share, or a backend moved between hosts). As upstream
Manila does, they take a named tooz lock: ``[coordination]
backend_url`` picks the backend (``redis://``, ``etcd3+http://``, ... in
deployments; file locks under ``state_path`` by default, which serve
the all-in-one and several processes of one machine).

One coordinator per process and backend URL, started on first use with
its heartbeat (Redis locks expire unless the holder keeps beating),
stopped by :func:`stop` when the service stops.
"""

import contextlib
import os
import threading
import uuid

from oslo_log import log as logging
from tooz import coordination

LOG = logging.getLogger(__name__)

_LOCK = threading.Lock()
_COORDINATORS: dict[str, coordination.CoordinationDriver] = {}


def _backend_url(conf):
    return conf.coordination.backend_url or 'file://' + os.path.join(
        conf.state_path, 'coordination')


def _coordinator(conf):
    url = _backend_url(conf)
    with _LOCK:
        coordinator = _COORDINATORS.get(url)
        if coordinator is None:
            member = ('manila-lite-%s-%d-%s' % (
                conf.host, os.getpid(), uuid.uuid4().hex[:8])).encode()
            coordinator = coordination.get_coordinator(url, member)
            coordinator.start(start_heart=True)
            _COORDINATORS[url] = coordinator
        return coordinator


def stop():
    """Stop this process's coordinators (their heartbeats too); the next
    lock starts a new one."""
    with _LOCK:
        coordinators = list(_COORDINATORS.values())
        _COORDINATORS.clear()
    for coordinator in coordinators:
        try:
            coordinator.stop()
        except coordination.ToozError:
            LOG.warning('Stopping a coordinator failed', exc_info=True)


@contextlib.contextmanager
def lock(conf, name):
    """Hold the lock ``name`` (blocking) for the ``with`` body."""
    held = _coordinator(conf).get_lock(('manila-lite-' + name).encode())
    with held:
        yield
