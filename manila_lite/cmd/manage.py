"""manila-lite-manage: database and service administration.

    manila-lite-manage [--config-file F] db sync [--version REV]
    manila-lite-manage [--config-file F] db version
    manila-lite-manage [--config-file F] service list
    manila-lite-manage [--config-file F] service cleanup
"""

import logging as std_logging
import sys

from oslo_config import cfg

from manila_lite.common import config
from manila_lite.common import context
from manila_lite.common import states
from manila_lite.common import utils
from manila_lite.db import api as db
from manila_lite.db import migration


def db_sync(conf):
    migration.upgrade(conf, conf.category.version or 'head')
    print('Database at revision %s' % migration.version(conf))


def db_version(conf):
    print(migration.version(conf) or 'None')


def service_list(conf):
    db.configure(conf)
    rows = db.service_get_all(context.get_admin_context())
    fmt = '%-28s %-18s %-8s %-9s %-6s %s'
    print(fmt % ('Host', 'Binary', 'Zone', 'Status', 'State',
                 'Updated At'))
    for svc in rows:
        print(fmt % (
            svc.host, svc.binary, svc.availability_zone or '',
            (states.SERVICE_STATUS_DISABLED if svc.disabled
             else states.SERVICE_STATUS_ENABLED),
            (states.SERVICE_STATE_UP if utils.service_is_up(
                svc, conf.service_down_time) else states.SERVICE_STATE_DOWN),
            svc.updated_at or ''))


def service_cleanup(conf):
    """Remove the rows of services that are down (decommissioned
    hosts, renamed backends), as upstream's ``service cleanup``."""
    db.configure(conf)
    ctx = context.get_admin_context()
    for svc in db.service_get_all(ctx):
        if not utils.service_is_up(svc, conf.service_down_time):
            print('Removing service %s on %s' % (svc.binary, svc.host))
            db.service_destroy(ctx, svc.id)


def _add_commands(subparsers):
    dbp = subparsers.add_parser('db', help='database schema')
    dbs = dbp.add_subparsers(dest='action')
    sync = dbs.add_parser('sync', help='upgrade the schema')
    sync.add_argument('--version', default=None,
                      help='target revision (default: head)')
    sync.set_defaults(func=db_sync)
    ver = dbs.add_parser('version', help='print the schema revision')
    ver.set_defaults(func=db_version, version=None)
    svc = subparsers.add_parser('service', help='services')
    svcs = svc.add_subparsers(dest='action')
    lst = svcs.add_parser('list', help='list services and their state')
    lst.set_defaults(func=service_list, version=None)
    cln = svcs.add_parser('cleanup', help='remove services that are down')
    cln.set_defaults(func=service_cleanup, version=None)


def main(argv=None):
    conf = cfg.ConfigOpts()
    conf.register_cli_opt(cfg.SubCommandOpt(
        'category', title='Commands', handler=_add_commands))
    config.prepare_service(argv=argv, conf=conf)
    if not conf.debug:
        # Alembic narrates every step at INFO on stdout, where it would
        # bury the one line ``db version`` prints for scripts to read.
        std_logging.getLogger('alembic').setLevel(std_logging.WARNING)
    func = getattr(conf.category, 'func', None)
    if func is None:
        sys.exit('usage: manila-lite-manage {db sync|db version|'
                 'service list|service cleanup}')
    func(conf)
