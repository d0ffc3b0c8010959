"""A small threaded TCP proxy that a test can cut and restore.

Put it between a service and a server it talks to (MariaDB,
RabbitMQ)::

    proxy = TCPProxy(('127.0.0.1', 3306))
    proxy.start()                       # listens on 127.0.0.1:proxy.port
    ...
    proxy.cut()       # the server is gone: open connections are reset,
    ...               # new ones are reset as soon as they are accepted
    proxy.restore()   # new connections are forwarded again
    ...
    proxy.stop()

``cut`` is abrupt on purpose (a TCP reset, no goodbye from the
server), which is what clients see when the server process or its
machine dies; it returns once every open connection is closed. Each
forwarded connection costs two threads, one per direction; bytes are
copied as they come, nothing is interpreted.
"""

import socket
import struct
import threading

_RESET = struct.pack('ii', 1, 0)   # SO_LINGER on, 0 s: close sends RST


def _reset(sock):
    """Close ``sock`` with a TCP reset, whatever state it is in."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET)
    except OSError:
        pass
    sock.close()


class _Pair:
    """One forwarded connection: both sockets, both pumps."""

    def __init__(self, client, upstream):
        self.socks = (client, upstream)
        self.threads = []
        self.running = 2


class TCPProxy:
    def __init__(self, target, host='127.0.0.1'):
        self.target = target
        self.host = host
        self.port = None
        self._listener = None
        self._lock = threading.Lock()
        self._cut = False
        self._stopped = threading.Event()
        self._pairs = set()
        self._acceptor = None

    # --- control -------------------------------------------------------------
    def start(self):
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((self.host, 0))
        self._listener.listen(64)
        # accept() wakes up this often to notice stop().
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept_loop,
                                          name='tcpproxy-%d' % self.port,
                                          daemon=True)
        self._acceptor.start()
        return self

    def cut(self):
        """Reset every open connection; reset new ones until restore().

        Returns once the open connections are closed.
        """
        with self._lock:
            self._cut = True
            pairs = list(self._pairs)
        for pair in pairs:
            for sock in pair.socks:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    _RESET)
                except OSError:
                    pass
            _wake(pair)
        for pair in pairs:
            for thread in pair.threads:
                thread.join(timeout=5)

    def restore(self):
        with self._lock:
            self._cut = False

    def stop(self):
        self._stopped.set()
        self.cut()
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)
        if self._listener is not None:
            self._listener.close()

    @property
    def connections(self):
        """How many connections are being forwarded now."""
        with self._lock:
            return len(self._pairs)

    # --- work ----------------------------------------------------------------
    def _accept_loop(self):
        while not self._stopped.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                cut = self._cut
            if cut:
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pair = _Pair(client, upstream)
            pair.threads = [
                threading.Thread(target=self._pump,
                                 args=(pair, client, upstream), daemon=True),
                threading.Thread(target=self._pump,
                                 args=(pair, upstream, client), daemon=True)]
            with self._lock:
                if self._cut:
                    _reset(client)
                    _reset(upstream)
                    continue
                # Started under the lock, so cut() never sees a pair
                # whose threads it cannot join yet.
                self._pairs.add(pair)
                for thread in pair.threads:
                    thread.start()

    def _pump(self, pair, src, dst):
        """Copy ``src`` to ``dst`` until either end goes away; the last
        pump of the pair out closes both sockets (with a reset when the
        proxy is cut). No socket is closed while the other pump may
        still be blocked on it: closing does not wake a blocked recv().
        """
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        _wake(pair)
        with self._lock:
            pair.running -= 1
            if pair.running:
                return
            self._pairs.discard(pair)
            cut = self._cut
        for sock in pair.socks:
            if cut:
                _reset(sock)
            else:
                sock.close()


def _wake(pair):
    """Make both pumps' recv() return: SHUT_RD sends nothing."""
    for sock in pair.socks:
        try:
            sock.shutdown(socket.SHUT_RD)
        except OSError:
            pass
