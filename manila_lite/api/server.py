"""The HTTP server of manila-lite-api: threads, no eventlet.

stdlib ``wsgiref`` speaking HTTP/1.1 (keep-alive) with a bounded pool
of worker threads (``osapi_share_threads``): a connection is handed to
the pool and served until the client closes it or stays idle past the
timeout; when every worker is busy new connections wait in the
listen backlog instead of spawning unbounded threads.
"""

import concurrent.futures
import socket
import socketserver
from wsgiref import simple_server

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

#: Seconds an idle keep-alive connection is kept open.
IDLE_TIMEOUT = 60


class _Handler(simple_server.WSGIRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = IDLE_TIMEOUT
    # wsgiref writes the headers and the body separately: without
    # TCP_NODELAY, Nagle's algorithm holds the body back until the
    # client's delayed ACK (about 40 ms) on every keep-alive request.
    disable_nagle_algorithm = True

    def handle(self):
        # wsgiref serves one request per connection; loop for keep-alive.
        self.close_connection = True
        self.handle_one_request_keepalive()
        while not self.close_connection:
            self.handle_one_request_keepalive()

    def handle_one_request_keepalive(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except (TimeoutError, ConnectionError):
            self.close_connection = True
            return
        if not self.raw_requestline or len(self.raw_requestline) > 65536:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        handler = _ServerHandler(
            self.rfile, self.wfile, self.get_stderr(), self.get_environ(),
            multithread=True)
        handler.request_handler = self
        handler.run(self.server.get_app())
        if self.headers.get('Connection', '').lower() == 'close':
            self.close_connection = True
        elif self.request_version != 'HTTP/1.1' and self.headers.get(
                'Connection', '').lower() != 'keep-alive':
            self.close_connection = True
        if not handler.keepalive_ok:
            self.close_connection = True

    def log_message(self, fmt, *args):
        LOG.info('%s "%s"', self.client_address[0], fmt % args)


class _ServerHandler(simple_server.ServerHandler):
    http_version = '1.1'
    keepalive_ok = True

    def cleanup_headers(self):
        super().cleanup_headers()
        # Without a length the body ends at close: no keep-alive then.
        if 'Content-Length' not in self.headers:
            self.keepalive_ok = False
            self.headers['Connection'] = 'close'

    def close(self):
        try:
            self.request_handler.log_request(
                self.status.split(' ', 1)[0], self.bytes_sent)
        finally:
            simple_server.SimpleHandler.close(self)


class ThreadPoolWSGIServer(socketserver.ThreadingMixIn,
                           simple_server.WSGIServer):
    """A WSGIServer whose connections run on a bounded thread pool."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app, threads, sock=None):
        super().__init__(address, _Handler, bind_and_activate=sock is None)
        if sock is not None:
            # A worker of ``api.workers`` serves the socket its parent
            # bound and listens on: take it instead of binding a new one.
            self.socket.close()
            self.socket = sock
            self.server_address = sock.getsockname()
            host, self.server_port = self.server_address[:2]
            self.server_name = socket.getfqdn(host)
            self.setup_environ()
        self.set_app(app)
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix='wsgi')

    def process_request(self, request, client_address):
        self._pool.submit(self.process_request_thread, request,
                          client_address)

    def server_close(self):
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)


def make_server(conf, app, sock=None):
    """A server for ``app`` on osapi_share_listen:osapi_share_listen_port,
    or on ``sock``, an already listening socket.

    The result has ``serve_forever()``, ``shutdown()`` and
    ``server_port`` (useful with port 0 in tests).
    """
    server = ThreadPoolWSGIServer(
        (conf.osapi_share_listen, conf.osapi_share_listen_port), app,
        conf.osapi_share_threads, sock=sock)
    LOG.info('manila-lite-api listening on %s:%s', conf.osapi_share_listen,
             server.server_port)
    return server
