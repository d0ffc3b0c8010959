"""RPC round trips while the share services are busy.

    python benchmarks/rpc_bench.py [--migrations 5] [--replicas 20]
                                   [--pings 300] [--mib 64]

Starts the multi-process deployment of the functional tests (RabbitMQ,
a throwaway MariaDB database, two share services, a data service) with
oslo.messaging's ``rpc_ping_enabled``, and times ``oslo_rpc_server_ping``
calls to each share service and the data service: first idle, then
while ``--migrations`` host-assisted migrations copy (``--mib`` MiB
each, from local1 to local2) and ``--replicas`` readable replicas are
kept out of sync by a writer and re-synced every second. A manager that
blocked on a copy or a sync would show it here as a p99 in seconds.
Prints p50/p99 in milliseconds, idle and loaded, the loaded/idle
ratio, and how much of the work was running (so the figures are known
to come from a busy system): pings go on until the last copy ends.
"""

import argparse
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from manila_lite.common import context  # noqa: E402
from manila_lite.common import rpc  # noqa: E402
from tests.functional import deployment as dep  # noqa: E402
from tests.functional import infra  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def targets(conf, d):
    return {'share local1': rpc.get_client(conf, conf.share_topic, '1.0',
                                           server=d.host + '@local1'),
            'share local2': rpc.get_client(conf, conf.share_topic, '1.0',
                                           server=d.host + '@local2'),
            'data': rpc.get_client(conf, conf.data_topic, '1.0',
                                   server=d.host)}


def ping_round(clients, times):
    """One ping to each target, appended to ``times[target]``."""
    ctx = context.get_admin_context()
    for name, client in clients.items():
        began = time.perf_counter()
        client.prepare(timeout=30).call(ctx, 'oslo_rpc_server_ping')
        times.setdefault(name, []).append(
            (time.perf_counter() - began) * 1000)


def admin_path(d, share_id):
    _, body = d.request('GET', '/v2/shares/%s/export_locations' % share_id)
    return [el['path'] for el in body['export_locations']
            if el['is_admin_only']][0]


def make_type(d, name, specs):
    specs = dict(specs, driver_handles_share_servers='false')
    status, body = d.request('POST', '/v2/types', {'share_type': {
        'name': name, 'extra_specs': specs}})
    assert status == 200, body
    return body['share_type']['id']


def make_shares(d, count, type_id):
    ids = []
    for _ in range(count):
        status, body = d.request('POST', '/v2/shares', {'share': {
            'share_proto': 'NFS', 'size': 1, 'share_type': type_id,
            'availability_zone': 'az1'}})
        assert status == 200, body
        ids.append(body['share']['id'])
    for share_id in ids:
        d.wait_for('/v2/shares/' + share_id, 'share', 'status', 'available')
    return ids


def fill(path, mib):
    block = os.urandom(1024 * 1024)
    for i in range(mib):
        with open(os.path.join(path, 'f%04d' % i), 'wb') as f:
            f.write(block)


def replica_states(d, share_ids):
    states = []
    for share_id in share_ids:
        _, body = d.request('GET', '/v2/share-replicas/detail?share_id='
                            + share_id)
        states += [r['replica_state'] for r in body['share_replicas']
                   if r['replica_state'] != 'active']
    return states


def run(args):
    work = tempfile.mkdtemp(prefix='rpc-bench-')
    db = infra.TempDatabase('mysql')
    d = dep.Deployment(work, db.create())
    d.extra_conf = ['[DEFAULT]', 'rpc_ping_enabled = true']
    stop = threading.Event()
    try:
        d.start_all()
        conf = d.client_conf()
        clients = targets(conf, d)
        idle, loaded = {}, {}
        for _ in range(args.pings):
            ping_round(clients, idle)

        repl = make_type(d, 'repl', {'replication_type': 'readable'})
        plain = make_type(d, 'plain', {})
        replicated = make_shares(d, args.replicas, repl)
        actives = [admin_path(d, s) for s in replicated]
        for path in actives:
            fill(path, 1)
        for share_id in replicated:
            status, body = d.request('POST', '/v2/share-replicas', {
                'share_replica': {'share_id': share_id,
                                  'availability_zone': 'az2'}})
            assert status == 202, body
        deadline = time.monotonic() + 300
        while replica_states(d, replicated).count('in_sync') < len(
                replicated):
            assert time.monotonic() < deadline, 'replicas never in sync'
            time.sleep(1)
        moving = make_shares(d, args.migrations, plain)
        for share_id in moving:
            fill(admin_path(d, share_id), args.mib)

        def writer():
            # Every active replica changes all the time: every periodic
            # pass finds all of them out of sync and copies.
            n = 0
            while not stop.is_set():
                for path in actives:
                    with open(os.path.join(path, 'w%d' % (n % 50)),
                              'wb') as f:
                        f.write(os.urandom(65536))
                n += 1
                stop.wait(0.1)

        threading.Thread(target=writer, daemon=True).start()
        for share_id in moving:
            status, body = d.request(
                'POST', '/v2/shares/%s/action' % share_id,
                {'migration_start': {
                    'host': d.host + '@local2#pool1', 'writable': False,
                    'preserve_metadata': False, 'nondisruptive': False,
                    'preserve_snapshots': False,
                    'force_host_assisted_migration': True}})
            assert status == 202, body

        def copying():
            return sum(d.request('GET', '/v2/shares/' + s)[1]['share'][
                'task_state'] != 'data_copying_completed' for s in moving)

        # Ping for as long as any migration copies (and at least
        # --pings rounds); note how busy it still was at the end.
        rounds = 0
        still = at_start = copying()
        while rounds < args.pings or still:
            ping_round(clients, loaded)
            rounds += 1
            if rounds % 20 == 0:
                still = copying()
        out_of_sync = replica_states(d, replicated).count('out_of_sync')
        d.logs.clear()      # no service logs on the way out
    finally:
        stop.set()
        d.stop_all()
        db.drop()

    print('RPC round trip (oslo_rpc_server_ping) in milliseconds: %d '
          'calls per target idle, %d busy' % (args.pings, rounds))
    print('%-14s %9s %9s %9s %9s %8s' % ('target', 'idle p50', 'idle p99',
                                         'busy p50', 'busy p99',
                                         'p99 x'))
    for name in idle:
        i50, i99 = percentile(idle[name], .5), percentile(idle[name], .99)
        b50, b99 = (percentile(loaded[name], .5),
                    percentile(loaded[name], .99))
        print('%-14s %9.2f %9.2f %9.2f %9.2f %8.2f'
              % (name, i50, i99, b50, b99, b99 / i99))
    print('busy: %d of %d migrations (%d MiB each) copying when the pings '
          'began, %d of %d replicas out of sync when they ended'
          % (at_start, len(moving), args.mib, out_of_sync,
             len(replicated)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--migrations', type=int, default=5)
    parser.add_argument('--replicas', type=int, default=20)
    parser.add_argument('--pings', type=int, default=300)
    parser.add_argument('--mib', type=int, default=64,
                        help='MiB of data in each migrating share')
    run(parser.parse_args())


if __name__ == '__main__':
    main()
