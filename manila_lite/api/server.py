"""The HTTP server of manila-lite-api and manila-lite-all: waitress.

waitress reads every request (line, headers and body) on one event
loop and hands it to a thread of ``osapi_share_threads`` only once it
is complete, so idle or trickling connections (slowloris) cost a file
descriptor each, never a thread: they cannot starve the API. Up to
``osapi_share_connection_limit`` connections are open at once; one idle
longer than ``IDLE_TIMEOUT`` is closed. HTTP/1.1 keep-alive and
TCP_NODELAY are waitress's defaults.

Limits, answered before the application sees the request: a request
line over ``MAX_REQUEST_LINE`` bytes is 414, a request line and headers
over ``MAX_HEADER_BYTES`` together are 431.

For production, gunicorn or uWSGI serve ``manila_lite.wsgi.api``.
"""

import resource
import socket
import threading

from oslo_log import log as logging
from waitress import channel
from waitress import parser
from waitress import server as waitress_server
from waitress import utilities
from waitress import wasyncore

LOG = logging.getLogger(__name__)

#: Seconds an idle keep-alive connection is kept open (checked every
#: ``CLEANUP_INTERVAL`` seconds).
IDLE_TIMEOUT = 60
CLEANUP_INTERVAL = 10
#: Longest request line accepted (method, target and version).
MAX_REQUEST_LINE = 65536
#: Longest request line and headers accepted together.
MAX_HEADER_BYTES = 262144
#: Length of the listen queue.
BACKLOG = 1024
#: Seconds a stop waits for the requests being served to finish.
STOP_GRACE = 10


class URITooLong(utilities.BadRequest):
    code = 414
    reason = 'URI Too Long'


class _Parser(parser.HTTPRequestParser):
    """waitress's parser, answering 414 to an over-long request line
    (waitress itself counts it with the headers: 431)."""

    def received(self, data):
        if not self.completed and self.body_rcv is None:
            head = (self.header_plus + data).lstrip()
            end = head.find(b'\n')
            if end < 0:
                # Not ended yet: one byte may be the CR of its CRLF.
                too_long = len(head) > MAX_REQUEST_LINE + 1
            else:
                too_long = len(head[:end].rstrip(b'\r')) > MAX_REQUEST_LINE
            if too_long:
                self.parse_header(b'GET / HTTP/1.0\r\n')
                self.error = URITooLong(
                    'request line longer than %d bytes' % MAX_REQUEST_LINE)
                self.completed = True
                return len(data)
        return super().received(data)


class _Channel(channel.HTTPChannel):
    parser_class = _Parser


def _access_logged(app):
    """``app``, with one INFO line per request as the old server wrote:
    client, request line, status and Content-Length."""

    def logged(environ, start_response):
        if not LOG.isEnabledFor(logging.INFO):
            return app(environ, start_response)
        seen = {}

        def start(status, headers, exc_info=None):
            seen['status'] = status.split(' ', 1)[0]
            seen['length'] = next((v for k, v in headers
                                   if k.lower() == 'content-length'), '-')
            return start_response(status, headers, exc_info)

        try:
            return app(environ, start)
        finally:
            query = environ.get('QUERY_STRING')
            LOG.info('%s "%s %s%s %s" %s %s', environ.get('REMOTE_ADDR'),
                     environ.get('REQUEST_METHOD'),
                     environ.get('PATH_INFO', ''),
                     '?' + query if query else '',
                     environ.get('SERVER_PROTOCOL'),
                     seen.get('status', '-'), seen.get('length', '-'))

    return logged


def listen(conf):
    """A listening socket on osapi_share_listen:osapi_share_listen_port.

    :raises SystemExit: the address is taken (EADDRINUSE) or unusable,
        with a message saying so: the command ends with status 1
    """
    host = conf.osapi_share_listen
    port = conf.osapi_share_listen_port
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family,
                                    backlog=BACKLOG)
    except OSError as exc:
        message = 'Cannot listen on %s:%s: %s' % (
            host, port, exc.strerror or exc)
        LOG.error(message)
        raise SystemExit(message) from exc


def _raise_file_limit(connections):
    """Room for ``connections`` sockets besides the process's own files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = connections + 256
    if soft != resource.RLIM_INFINITY and soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


class WSGIServer:
    """waitress serving ``app`` on ``sock``, a listening socket.

    ``serve_forever()`` runs the event loop (in any thread);
    ``shutdown()`` (from another) stops accepting, lets the requests
    being served finish for up to ``STOP_GRACE`` seconds, closes every
    connection and returns once the loop has ended.
    """

    def __init__(self, conf, app, sock):
        limit = conf.osapi_share_connection_limit
        _raise_file_limit(limit)
        self.server_port = sock.getsockname()[1]
        self._running = threading.Event()
        self._done = threading.Event()
        self._server = waitress_server.create_server(
            _access_logged(app), sockets=[sock],
            threads=conf.osapi_share_threads,
            connection_limit=limit, channel_timeout=IDLE_TIMEOUT,
            cleanup_interval=CLEANUP_INTERVAL, backlog=BACKLOG,
            max_request_header_size=MAX_HEADER_BYTES,
            # poll(), not select(): descriptors past 1024 are normal here.
            asyncore_use_poll=True, ident='manila-lite',
            clear_untrusted_proxy_headers=False)
        self._server.channel_class = _Channel

    def serve_forever(self):
        self._running.set()
        try:
            self._server.run()
        finally:
            self._done.set()

    def _busy(self):
        """Whether a connection has a request in hand or unsent bytes."""
        return any(getattr(ch, 'requests', None)
                   or getattr(ch, 'total_outbufs_len', 0)
                   for ch in list(self._server._map.values()))

    def _in_loop(self, func):
        """Run ``func`` on the event loop's thread; wait for it."""
        ran = threading.Event()

        def call():
            try:
                func()
            finally:
                ran.set()

        self._server.trigger.pull_trigger(call)
        ran.wait(STOP_GRACE)

    def shutdown(self):
        server = self._server
        if not self._running.is_set() or self._done.is_set():
            wasyncore.close_all(server._map)
        else:
            self._in_loop(lambda: wasyncore.dispatcher.close(server))
            waiter = threading.Event()
            for _ in range(STOP_GRACE * 20):
                if not self._busy():
                    break
                waiter.wait(0.05)
            self._in_loop(lambda: wasyncore.close_all(server._map))
            self._done.wait(STOP_GRACE)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)


def make_server(conf, app, sock=None):
    """A server for ``app`` on osapi_share_listen:osapi_share_listen_port,
    or on ``sock``, an already listening socket (a pre-forked worker's).

    The result has ``serve_forever()``, ``shutdown()`` and
    ``server_port`` (useful with port 0 in tests).

    :raises SystemExit: the address cannot be bound (already in use)
    """
    if sock is None:
        sock = listen(conf)
    server = WSGIServer(conf, app, sock)
    LOG.info('manila-lite-api listening on %s:%s', conf.osapi_share_listen,
             server.server_port)
    return server
