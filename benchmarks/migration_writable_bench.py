"""Writable host-assisted migration: the read-only window against the
full copy, with a writer changing the share all along.

    python benchmarks/migration_writable_bench.py [--scale 1.0]
        [--change-rate 0.01] [--wait 20] [--dir D] [--json OUT]

Runs the embedded services in this process (scheduler, two ``local``
backends that decline driver-assisted migration, the data service, the
API through WSGI calls), builds a share of 20,000 files of 4 KiB plus
large files of 64 MiB up to 2 GiB in all (``--scale`` multiplies both),
exports it read-write, and starts a writer that overwrites
``--change-rate`` of the files per minute (a same-size rewrite, so
only mtimes tell). Then ``migration_start`` with ``writable=True``,
waits for ``data_copying_completed``, lets keep-close passes run for
``--wait`` seconds and calls ``migration_complete``.

Prints the full copy's time (pass 1), the passes, what the final pass
copied, the read-only window (source read-only until the final pass
ended, as the data service recorded it; and until the API showed
``migration_success``, as seen from here) and the window's ratio to the
full copy. The issue's targets: at most 5% of the full copy and at most
10 s. ``--json`` also writes the figures (with the date, the machine
and the command) to a file, as in ``benchmarks/results/``.

It also splits the window: from the source's switch to read-only to the
final pass's engine starting (the exports rewritten, the job asked for,
recorded and claimed), then the engine's own steps per pass (the walk
of the source, the prune, the file copies, the tree's metadata), timed
by wrapping the engine's methods in this process.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from oslo_config import cfg  # noqa: E402

from manila_lite.api import app as app_mod  # noqa: E402
from manila_lite.cmd import all as all_cmd  # noqa: E402
from manila_lite.common import config  # noqa: E402
from manila_lite.common import context  # noqa: E402
from manila_lite.db import api as db_api  # noqa: E402
from manila_lite.share.drivers import local  # noqa: E402
from tests import writer as writer_mod  # noqa: E402
from tests.unit.api.conftest import Client  # noqa: E402

V = '2.98'
LARGE = 64 * 1024 * 1024


def build(path, scale):
    small = int(20000 * scale)
    files = []
    for i in range(small):
        sub = os.path.join('d%03d' % (i % 100))
        os.makedirs(os.path.join(path, sub), exist_ok=True)
        rel = os.path.join(sub, 'f%06d' % i)
        with open(os.path.join(path, rel), 'wb') as f:
            f.write(os.urandom(4096))
        files.append(rel)
    block = os.urandom(1024 * 1024)
    large = max(1, int((2 * 1024 ** 3 * scale - small * 4096) / LARGE))
    for i in range(large):
        rel = 'big%03d' % i
        with open(os.path.join(path, rel), 'wb') as f:
            for _ in range(LARGE // len(block)):
                f.write(block)
        files.append(rel)
    return files


class Writer:
    """Same-size rewrites of ``rate`` of the files per minute, one at a
    time, each while the exports say read-write (``exports.lock``
    held shared, as in tests/writer.py)."""

    def __init__(self, path, files, rate):
        self.path = path
        self.files = [f for f in files if not f.startswith('big')]
        self.interval = 60.0 / max(1.0, rate * len(files))
        self.changes = 0
        self.readonly_at = None
        self._stop = False

    def run(self):
        lock = writer_mod.exports_of(self.path)[1]
        rng = random.Random(1)
        while not self._stop:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                import fcntl
                fcntl.flock(fd, fcntl.LOCK_SH)
                if writer_mod.export_level(self.path) == 'ro':
                    self.readonly_at = time.monotonic()
                    return
                with open(os.path.join(self.path, rng.choice(self.files)),
                          'r+b') as f:
                    f.write(os.urandom(4096))
                self.changes += 1
            finally:
                os.close(fd)
            time.sleep(self.interval)

    def stop(self):
        self._stop = True


class Phases:
    """Wall time of the copy engine's steps, per run (engine instances
    in creation order), and when each run started (``time.time()``)."""

    STEPS = ('plan', '_prune', '_prune_changed', '_copy_files',
             '_finish_tree')

    def __init__(self):
        from manila_lite.data import copy as engine

        self.runs = []
        self._local = threading.local()
        real_plan = engine.plan_tree
        phases = self

        def plan_tree(*args, **kwargs):
            started = time.monotonic()
            try:
                return real_plan(*args, **kwargs)
            finally:
                run = getattr(phases._local, 'run', None)
                if run is not None:
                    run['plan'] = run.get('plan', 0.0) + (
                        time.monotonic() - started)

        engine.plan_tree = plan_tree
        real_run = engine.CopyJob.run

        def run(job):
            record = {'started': time.time(), 'final': not job.live}
            phases.runs.append(record)
            phases._local.run = record
            try:
                return real_run(job)
            finally:
                phases._local.run = None

        engine.CopyJob.run = run
        for name in self.STEPS[1:]:
            self._wrap(engine.CopyJob, name)

    def _wrap(self, cls, name):
        real = getattr(cls, name)
        phases = self

        def timed(job, *args, **kwargs):
            started = time.monotonic()
            try:
                return real(job, *args, **kwargs)
            finally:
                run = getattr(phases._local, 'run', None)
                if run is not None:
                    run[name] = run.get(name, 0.0) + (
                        time.monotonic() - started)

        setattr(cls, name, timed)

    def describe(self, record):
        return ', '.join('%s %.3f s' % (name.strip('_'), record[name])
                         for name in self.STEPS if name in record)


def wait_for(client, share_id, field, wanted, timeout=3600):
    deadline = time.monotonic() + timeout
    while True:
        body = client('GET', '/v2/shares/' + share_id,
                      version=V).json_body_or_none['share']
        if body[field] == wanted:
            return body
        if body['task_state'] == 'migration_error' or \
                time.monotonic() > deadline:
            raise SystemExit('share %s: %s' % (share_id, body))
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=float, default=1.0)
    parser.add_argument('--change-rate', type=float, default=0.01)
    parser.add_argument('--wait', type=float, default=20.0)
    parser.add_argument('--dir', default=None)
    parser.add_argument('--json', default=None,
                        help='Write the figures to this file too.')
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='writable-bench-', dir=args.dir)
    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    conf([], project='manila-lite', default_config_files=[])
    conf.set_override('state_path', os.path.join(work, 'state'))
    conf.set_override('transport_url', 'fake:/')
    conf.set_override('host', 'bench')
    conf.set_override('report_interval', 1)
    conf.set_override('periodic_interval', 1)
    conf.set_override('migration_sync_interval', 5)
    conf.set_override('connection', 'sqlite:///%s/db.sqlite' % work,
                      group='database')
    for backend in ('local1', 'local2'):
        config.register_backend_opts(conf, backend, local.LOCAL_OPTS)
        conf.set_override('local_driver_assisted_migration', False,
                          group=backend)
    phases = Phases()
    services = all_cmd.prepare(conf)
    for svc in services:
        svc.start()
    client = Client(app_mod.build_app(conf))
    try:
        run(client, conf, args, phases)
    finally:
        for svc in reversed(services):
            svc.stop()
        shutil.rmtree(work, ignore_errors=True)


def run(client, conf, args, phases):
    body = client('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'availability_zone': 'az1'}},
        version=V).json_body_or_none
    share_id = body['share']['id']
    wait_for(client, share_id, 'status', 'available')
    resp = client('GET', '/v2/shares/%s/export_locations' % share_id,
                  version=V)
    path = [el['path'] for el in resp.json_body_or_none['export_locations']
            if el['is_admin_only']][0]
    started = time.monotonic()
    files = build(path, args.scale)
    os.sync()
    print('share: %d files, %.1f MiB, built in %.1f s' % (
        len(files), sum(os.path.getsize(os.path.join(path, f))
                        for f in files) / 2 ** 20,
        time.monotonic() - started))
    client('POST', '/v2/shares/%s/action' % share_id, {'allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.0/24',
        'access_level': 'rw'}}, version=V)
    wait_for(client, share_id, 'access_rules_status', 'active')
    writer = Writer(path, files, args.change_rate)
    thread = threading.Thread(target=writer.run, daemon=True)
    thread.start()
    client('POST', '/v2/shares/%s/action' % share_id, {'migration_start': {
        'host': 'bench@local2#pool1', 'writable': True,
        'preserve_metadata': True, 'nondisruptive': False,
        'preserve_snapshots': False}}, version=V)
    wait_for(client, share_id, 'task_state', 'data_copying_completed')
    time.sleep(args.wait)
    client('POST', '/v2/shares/%s/action' % share_id,
           {'migration_complete': None}, version=V)
    wait_for(client, share_id, 'task_state', 'migration_success')
    done = time.monotonic()
    writer.stop()
    thread.join(10)
    jobs = db_api.data_copy_job_get_all(context.get_admin_context(),
                                        share_id=share_id)
    full = jobs[0]
    final = jobs[-1]
    print('writer: %d same-size rewrites (%.2f%% of the files per minute)'
          % (writer.changes, args.change_rate * 100))
    for job in jobs:
        print('  pass %2d%s: %8.3f s, %10d bytes copied, %6d files changed'
              % (job.sync_pass, ' final' if job.final else '      ',
                 job.elapsed or 0.0, job.bytes_copied, job.files_changed))
    for number, record in enumerate(phases.runs, 1):
        print('  engine run %d%s: %s' % (
            number, ' (final)' if record['final'] else '',
            phases.describe(record)))
    finals = [r for r in phases.runs if r['final']]
    if finals and final.readonly_at:
        print('read-only to the final pass starting: %.3f s (exports '
              'rewritten, job asked for, recorded, claimed)'
              % (finals[-1]['started'] - final.readonly_at))
    seen = (done - writer.readonly_at) if writer.readonly_at else None
    if args.json:
        write_json(args, jobs, phases, seen)
    print('full copy (pass 1): %.3f s' % full.elapsed)
    print('read-only window: %.3f s until the final pass ended '
          '(%.2f%% of the full copy)%s' % (
              final.final_window, 100 * final.final_window / full.elapsed,
              '' if seen is None else
              '; %.3f s until the API showed migration_success' % seen))


def write_json(args, jobs, phases, seen):
    import datetime
    import json
    import platform

    full, final = jobs[0], jobs[-1]
    finals = [r for r in phases.runs if r['final']]
    with open(args.json, 'w') as f:
        json.dump({
            'date': datetime.datetime.now(datetime.timezone.utc).strftime(
                '%Y-%m-%dT%H:%M:%SZ'),
            'machine': '%s, %d cores, %s' % (
                platform.processor() or platform.machine(),
                os.cpu_count(), platform.platform()),
            'load_average_1min': os.getloadavg()[0],
            'command': 'python benchmarks/migration_writable_bench.py '
                       '--scale %s --change-rate %s --wait %s' % (
                           args.scale, args.change_rate, args.wait),
            'passes': [{'pass': j.sync_pass, 'final': bool(j.final),
                        'seconds': round(j.elapsed or 0.0, 3),
                        'bytes_copied': j.bytes_copied,
                        'files_changed': j.files_changed} for j in jobs],
            'final_pass_steps': {k: round(v, 3) for k, v in (
                finals[-1].items() if finals else ())
                if k not in ('started', 'final')},
            'readonly_to_final_pass_start_seconds': round(
                finals[-1]['started'] - final.readonly_at, 3)
            if finals and final.readonly_at else None,
            'full_copy_seconds': round(full.elapsed, 3),
            'readonly_window_seconds': round(final.final_window, 3),
            'readonly_window_until_success_seconds':
                None if seen is None else round(seen, 3),
            'window_percent_of_full_copy': round(
                100 * final.final_window / full.elapsed, 2),
        }, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
