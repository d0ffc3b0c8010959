"""Ensure shares at scale on the local backend.

    python benchmarks/ensure_bench.py [--sizes 1000,10000]

For each size N: a fresh SQLite database and a local backend with N
shares (real directories and sidecars, rows written in bulk), then one
timed ensure of the whole backend with a changed ``local_export_host``
(export locations rewritten, access re-applied, statuses flipped to
``ensuring`` and back). Prints seconds, time per share and the ratio
of per-share times between the largest and smallest size (1.0 means
the cost grows linearly).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import types
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from oslo_config import cfg  # noqa: E402

from manila_lite.common import config  # noqa: E402
from manila_lite.common import context  # noqa: E402
from manila_lite.common import states  # noqa: E402
from manila_lite.db import api as db  # noqa: E402
from manila_lite.db import models  # noqa: E402
from manila_lite.share import ensure  # noqa: E402
from manila_lite.share.drivers import local  # noqa: E402


def build(work, count):
    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    conf([], project='manila-lite', default_config_files=[])
    conf.set_override('state_path', work)
    config.register_backend_opts(conf, 'local1', local.LOCAL_OPTS)
    db.configure(conf, 'sqlite:///%s/bench.sqlite' % work)
    db.create_all()
    driver = local.LocalShareDriver(conf, 'local1')
    driver.do_setup(None)
    ctx = context.get_admin_context()
    stype = db.share_type_create(ctx, {'name': 'default'}, {
        'driver_handles_share_servers': 'False'})
    host = 'bench@local1'
    shares, instances = [], []
    for _ in range(count):
        sid, iid = str(uuid.uuid4()), str(uuid.uuid4())
        shares.append(dict(id=sid, project_id='p', size=1,
                           share_proto='NFS', share_type_id=stype.id))
        instances.append(dict(id=iid, share_id=sid,
                              status=states.STATUS_AVAILABLE,
                              host=host + '#pool1', share_type_id=stype.id))
    with db.writer(ctx) as session:
        session.bulk_insert_mappings(models.Share, shares)
        session.bulk_insert_mappings(models.ShareInstance, instances)
    for inst in instances:
        driver.create_share(None, types.SimpleNamespace(
            id=inst['id'], host=inst['host'],
            share=types.SimpleNamespace(size=1)), 'pool1')
    return conf, ctx, driver, host


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--sizes', default='1000,10000')
    parser.add_argument('--json', help='also write the figures here '
                        '(benchmarks/plot.py reads them)')
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(',')]
    per_share = {}
    print('%8s %10s %14s' % ('shares', 'seconds', 'ms per share'))
    for count in sizes:
        work = tempfile.mkdtemp(prefix='ensure-bench-')
        try:
            conf, ctx, driver, host = build(work, count)
            conf.set_override('local_export_host', '192.0.2.99',
                              group='local1')
            started = time.perf_counter()
            result = ensure.ensure_shares(ctx, host=host, driver=driver)
            elapsed = time.perf_counter() - started
            assert result.ensured == count, result
            sample = db.share_instance_get_all_by_host(ctx, host)[0]
            assert sample.export_locations[0].path.startswith('192.0.2.99')
            per_share[count] = elapsed / count
            print('%8d %10.2f %14.3f' % (count, elapsed,
                                         1000 * elapsed / count))
            db.dispose()
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({str(n): per_share[n] * n for n in sizes}, f,
                      indent=1)
    if len(sizes) > 1:
        ratio = per_share[sizes[-1]] / per_share[sizes[0]]
        print('per-share cost ratio %d vs %d: %.2f (1.0 = linear)'
              % (sizes[-1], sizes[0], ratio))


if __name__ == '__main__':
    main()
