"""Configuration options, named as upstream Manila names them.

``register_opts(conf)`` registers the global options on a ``ConfigOpts``;
``register_backend_opts(conf, name)`` the options of one share backend
section (``manila_lite.opts.list_opts`` lists them all for
oslo-config-generator).
``prepare_service(argv)`` is what every command calls first.
"""

import importlib
import os
import sys

from oslo_config import cfg
from oslo_db import options as db_options
from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_messaging import opts as messaging_opts

API_OPTS = [
    cfg.HostAddressOpt('osapi_share_listen', default='127.0.0.1',
                       help='IP address on which the share API listens.'),
    cfg.PortOpt('osapi_share_listen_port', default=8786,
                help='Port on which the share API listens.'),
    cfg.IntOpt('osapi_share_workers', default=1, min=1,
               help='Number of API worker processes (separate command '
                    'only; the all-in-one always runs one).'),
    cfg.IntOpt('osapi_share_threads', default=16, min=1,
               help='Threads serving requests in each API process.'),
    cfg.IntOpt('osapi_share_connection_limit', default=1000, min=1,
               help='Connections each API process keeps open at once '
                    '(idle and slow ones included: they use no thread '
                    'until a request has fully arrived). Past it, new '
                    'connections wait in the listen queue.'),
    cfg.StrOpt('auth_strategy', default='noauth',
               choices=['noauth', 'keystone'],
               help='How API requests are authenticated. ``noauth`` takes '
                    '``user:project`` from X-Auth-Token and grants admin '
                    '(an X-Roles header may narrow the roles); '
                    '``keystone`` uses keystonemiddleware auth_token.'),
    cfg.IntOpt('osapi_max_limit', default=1000, min=1,
               help='Largest number of items a list returns at once.'),
    cfg.StrOpt('default_share_type',
               help='Name of the share type used when a request names '
                    'none. Unset: the type named "default" if it exists.'),
    cfg.StrOpt('default_share_group_type',
               help='Name of the share group type GET '
                    '/share-group-types/default answers (unset: 404).'),
    cfg.ListOpt('enabled_share_protocols',
                default=['NFS', 'CIFS'],
                help='Share protocols the API accepts.'),
]

SERVICE_OPTS = [
    cfg.StrOpt('state_path', default=os.path.expanduser('~/.manila-lite'),
               sample_default='~/.manila-lite',
               help='Top-level directory for state: the embedded '
                    'database, local backends\' pools, locks.'),
    cfg.StrOpt('host', default=os.uname().nodename,
               sample_default='<hostname>',
               help='Name of this node, used in service host strings.'),
    cfg.StrOpt('storage_availability_zone', default='nova',
               help='Availability zone of this node, unless a backend '
                    'sets backend_availability_zone.'),
    cfg.IntOpt('service_down_time', default=60, min=1,
               help='Seconds since the last heartbeat after which a '
                    'service is considered down.'),
    cfg.IntOpt('report_interval', default=10, min=1,
               help='Seconds between service heartbeats.'),
    cfg.IntOpt('periodic_interval', default=10, min=1,
               help='Seconds between runs of periodic tasks.'),
    cfg.IntOpt('transition_redrive_after', default=120, min=1,
               help='Seconds a share, replica, snapshot or access rule '
                    'of a backend may stay creating, deleting or '
                    'applying unchanged before its share service does '
                    'the work again from the database (its message was '
                    'lost, or its handler died). Start-up re-drives '
                    'every such row at once.'),
    cfg.FloatOpt('rpc_cast_timeout', default=2.0, min=0.1,
                 help='Seconds a cast keeps trying to hand its message '
                      'to the message bus when the bus refuses it '
                      '(quick attempts, each a single connection try; '
                      'one may wait about 2 s more for a connection the '
                      'driver is reconnecting itself): the API then '
                      'answers 503 instead of waiting for the bus, and '
                      'the periodic re-drive finishes work whose row was '
                      'already written.'),
    cfg.ListOpt('enabled_share_backends', default=[],
                help='Backend section names this share service runs, one '
                     'manager each.'),
    cfg.StrOpt('scheduler_topic', default='manila-scheduler',
               help='RPC topic of the scheduler.'),
    cfg.StrOpt('share_topic', default='manila-share',
               help='RPC topic of share services.'),
    cfg.StrOpt('data_topic', default='manila-data',
               help='RPC topic of the data service.'),
    cfg.IntOpt('rpc_workers', default=16, min=1,
               help='Threads handling RPC messages in each service.'),
    cfg.BoolOpt('update_shares_status_on_ensure', default=True,
                mutable=True,
                help='Set shares to "ensuring" while ensure runs.'),
    cfg.IntOpt('replica_state_update_interval', default=300, min=1,
               help='Seconds between syncs of non-active replicas.'),
    cfg.IntOpt('migration_driver_continue_update_interval', default=60,
               min=1, help='Seconds between driver migration polls.'),
    cfg.BoolOpt('check_hash', default=False, mutable=True,
                help='Verify every copied file with a checksum.'),
    cfg.StrOpt('check_hash_algorithm', default='xxh3_128',
               choices=['xxh3_128', 'sha256', 'blake2b'], mutable=True,
               help='Digest of check_hash verification: xxh3_128 (fast, '
                    'the xxhash package), or sha256 or blake2b where a '
                    'cryptographic digest is wanted. Each copy job '
                    'records the one it used.'),
    cfg.FloatOpt('data_progress_interval', default=0.5, min=0.01,
                 help='Seconds between the progress records of a running '
                      'copy job or backup.'),
    cfg.IntOpt('data_copy_workers', default=8, min=1,
               help='Files the data service copies at once per job.'),
    cfg.ListOpt('migration_ignore_files', default=['lost+found'],
                help='Names skipped at every depth when copying shares.'),
    cfg.IntOpt('backup_continue_update_interval', default=0, min=0,
               mutable=True,
               help='Seconds between the data service\'s polls of a '
                    'running backup, as upstream\'s option of that name '
                    '(default 10 there): a finished copy makes its '
                    'backup available at the next poll counted from the '
                    'job\'s start, so a backup stays creating for at '
                    'least one interval. 0 (the default here): a backup '
                    'is available as soon as its copy ends. Progress is '
                    'recorded live either way.'),
    cfg.StrOpt('backup_driver', default='local',
               help='Backup store of the data service: a plugin of the '
                    'manila_lite.backup.stores namespace ("local": a '
                    'directory tree on the data node).'),
    cfg.StrOpt('backup_local_path', default='$state_path/backups',
               help='Directory of the "local" backup store; one file '
                    'system, so incremental backups can hard-link.'),
    # Writable host-assisted migration (share/migration_sync.py).
    cfg.IntOpt('migration_sync_bytes', default=64 * 1024 * 1024, min=0,
               mutable=True,
               help='Writable host-assisted migration: phase 1 ends once '
                    'a pass copies fewer bytes than this and changes '
                    'fewer files than migration_sync_files (the final '
                    'read-only pass then has about that much to do).'),
    cfg.IntOpt('migration_sync_files', default=1000, min=0, mutable=True,
               help='Writable host-assisted migration: files a pass may '
                    'copy or remove and still end phase 1.'),
    cfg.IntOpt('migration_sync_max_passes', default=10, min=1,
               mutable=True,
               help='Writable host-assisted migration: phase 1 ends after '
                    'this many passes even if the share changes faster '
                    'than they copy.'),
    cfg.IntOpt('migration_sync_interval', default=60, min=1, mutable=True,
               help='Writable host-assisted migration: seconds between '
                    'two incremental passes while the share waits for '
                    'migration_complete, so the final pass stays short.'),
    cfg.StrOpt('scheduler_driver_filters',
               default='AvailabilityZoneFilter,CapacityFilter,'
                       'CapabilitiesFilter,AffinityFilter,'
                       'AntiAffinityFilter,CreateFromSnapshotFilter',
               help='Comma separated scheduler filters, in order.'),
    cfg.BoolOpt('use_scheduler_creating_share_from_snapshot',
                default=False,
                help='Let the scheduler place a share created from a '
                     'snapshot (any pool of the snapshot\'s backend or of '
                     'its replication domain, the snapshot\'s pool '
                     'preferred; another availability zone may be asked '
                     'for). If False, as upstream by default, the share '
                     'goes to the snapshot\'s pool and zone.'),
    cfg.IntOpt('unscheduled_instance_timeout', default=600, min=0,
               mutable=True,
               help='Seconds a share or replica may stay "creating" with '
                    'no host (its scheduling message lost with a '
                    'scheduler or API process that died) before the '
                    'scheduler sets it to "error". The scheduler checks '
                    'only once it has run this long itself, so requests '
                    'queued while it was down are placed first. 0 '
                    'disables the check.'),
    # The recycle bin (soft delete, 2.69), as upstream names it.
    cfg.IntOpt('soft_deleted_share_retention_time', default=604800, min=0,
               mutable=True,
               help='Maximum time (in seconds) to keep a share in the '
                    'recycle bin; it is deleted automatically after this '
                    'amount of time has elapsed.'),
    cfg.IntOpt('check_for_expired_shares_in_recycle_bin_interval',
               default=3600, min=1, mutable=True,
               help='Seconds between two checks, by each share service, '
                    'for shares of its backend whose time in the '
                    'recycle bin is over (they are then deleted).'),
]

BACKEND_OPTS = [
    cfg.StrOpt('share_driver', default='local',
               help='Driver of this backend: a stevedore name in the '
                    'manila_lite.share.drivers namespace.'),
    cfg.StrOpt('share_backend_name',
               help='Backend name reported to the scheduler; defaults to '
                    'the section name.'),
    cfg.BoolOpt('driver_handles_share_servers', default=False,
                help='Whether the driver manages share servers. The local '
                     'driver supports only False.'),
    cfg.StrOpt('backend_availability_zone',
               help='Availability zone of this backend; default '
                    'storage_availability_zone.'),
    cfg.StrOpt('replication_domain',
               help='Backends with the same replication domain may hold '
                    'replicas of each other\'s shares.'),
    cfg.IntOpt('reserved_share_percentage', default=0, min=0, max=100,
               help='Share of capacity kept back from new shares.'),
]

_MESSAGING_GLOBAL_ONLY = [
    ('oslo_messaging._tracing.client', 'oslo_messaging_tracing'),
    ('oslo_messaging._metrics.client', 'oslo_messaging_metrics'),
]

#: ``[coordination]``: locks across share services (common/coordination.py)
COORDINATION_OPTS = [
    cfg.StrOpt('backend_url',
               help='tooz backend for the locks that keep flows of one '
                    'share on one share service at a time (e.g. '
                    'redis://127.0.0.1:6379). Default: file locks in '
                    '<state_path>/coordination, enough for services on '
                    'one machine.'),
]
MESSAGE_OPTS = [
    cfg.IntOpt('message_ttl', default=2592000, min=1,
               help='Seconds a user message is kept: its expires_at is '
                    'its creation time plus this.'),
    cfg.IntOpt('message_reap_interval', default=86400, min=1,
               help='Seconds between two purges of expired user '
                    'messages by the scheduler.'),
]


#: ``[quota]`` defaults, upstream's names (the ``[DEFAULT] quota_*``
#: spellings of older releases still read).
QUOTA_OPTS = [
    cfg.IntOpt(name, default=default, help=text,
               deprecated_opts=[cfg.DeprecatedOpt('quota_' + name,
                                                  group='DEFAULT')])
    for name, default, text in (
        ('shares', 50, 'Number of shares allowed per project.'),
        ('snapshots', 50, 'Number of share snapshots allowed per project.'),
        ('gigabytes', 1000, 'Number of share gigabytes allowed per '
                            'project.'),
        ('per_share_gigabytes', -1, 'Max size allowed per share, in '
                                    'gigabytes.'),
        ('snapshot_gigabytes', 1000, 'Number of snapshot gigabytes '
                                     'allowed per project.'),
        ('share_networks', 10, 'Number of share-networks allowed per '
                               'project.'),
        ('share_replicas', 100, 'Number of share-replicas allowed per '
                                'project.'),
        ('replica_gigabytes', 1000, 'Number of replica gigabytes allowed '
                                    'per project.'),
        ('share_groups', 50, 'Number of share groups allowed.'),
        ('share_group_snapshots', 50, 'Number of share group snapshots '
                                      'allowed.'),
        ('backups', 10, 'Number of share backups allowed per project.'),
        ('backup_gigabytes', 1000, 'Total amount of storage, in '
                                   'gigabytes, allowed for backups per '
                                   'project.'),
        ('encryption_keys', 100, 'Number of encryption keys allowed per '
                                 'project.'),
    )
]

_GLOBAL_GROUPS = [(None, API_OPTS + SERVICE_OPTS + MESSAGE_OPTS),
                  ('coordination', COORDINATION_OPTS),
                  ('quota', QUOTA_OPTS)]


def register_opts(conf):
    for group, opts in _GLOBAL_GROUPS:
        conf.register_opts(opts, group=group)
    # transport_url and control_exchange, so they can be defaulted
    # before oslo.messaging first builds a transport. (Defaults first:
    # list_opts copies the options oslo.messaging registers later.)
    messaging.set_transport_defaults(control_exchange='manila')
    for group, opts in messaging_opts.list_opts():
        if group in (None, 'DEFAULT'):
            conf.register_opts(opts)
    # oslo.messaging 18 reads [oslo_messaging_tracing] and
    # [oslo_messaging_metrics] on every cast but registers them on the
    # global CONF only; private ConfigOpts (tests, tools) need them too.
    if conf is not cfg.CONF:
        for module, attr in _MESSAGING_GLOBAL_ONLY:
            try:
                opts = getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError):
                continue
            conf.register_opts(opts, group=attr)
    db_options.set_defaults(
        conf, connection='sqlite:///$state_path/manila_lite.sqlite')


def register_backend_opts(conf, backend, extra_opts=()):
    """Register backend options (and a driver's ``extra_opts``)."""
    conf.register_opts(BACKEND_OPTS, group=backend)
    if extra_opts:
        conf.register_opts(list(extra_opts), group=backend)
    return conf[backend]


#: Out of the box the all-in-one runs two local backends in two zones,
#: two pools each, so replicas and migration can be tried at once.
EMBEDDED_BACKENDS = {'local1': 'az1', 'local2': 'az2'}


def embedded_defaults(conf):
    """Fill in the all-in-one's backends unless the config names some."""
    if conf.enabled_share_backends:
        return
    conf.set_override('enabled_share_backends', list(EMBEDDED_BACKENDS))
    for name, zone in EMBEDDED_BACKENDS.items():
        register_backend_opts(conf, name)
        conf.set_default('backend_availability_zone', zone, group=name)
        conf.set_default('replication_domain', 'local', group=name)


def prepare_service(argv=None, conf=None, default_config_files=None,
                    pre_parse_hook=None):
    """Parse the command line and config files, set up logging.

    ``pre_parse_hook(conf)`` may set defaults after the options are
    registered and before the files are read (the all-in-one uses it).
    """
    conf = conf or cfg.CONF
    logging.register_options(conf)
    register_opts(conf)
    if pre_parse_hook is not None:
        pre_parse_hook(conf)
    argv = sys.argv[1:] if argv is None else argv
    conf(argv, project='manila-lite', prog=os.path.basename(sys.argv[0]),
         default_config_files=default_config_files)
    logging.set_defaults(default_log_levels=logging.get_default_log_levels()
                         + ['stevedore=INFO', 'amqp=WARN', 'kombu=WARN'])
    logging.setup(conf, 'manila-lite')
    return conf
