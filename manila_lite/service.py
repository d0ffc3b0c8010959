"""A running service: its row in ``services``, RPC server and threads.

``Service`` wraps one manager (scheduler, a share backend, data): it
registers ``(host, binary)`` in the database, runs the manager's
``init_host``, serves RPC on ``Target(topic, server=host)`` with the
``threading`` executor, heartbeats every ``report_interval`` (storing the
manager's capabilities, which is how schedulers learn about backends)
and runs ``manager.periodic_tasks`` every ``periodic_interval`` in a
thread of its own, so slow periodic work never blocks RPC.

``launch`` starts a set of services (and optionally the API's WSGI
server) in this process and runs until SIGTERM or SIGINT; SIGHUP
re-reads the mutable options, as OpenStack services do.
"""

import signal
import threading

from oslo_log import log as logging
import oslo_messaging as messaging

from manila_lite.common import context
from manila_lite.common import rpc
from manila_lite.db import api as db

LOG = logging.getLogger(__name__)


class Service:
    def __init__(self, conf, *, binary, topic, host, manager,
                 availability_zone=None):
        self.conf = conf
        self.binary = binary
        self.topic = topic
        self.host = host
        self.manager = manager
        self.availability_zone = (availability_zone
                                  or conf.storage_availability_zone)
        self.service_id = None
        self._rpcserver = None
        self._stop = threading.Event()
        self._threads = []

    def start(self):
        ctx = context.get_admin_context()
        row = db.service_create_or_update(
            ctx, host=self.host, binary=self.binary, topic=self.topic,
            availability_zone=self.availability_zone)
        self.service_id = row.id
        self.manager.service_id = row.id
        if hasattr(self.manager, 'init_host'):
            self.manager.init_host(ctx)
        self.report_state()
        target = messaging.Target(topic=self.topic, server=self.host)
        self._rpcserver = rpc.get_server(self.conf, target, [self.manager])
        self._rpcserver.start()
        self._spawn('heartbeat', self._heartbeat_loop)
        if hasattr(self.manager, 'periodic_tasks'):
            self._spawn('periodic', self._periodic_loop)
        LOG.info('Started %s on %s (topic %s)', self.binary, self.host,
                 self.topic)

    def _spawn(self, name, target):
        thread = threading.Thread(
            target=target, name='%s-%s' % (self.host, name), daemon=True)
        thread.start()
        self._threads.append(thread)

    def report_state(self):
        """One heartbeat; failures are logged, never fatal (the DB may be
        briefly away: the service is reported down until it is back)."""
        capabilities = None
        try:
            if hasattr(self.manager, 'get_capabilities'):
                capabilities = self.manager.get_capabilities()
            db.service_heartbeat(context.get_admin_context(),
                                 self.service_id, capabilities)
        except Exception:
            LOG.exception('Heartbeat of %s %s failed', self.binary,
                          self.host)

    def _heartbeat_loop(self):
        while not self._stop.wait(self.conf.report_interval):
            self.report_state()

    def _periodic_loop(self):
        while not self._stop.wait(self.conf.periodic_interval):
            try:
                self.manager.periodic_tasks(context.get_admin_context())
            except Exception:
                LOG.exception('Periodic tasks of %s failed', self.host)

    def reload(self):
        """Called after the configuration was re-read (SIGHUP)."""
        if hasattr(self.manager, 'reload_config'):
            self.manager.reload_config()

    def stop(self):
        self._stop.set()
        # The manager's own work first: stopping the RPC server takes a
        # second or more, which a running copy should not get to use
        # (SIGTERM means checkpoint now). The manager refuses new work
        # from then on.
        if hasattr(self.manager, 'cleanup_host'):
            try:
                self.manager.cleanup_host()
            except Exception:
                LOG.exception('Cleanup of %s failed', self.host)
        if self._rpcserver is not None:
            self._rpcserver.stop()
            self._rpcserver.wait()
        if self.service_id is not None:
            try:
                db.service_update(context.get_admin_context(),
                                  self.service_id, {'stopped': True})
            except Exception:
                LOG.exception('Could not mark %s stopped', self.host)
        for thread in self._threads:
            thread.join(timeout=5)


def launch(conf, services, wsgi_server=None):
    """Run ``services`` (and ``wsgi_server``) until told to stop.

    Must be called from the main thread (it installs signal handlers).
    """
    stop = threading.Event()
    reload = threading.Event()

    def _on_stop(signum, frame):
        stop.set()

    def _on_hup(signum, frame):
        reload.set()

    signal.signal(signal.SIGTERM, _on_stop)
    signal.signal(signal.SIGINT, _on_stop)
    signal.signal(signal.SIGHUP, _on_hup)

    started = []
    try:
        for service in services:
            service.start()
            started.append(service)
        if wsgi_server is not None:
            threading.Thread(target=wsgi_server.serve_forever,
                             name='wsgi', daemon=True).start()
        while not stop.wait(0.5):
            if reload.is_set():
                reload.clear()
                LOG.info('SIGHUP: re-reading mutable configuration')
                conf.mutate_config_files()
                for service in started:
                    service.reload()
    finally:
        if wsgi_server is not None:
            wsgi_server.shutdown()
        for service in reversed(started):
            service.stop()
        rpc.cleanup()
