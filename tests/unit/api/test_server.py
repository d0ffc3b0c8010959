"""The embedded HTTP server (waitress) on a loopback socket: request
limits answered before the app, keep-alive, a graceful stop, a clear
error on a port in use."""

import socket
import threading

import pytest

from manila_lite.api import server

RAN = []


def _app(environ, start_response):
    RAN.append(environ['PATH_INFO'])
    if environ['PATH_INFO'] == '/slow':
        environ['test.release'].wait(10)
    body = b'hello'
    start_response('200 OK', [('Content-Type', 'text/plain'),
                              ('Content-Length', str(len(body)))])
    return [body]


@pytest.fixture
def running(conf):
    conf.set_override('osapi_share_listen_port', 0)
    release = threading.Event()

    def app(environ, start_response):
        environ['test.release'] = release
        return _app(environ, start_response)

    srv = server.make_server(conf, app)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    srv.release = release
    yield srv
    release.set()
    srv.shutdown()
    thread.join(10)
    assert not thread.is_alive()


def _connect(srv):
    return socket.create_connection(('127.0.0.1', srv.server_port),
                                    timeout=10)


def _exchange(sock, data):
    """Send ``data``; the reply up to the server's close (or 64 KiB)."""
    sock.sendall(data)
    chunks = []
    try:
        while sum(map(len, chunks)) < 65536:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b''.join(chunks)


def _status(reply):
    return reply.split(b'\r\n', 1)[0].split(b' ', 1)[1]


def test_request_line_over_limit_is_414(running):
    target = '/' + 'a' * (server.MAX_REQUEST_LINE + 10)
    with _connect(running) as sock:
        reply = _exchange(sock, b'GET %s HTTP/1.1\r\nHost: x\r\n\r\n'
                          % target.encode())
    assert _status(reply) == b'414 URI Too Long', reply[:200]
    assert target not in RAN


def test_request_line_over_limit_without_newline_is_414(running):
    with _connect(running) as sock:
        reply = _exchange(sock, b'GET /' + b'a' * (
            server.MAX_REQUEST_LINE + 10))
    assert _status(reply) == b'414 URI Too Long', reply[:200]


@pytest.mark.parametrize('extra,status', [(0, b'200 OK'),
                                           (1, b'414 URI Too Long')])
def test_request_line_limit_is_exact(running, extra, status):
    # "GET /" + target + " HTTP/1.1": the CRLF is not counted.
    line = b'GET /%s HTTP/1.1' % (
        b'b' * (server.MAX_REQUEST_LINE - 14 + extra))
    assert len(line) == server.MAX_REQUEST_LINE + extra
    with _connect(running) as sock:
        reply = _exchange(sock, line + b'\r\nHost: x\r\n'
                          b'Connection: close\r\n\r\n')
    assert _status(reply) == status, reply[:200]


def test_headers_over_limit_are_431(running):
    headers = b''.join(b'X-Pad-%d: %s\r\n' % (i, b'p' * 8000)
                       for i in range(server.MAX_HEADER_BYTES // 8000 + 2))
    with _connect(running) as sock:
        reply = _exchange(sock, b'GET /big HTTP/1.1\r\nHost: x\r\n'
                          + headers + b'\r\n')
    assert _status(reply) == (
        b'431 Request Header Fields Too Large'), reply[:200]
    assert '/big' not in RAN


def test_keep_alive_and_nodelay(running):
    with _connect(running) as sock:
        for path in (b'/one', b'/two'):
            sock.sendall(b'GET %s HTTP/1.1\r\nHost: x\r\n\r\n' % path)
            reply = b''
            while not reply.endswith(b'hello'):
                chunk = sock.recv(4096)
                assert chunk, reply
                reply += chunk
            assert reply.startswith(b'HTTP/1.1 200 OK')
            assert b'connection: close' not in reply.lower()
    assert RAN[-2:] == ['/one', '/two']


def test_shutdown_lets_a_running_request_finish(running):
    sock = _connect(running)
    sock.sendall(b'GET /slow HTTP/1.1\r\nHost: x\r\n\r\n')
    while '/slow' not in RAN:
        threading.Event().wait(0.02)
    stopper = threading.Thread(target=running.shutdown)
    stopper.start()
    running.release.set()
    reply = _exchange(sock, b'')
    sock.close()
    stopper.join(20)
    assert reply.startswith(b'HTTP/1.1 200 OK'), reply
    assert reply.endswith(b'hello')
    # No longer listening.
    with pytest.raises(OSError):
        socket.create_connection(('127.0.0.1', running.server_port),
                                 timeout=5).close()


def test_port_in_use_says_so(conf):
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        conf.set_override('osapi_share_listen_port',
                          taken.getsockname()[1])
        with pytest.raises(SystemExit) as exc:
            server.make_server(conf, _app)
    assert 'Address already in use' in str(exc.value)
    assert exc.value.code != 0


def test_each_request_is_logged(running, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger='manila_lite.api.server'):
        with _connect(running) as sock:
            reply = _exchange(sock, b'GET /logged?x=1 HTTP/1.1\r\n'
                              b'Host: x\r\nConnection: close\r\n\r\n')
    assert reply.startswith(b'HTTP/1.1 200 OK')
    assert '127.0.0.1 "GET /logged?x=1 HTTP/1.1" 200 5' in caplog.text
