"""Pre-fork API workers for ``osapi_share_workers`` > 1.

The parent binds the listening socket once, forks that many workers and
supervises them: SIGTERM and SIGINT (and SIGHUP, which workers answer by
re-reading mutable options) are forwarded to the workers, a worker that
dies is replaced, and the parent returns once every worker has exited
after a stop. Each worker runs ``serve(sock)``, which builds the WSGI
app, its database engine and RPC transport itself: none of them may
exist before the fork, since neither SQLAlchemy's connection pool nor
oslo.messaging's transports survive being shared by processes. The
parent only parses configuration and sets up logging.
"""

import os
import signal
import time

from oslo_log import log as logging

from manila_lite.api import server

LOG = logging.getLogger(__name__)

_FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

#: A worker that dies sooner than this after its start is replaced only
#: after the same delay, so a worker failing at start-up (database
#: unreachable, say) does not make the parent fork in a tight loop.
RESPAWN_DELAY = 1.0


def run(conf, serve):
    """Serve with ``conf.osapi_share_workers`` processes until stopped."""
    sock = server.listen(conf)
    # Every worker waits for the socket to become readable, all wake and
    # one wins the accept(): a blocking accept() would hang the others
    # (and their shutdown) until the next connection.
    sock.setblocking(False)
    LOG.info('manila-lite-api listening on %s:%s with %d workers',
             conf.osapi_share_listen, sock.getsockname()[1],
             conf.osapi_share_workers)
    children = {}
    stopping = []

    def forward(signum, frame):
        if signum != signal.SIGHUP:
            stopping.append(signum)
        for pid in list(children):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    def spawn():
        # Signals stay blocked until the child has dropped the parent's
        # handler and the parent has recorded the child's pid.
        signal.pthread_sigmask(signal.SIG_BLOCK, _FORWARDED)
        pid = os.fork()
        if pid == 0:
            for signum in _FORWARDED:
                signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _FORWARDED)
            _child(serve, sock)
        children[pid] = time.monotonic()
        if stopping:
            # The stop came while forking: forward() missed this one.
            os.kill(pid, signal.SIGTERM)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _FORWARDED)
        LOG.info('Started API worker %d', pid)

    for signum in _FORWARDED:
        signal.signal(signum, forward)
    for _ in range(conf.osapi_share_workers):
        spawn()
    while children:
        pid, status = os.wait()
        started = children.pop(pid, None)
        if started is None or stopping:
            continue
        LOG.warning('API worker %d exited (status %s); starting another',
                    pid, os.waitstatus_to_exitcode(status))
        if time.monotonic() - started < RESPAWN_DELAY:
            time.sleep(RESPAWN_DELAY)
        if not stopping:
            spawn()
    sock.close()
    LOG.info('manila-lite-api workers stopped')


def _child(serve, sock):
    status = 1
    try:
        serve(sock)
        status = 0
    except BaseException:
        LOG.exception('API worker %d failed', os.getpid())
    finally:
        # Never return into the parent's code (its loop, atexit hooks).
        os._exit(status)
