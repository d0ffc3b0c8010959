"""Share list cost against the number of shares in the database.

    python benchmarks/list_bench.py [--sizes 1000,100000] [--repeat 50]

For each size N: a fresh SQLite database holding N shares (each with an
instance, two export locations and a metadata item, rows written in
bulk), and the real WSGI app called in process (no socket: the figure
is the server's own cost). Times ``GET /v2/shares/detail?limit=100``,
the first and the last page (``offset``), and a show, as the median of
``--repeat`` calls, and counts the SQL statements each issues. Prints
milliseconds and statements per size, and the ratio of the largest size
to the smallest (1.0: the cost does not grow with the table).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from oslo_config import cfg  # noqa: E402
import webob  # noqa: E402

from manila_lite.api import app as app_mod  # noqa: E402
from manila_lite.common import config  # noqa: E402
from manila_lite.common import context  # noqa: E402
from manila_lite.common import states  # noqa: E402
from manila_lite.db import api as db  # noqa: E402
from manila_lite.db import models  # noqa: E402
from tests import statement_count  # noqa: E402

HEADERS = {'X-Auth-Token': 'admin:admin',
           'X-OpenStack-Manila-API-Version': '2.80'}
BATCH = 20000


def build(work, count):
    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    conf([], project='manila-lite', default_config_files=[])
    conf.set_override('state_path', work)
    conf.set_override('transport_url', 'fake:/')
    db.configure(conf, 'sqlite:///%s/bench.sqlite' % work)
    db.create_all()
    ctx = context.get_admin_context()
    stype = db.share_type_create(ctx, {'name': 'default'}, {
        'driver_handles_share_servers': 'False'})
    first = None
    for start in range(0, count, BATCH):
        shares, instances, exports, metadata = [], [], [], []
        for _ in range(min(BATCH, count - start)):
            sid, iid = str(uuid.uuid4()), str(uuid.uuid4())
            first = first or sid
            shares.append(dict(id=sid, project_id='admin', size=1,
                               share_proto='NFS', share_type_id=stype.id,
                               name='s-' + sid[:8]))
            instances.append(dict(
                id=iid, share_id=sid, status=states.STATUS_AVAILABLE,
                host='bench@local1#pool1', share_type_id=stype.id,
                availability_zone='az1'))
            exports += [dict(uuid=str(uuid.uuid4()), share_instance_id=iid,
                             path='10.0.0.1:/s/' + iid, preferred=True),
                        dict(uuid=str(uuid.uuid4()), share_instance_id=iid,
                             path='/s/' + iid, is_admin_only=True)]
            metadata.append(dict(share_id=sid, key='k', value='v'))
        with db.writer(ctx) as session:
            session.bulk_insert_mappings(models.Share, shares)
            session.bulk_insert_mappings(models.ShareInstance, instances)
            session.bulk_insert_mappings(models.ExportLocation, exports)
            session.bulk_insert_mappings(models.ShareMetadata, metadata)
    return app_mod.build_app(conf), first


def measure(app, path, repeat):
    """(median ms, statements) of ``GET path``."""
    times = []
    for _ in range(repeat):
        req = webob.Request.blank(path, headers=HEADERS)
        began = time.perf_counter()
        resp = req.get_response(app)
        times.append((time.perf_counter() - began) * 1000)
        assert resp.status_int == 200, resp.body[:300]
    with statement_count.counting() as seen:
        webob.Request.blank(path, headers=HEADERS).get_response(app)
    return statistics.median(times), len(seen)


def run(sizes, repeat):
    results = {}
    for count in sizes:
        work = tempfile.mkdtemp(prefix='list-bench-')
        try:
            began = time.perf_counter()
            app, share_id = build(work, count)
            seeded = time.perf_counter() - began
            paths = {
                'list detail limit=100': '/v2/shares/detail?limit=100',
                'list detail last page':
                    '/v2/shares/detail?limit=100&offset=%d' % (count - 100),
                'share show': '/v2/shares/' + share_id,
            }
            results[count] = {name: measure(app, path, repeat)
                              for name, path in paths.items()}
            print('%d shares seeded in %.1f s' % (count, seeded),
                  file=sys.stderr)
            db.dispose()
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sizes', default='1000,100000')
    parser.add_argument('--repeat', type=int, default=50)
    parser.add_argument('--json', help='also write the figures here')
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(',')]
    results = run(sizes, args.repeat)
    names = list(results[sizes[0]])
    print('%-24s %9s %10s %11s' % ('request', 'shares', 'median ms',
                                   'statements'))
    for name in names:
        for count in sizes:
            ms, statements = results[count][name]
            print('%-24s %9d %10.2f %11d' % (name, count, ms, statements))
        print('%-24s %9s %10.2f' % ('', 'ratio', results[sizes[-1]][name][0]
                                    / results[sizes[0]][name][0]))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({str(k): v for k, v in results.items()}, f, indent=1)


if __name__ == '__main__':
    main()
