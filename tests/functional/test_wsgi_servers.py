"""The API under gunicorn (``manila_lite.wsgi.api``) and as
``manila-lite-api`` with several worker processes.

SQLite file database and the in-process ``fake:`` transport: nothing
here casts, and every process of a server reads the same file. Which
process served a request is read from the OS (the process holding the
server end of the connection), not from a header of the product.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

import psutil
import pytest

from tests.functional import deployment as dep

HEADERS = {'X-Auth-Token': 'admin:admin',
           'X-OpenStack-Manila-API-Version': '2.98'}


@pytest.fixture
def config(tmp_path):
    """(config file, manila-lite-api's port) on a synced SQLite file."""
    path = str(tmp_path / 'manila-lite.conf')
    port = dep.free_port()
    with open(path, 'w') as f:
        f.write('\n'.join([
            '[DEFAULT]',
            'state_path = %s' % (tmp_path / 'state'),
            'transport_url = fake:/',
            'auth_strategy = noauth',
            # manila-lite-api only; gunicorn has its own options.
            'osapi_share_listen = 127.0.0.1',
            'osapi_share_listen_port = %d' % port,
            'osapi_share_workers = 3',
            'osapi_share_threads = 4',
            '[database]',
            'connection = sqlite:///%s' % (tmp_path / 'manila.sqlite'),
        ]) + '\n')
    subprocess.run(dep.command('manila_lite.cmd.manage',
                               ['--config-file', path, 'db', 'sync']),
                   capture_output=True, text=True, timeout=120, check=True)
    return path, port


def _call(port, method, path, body=None, headers=HEADERS):
    """One request on a fresh connection: (status, JSON body)."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    try:
        hdrs = dict(headers)
        data = None
        if body is not None:
            data = json.dumps(body)
            hdrs['Content-Type'] = 'application/json'
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, json.loads(raw) if raw else None
    finally:
        conn.close()


def _served_by(port, pids):
    """GET / on a fresh connection, kept open until the process of
    ``pids`` holding its other end is found."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    try:
        conn.request('GET', '/')
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 300
        client = conn.sock.getsockname()
        for pid in pids:
            for c in psutil.Process(pid).net_connections(kind='tcp'):
                if c.raddr and tuple(c.raddr) == client:
                    return pid
        raise AssertionError('no process of %s holds %s' % (pids, client))
    finally:
        conn.close()


def _workers(proc, count, timeout=30, exclude=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = [c.pid for c in psutil.Process(proc.pid).children()
                if c.pid not in exclude
                and c.status() != psutil.STATUS_ZOMBIE]
        if len(pids) == count:
            return pids
        time.sleep(0.1)
    raise AssertionError('%d workers expected, have %s' % (count, pids))


def _start(argv, log_path, env=None):
    log = open(log_path, 'ab')
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                            env=env)


def _wait_ready(proc, port, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError('server died:\n' + _log(log_path))
        try:
            if _call(port, 'GET', '/', headers={})[0] == 300:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError('server never answered:\n' + _log(log_path))


def _log(path):
    with open(path, errors='replace') as f:
        return f.read()[-8000:]


def _stop(proc, log_path):
    """SIGTERM the server and wait up to 20 s; kill whatever is left.

    Returns the server's exit status and the processes it forked that
    SIGTERM did not stop.
    """
    children = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
        alive = psutil.wait_procs(children, timeout=1)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        alive = children
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    # Shown by pytest when the test fails.
    print(_log(log_path))
    return proc.returncode, alive


def test_gunicorn(config, tmp_path):
    config_file = config[0]
    port = dep.free_port()
    log = str(tmp_path / 'gunicorn.log')
    proc = _start(
        [sys.executable, '-m', 'gunicorn', '--workers', '2', '--threads',
         '4', '--bind', '127.0.0.1:%d' % port,
         'manila_lite.wsgi.api:application'],
        log, env=dict(os.environ, MANILA_LITE_CONFIG_FILES=config_file,
                      # Recent gunicorn puts a control socket in ~.
                      HOME=str(tmp_path)))
    try:
        _wait_ready(proc, port, log)
        status, body = _call(port, 'GET', '/', headers={})
        assert status == 300
        assert 'v2.0' in [v['id'] for v in body['versions']]

        status, body = _call(port, 'GET', '/v2/types')
        assert status == 200, body
        assert body['share_types'] == []
        status, body = _call(port, 'POST', '/v2/types', {'share_type': {
            'name': 'gold', 'extra_specs': {
                'driver_handles_share_servers': 'false'}}})
        assert status == 200, body
        workers = _workers(proc, 2)
        served = set()
        for _ in range(30):
            status, body = _call(port, 'GET', '/v2/types')
            assert status == 200, body
            assert [t['name'] for t in body['share_types']] == ['gold']
            served.add(_served_by(port, workers))
        # Both workers answered, and both saw the type one created.
        assert served == set(workers)

        status, _ = _call(port, 'GET', '/healthcheck', headers={})
        assert status == 200
    finally:
        _stop(proc, log)


def test_api_workers(config, tmp_path):
    config_file, port = config
    log = str(tmp_path / 'api.log')
    proc = _start(dep.command('manila_lite.cmd.api',
                              ['--config-file', config_file]), log)
    try:
        _wait_ready(proc, port, log)
        workers = _workers(proc, 3)
        served = {_served_by(port, workers) for _ in range(30)}
        assert len(served) > 1, served

        status, body = _call(port, 'POST', '/v2/types', {'share_type': {
            'name': 'gold', 'extra_specs': {
                'driver_handles_share_servers': 'false'}}})
        assert status == 200, body

        # A killed worker is replaced; the others keep answering.
        os.kill(workers[0], signal.SIGKILL)
        replaced = _workers(proc, 3, exclude=workers[:1])
        assert workers[0] not in replaced
        assert set(workers[1:]) < set(replaced)
        for _ in range(10):
            status, body = _call(port, 'GET', '/v2/types')
            assert status == 200, body
            assert [t['name'] for t in body['share_types']] == ['gold']

        # SIGTERM stops the parent and every worker within 20 s.
        assert _stop(proc, log) == (0, [])
    finally:
        if proc.poll() is None:
            _stop(proc, log)


def test_all_in_one_on_a_taken_port_says_address_in_use(tmp_path):
    # Before: an AttributeError from the server's cleanup hid the cause.
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        path = tmp_path / 'all.conf'
        path.write_text('[DEFAULT]\nstate_path = %s\n'
                        'osapi_share_listen_port = %d\n'
                        % (tmp_path / 'state', port))
        done = subprocess.run(
            dep.command('manila_lite.cmd.all',
                        ['--config-file', str(path)]),
            capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert 'Address already in use' in output, output
    assert 'AttributeError' not in output, output
    assert 'Traceback' not in output, output
