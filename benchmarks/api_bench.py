"""API throughput and latency: manila_lite against upstream manila-api.

    python benchmarks/api_bench.py [--duration 15] [--shares 500]
                                   [--concurrency 1,8] [--no-upstream]

Both APIs run as one process each on loopback with SQLite, noauth and
the fake message transport, seeded with the same number of shares
(rows written through each project's own database API). Upstream is
manila 23.0.1 from the package registry, installed on first use into
``~/.cache/manila_lite-bench/upstream-venv`` (never into this tree).
The load comes from a second process: ``wrk`` when it is installed,
otherwise a Python client with keep-alive connections. For each request
and concurrency it prints req/s, p50 and p99 latency, and each API
process's RSS at the end, then manila_lite / upstream ratios (req/s:
higher is better; p99: lower is better).
"""

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.expanduser('~/.cache/manila_lite-bench')
UPSTREAM_VENV = os.path.join(CACHE, 'upstream-venv')
UPSTREAM_VERSION = '23.0.1'
MICROVERSION = '2.80'
HEADERS = {'X-Auth-Token': 'admin:admin',
           'X-OpenStack-Manila-API-Version': MICROVERSION}

REQUESTS = [
    ('version discovery', '/'),
    ('share show', '/v2/shares/{share_id}'),
    ('share list detail limit=100', '/v2/shares/detail?limit=100'),
    ('share list detail (all)', '/v2/shares/detail'),
    ('export locations', '/v2/shares/{share_id}/export_locations'),
    ('services list', '/v2/services'),
]

# Seeding runs inside each project's interpreter, through its own DB API.
SEED_LITE = textwrap.dedent('''
    import sys
    from oslo_config import cfg
    from manila_lite.common import config, context
    from manila_lite.db import api as db
    conf = cfg.ConfigOpts(); config.register_opts(conf)
    conf(['--config-file', sys.argv[1]], project='manila-lite',
         default_config_files=[])
    db.configure(conf)
    ctx = context.get_admin_context()
    t = db.share_type_ensure(ctx, 'default',
                             {'driver_handles_share_servers': 'False'})
    first = None
    for i in range(int(sys.argv[2])):
        s = db.share_create(ctx, dict(project_id='admin', size=1,
            share_proto='NFS', share_type_id=t.id, name='s%d' % i),
            dict(status='available', host='bench@b1#p1',
                 availability_zone='az1', share_type_id=t.id))
        db.export_locations_replace(ctx, s.instances[0].id, [
            {'path': '10.0.0.1:/s/%d' % i, 'preferred': True}])
        first = first or s.id
    print(first)
''')

SEED_UPSTREAM = textwrap.dedent('''
    import sys
    from oslo_config import cfg
    from manila.common import config  # noqa: registers options
    from manila import context
    from manila.db import api as db
    from manila.db.sqlalchemy import api as sa_api
    from manila.db.sqlalchemy import models
    cfg.CONF(['--config-file', sys.argv[1]], project='manila')
    # Upstream's alembic chain does not run on SQLite here ("database is
    # locked" under SQLAlchemy 2): build the schema from its models.
    models.BASE.metadata.create_all(sa_api.get_engine())
    ctx = context.get_admin_context()
    t = db.share_type_create(ctx, {'name': 'default', 'extra_specs': {
        'driver_handles_share_servers': 'False'}})
    first = None
    for i in range(int(sys.argv[2])):
        s = db.share_create(ctx, dict(project_id='admin', user_id='admin',
            size=1, share_proto='NFS', share_type_id=t['id'],
            display_name='s%d' % i, status='available', host='bench@b1#p1',
            availability_zone='az1'))
        db.export_locations_update(ctx, s.instance['id'], [
            {'path': '10.0.0.1:/s/%d' % i, 'is_admin_only': False,
             'metadata': {}, 'preferred': True}], delete=True)
        first = first or s['id']
    print(first)
''')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def rss_kb(pid):
    """Resident memory of a process and its children, in KiB."""
    total = 0
    pids = [pid]
    try:
        out = subprocess.run(['pgrep', '-P', str(pid)], capture_output=True,
                             text=True).stdout.split()
        pids += [int(p) for p in out]
    except OSError:
        pass
    for p in pids:
        try:
            with open('/proc/%d/status' % p) as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def wait_up(url, proc, log, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit('API exited; see %s' % log)
        try:
            urllib.request.urlopen(url + '/', timeout=2)
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
            continue
        return
    raise SystemExit('API did not start; see %s' % log)


class Lite:
    name = 'manila_lite'

    def __init__(self, work, shares):
        self.work = os.path.join(work, 'lite')
        os.makedirs(self.work)
        self.port = free_port()
        self.conf = os.path.join(self.work, 'manila-lite.conf')
        with open(self.conf, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\ntransport_url = fake:/\n'
                    'auth_strategy = noauth\nosapi_share_listen = 127.0.0.1\n'
                    'osapi_share_listen_port = %d\nhost = bench\n'
                    'default_log_levels = manila_lite=WARN,amqp=WARN\n'
                    '[database]\nconnection = sqlite:///%s/m.sqlite\n'
                    % (self.work, self.port, self.work))
        self.shares = shares
        bindir = os.path.dirname(sys.executable)
        self.manage = os.path.join(bindir, 'manila-lite-manage')
        self.api = os.path.join(bindir, 'manila-lite-api')
        self.python = sys.executable

    def start(self):
        subprocess.run([self.manage, '--config-file', self.conf, 'db',
                        'sync'], check=True, capture_output=True)
        self._start_seeded()

    def _start_seeded(self):
        seed = SEED_LITE if isinstance(self, Lite) and not isinstance(
            self, Upstream) else SEED_UPSTREAM
        self.share_id = subprocess.run(
            [self.python, '-c', seed, self.conf, str(self.shares)],
            check=True, capture_output=True, text=True).stdout.split()[-1]
        self.log = os.path.join(self.work, 'api.log')
        self.proc = subprocess.Popen(
            [self.api, '--config-file', self.conf], env=self.env(),
            stdout=open(self.log, 'w'), stderr=subprocess.STDOUT)
        self.url = 'http://127.0.0.1:%d' % self.port
        wait_up(self.url, self.proc, self.log)

    def env(self):
        return dict(os.environ)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Upstream(Lite):
    name = 'upstream manila-api %s' % UPSTREAM_VERSION

    def __init__(self, work, shares):
        self.work = os.path.join(work, 'upstream')
        os.makedirs(self.work)
        self.port = free_port()
        self.shares = shares
        ensure_upstream()
        bindir = os.path.join(UPSTREAM_VENV, 'bin')
        self.manage = os.path.join(bindir, 'manila-manage')
        self.api = os.path.join(bindir, 'manila-api')
        self.python = os.path.join(bindir, 'python')
        paste = os.path.join(UPSTREAM_VENV, 'etc', 'manila',
                             'api-paste.ini')
        self.conf = os.path.join(self.work, 'manila.conf')
        with open(self.conf, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\ntransport_url = fake:/\n'
                    'auth_strategy = noauth\nosapi_share_listen = 127.0.0.1\n'
                    'osapi_share_listen_port = %d\nosapi_share_workers = 1\n'
                    'api_paste_config = %s\nhost = bench\n'
                    'enabled_share_backends = b1\n'
                    'storage_availability_zone = az1\n'
                    'default_share_type = default\n'
                    'default_log_levels = manila=WARN,amqp=WARN\n'
                    '[database]\nconnection = sqlite:///%s/m.sqlite\n'
                    '[oslo_concurrency]\nlock_path = %s\n'
                    % (self.work, self.port, paste, self.work, self.work))

    def start(self):
        self._start_seeded()

    def env(self):
        # 23.0.1's own server (manila-api) runs only on eventlet, which
        # it selects when this variable says "do not disable".
        return dict(os.environ, OS_MANILA_DISABLE_EVENTLET_PATCHING='0')


def ensure_upstream():
    manage = os.path.join(UPSTREAM_VENV, 'bin', 'manila-manage')
    if os.path.exists(manage):
        return
    os.makedirs(CACHE, exist_ok=True)
    subprocess.run([sys.executable, '-m', 'venv', UPSTREAM_VENV],
                   check=True)
    # SQLAlchemy as upstream's 2025.1 constraints had it (2.0.x).
    subprocess.run([os.path.join(UPSTREAM_VENV, 'bin', 'pip'), 'install',
                    '-q', 'manila==%s' % UPSTREAM_VERSION,
                    'SQLAlchemy>=2.0,<2.1'], check=True)


# --- load ---------------------------------------------------------------
def _client(url, path, deadline, out):
    import http.client
    from urllib.parse import urlparse

    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port,
                                      timeout=30)
    latencies = []
    errors = 0
    while time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            conn.request('GET', path, headers=HEADERS)
            resp = conn.getresponse()
            resp.read()
            if resp.status >= 500:
                errors += 1
        except OSError:
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port,
                                              timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
    out.put((latencies, errors))


def _python_load(url, path, concurrency, duration):
    """Run in its own process: ``concurrency`` threads with keep-alive."""
    import queue
    import threading

    out = queue.Queue()
    deadline = time.monotonic() + duration
    threads = [threading.Thread(target=_client,
                                args=(url, path, deadline, out))
               for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat, errors = [], 0
    while not out.empty():
        items, errs = out.get()
        lat += items
        errors += errs
    lat.sort()
    if not lat:
        return {'rps': 0, 'p50': None, 'p99': None, 'errors': errors}
    return {'rps': len(lat) / duration,
            'p50': lat[len(lat) // 2] * 1000,
            'p99': lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
            'errors': errors}


def _wrk_load(url, path, concurrency, duration):
    header_args = []
    for key, value in HEADERS.items():
        header_args += ['-H', '%s: %s' % (key, value)]
    out = subprocess.run(
        ['wrk', '-t', str(min(concurrency, 2)), '-c', str(concurrency),
         '-d', '%ds' % duration, '--latency', *header_args, url + path],
        capture_output=True, text=True, check=True).stdout
    result = {'errors': 0}

    def ms(text):
        value = float(text[:-2] if text.endswith('ms') else text[:-2]
                      if text.endswith('us') else text[:-1])
        if text.endswith('us'):
            return value / 1000
        if text.endswith('ms'):
            return value
        return value * 1000

    for line in out.splitlines():
        parts = line.split()
        if line.strip().startswith('50%'):
            result['p50'] = ms(parts[1])
        elif line.strip().startswith('99%'):
            result['p99'] = ms(parts[1])
        elif line.startswith('Requests/sec:'):
            result['rps'] = float(parts[1])
        elif 'Non-2xx' in line:
            result['errors'] = int(parts[-1])
    return result


def measure(api, path, concurrency, duration):
    full = path.format(share_id=api.share_id)
    if shutil.which('wrk'):
        return _wrk_load(api.url, full, concurrency, duration)
    with multiprocessing.get_context('spawn').Pool(1) as pool:
        return pool.apply(_python_load,
                          (api.url, full, concurrency, duration))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--duration', type=int, default=15)
    parser.add_argument('--shares', type=int, default=500)
    parser.add_argument('--concurrency', default='1,8')
    parser.add_argument('--no-upstream', action='store_true')
    parser.add_argument('--json', help='also write the figures here '
                        '(benchmarks/plot.py reads them)')
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(',')]
    work = tempfile.mkdtemp(prefix='api-bench-')
    apis = [Lite(work, args.shares)]
    if not args.no_upstream:
        apis.append(Upstream(work, args.shares))
    results = {}
    try:
        for api in apis:
            api.start()
            for name, path in REQUESTS:
                for c in levels:
                    results[(api.name, name, c)] = measure(
                        api, path, c, args.duration)
            results[(api.name, 'rss')] = rss_kb(api.proc.pid)
            api.stop()
    finally:
        for api in apis:
            if getattr(api, 'proc', None) and api.proc.poll() is None:
                api.proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    print('loader: %s; %d shares; microversion %s; %ds per run'
          % ('wrk' if shutil.which('wrk') else 'python keep-alive client',
             args.shares, MICROVERSION, args.duration))
    fmt = '%-30s %-3s %-28s %9s %9s %9s %6s'
    print(fmt % ('request', 'c', 'api', 'req/s', 'p50 ms', 'p99 ms',
                 'errors'))
    for name, _path in REQUESTS:
        for c in levels:
            for api in apis:
                r = results[(api.name, name, c)]
                print(fmt % (name, c, api.name, '%.0f' % r['rps'],
                             '%.2f' % (r['p50'] or 0),
                             '%.2f' % (r['p99'] or 0), r['errors']))
            if len(apis) == 2:
                a = results[(apis[0].name, name, c)]
                b = results[(apis[1].name, name, c)]
                print(fmt % ('', '', 'ratio lite/upstream',
                             '%.2fx' % (a['rps'] / b['rps'])
                             if b['rps'] else '-', '',
                             '%.2fx' % (a['p99'] / b['p99'])
                             if b.get('p99') else '-', ''))
    for api in apis:
        print('RSS of %s after the run: %.1f MiB'
              % (api.name, results[(api.name, 'rss')] / 1024))
    flat = {'|'.join(map(str, k)): v for k, v in results.items()}
    print(json.dumps(flat, sort_keys=True))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(flat, f, indent=1, sort_keys=True)


if __name__ == '__main__':
    main()
