"""Options of the ``local`` driver (registered per backend section)."""

from oslo_config import cfg

LOCAL_OPTS = [
    cfg.ListOpt('local_pools', default=[],
                help='Pools of this backend as name:path entries. Empty: '
                     'pool1 and pool2 under '
                     '$state_path/backends/<backend section>/.'),
    cfg.StrOpt('local_export_host', default='127.0.0.1', mutable=True,
               help='Host name or address put in front of share paths in '
                    'export locations. Mutable: ensure shares (or SIGHUP) '
                    'applies a new value to every share.'),
    cfg.StrOpt('local_replication_type', default='readable dr writable',
               help='Replication styles this backend offers, space '
                    'separated, from readable, dr and writable (reported '
                    'as the replication_type capability); none disables '
                    'replication.'),
    cfg.BoolOpt('local_remove_orphans', default=False,
                help='At start-up, remove share and snapshot directories '
                     '(and sidecars) of this backend\'s pools that no '
                     'share or snapshot instance in the database owns '
                     '(left by a delete that failed, e.g. racing a '
                     'copy). Off: they are only logged. Never turn it '
                     'on for pool directories another share service '
                     'also uses.'),
    cfg.BoolOpt('local_driver_assisted_migration', default=True,
                help='Offer driver-assisted migration to local pools of '
                     'this node. False declines it, as a backend of '
                     'another vendor would: migrations from this backend '
                     'are then host-assisted (writable ones included, '
                     'through the data service\'s incremental passes).'),
]
