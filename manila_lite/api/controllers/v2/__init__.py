"""The whole v2 URL surface in one table.

Each path is also served behind a ``/{project_id}`` prefix (see
``api/routing.py``). A method missing from a row is a 405 with
``Allow``; a path missing from the table a 404; a row or handler
outside the request's version a bare 404. tests/rbac/matrix.yaml has
a row for every route, and api-ref/ a section for every route and
action (unit tests check both).
"""

from manila_lite.api.controllers.v2 import access
from manila_lite.api.controllers.v2 import availability_zones
from manila_lite.api.controllers.v2 import export_locations
from manila_lite.api.controllers.v2 import messages
from manila_lite.api.controllers.v2 import quotas
from manila_lite.api.controllers.v2 import resource_locks
from manila_lite.api.controllers.v2 import scheduler_stats
from manila_lite.api.controllers.v2 import services
from manila_lite.api.controllers.v2 import share_actions
from manila_lite.api.controllers.v2 import share_backups
from manila_lite.api.controllers.v2 import share_group_types
from manila_lite.api.controllers.v2 import share_groups
from manila_lite.api.controllers.v2 import share_instances
from manila_lite.api.controllers.v2 import share_manage
from manila_lite.api.controllers.v2 import share_metadata
from manila_lite.api.controllers.v2 import share_replicas
from manila_lite.api.controllers.v2 import share_type_access
from manila_lite.api.controllers.v2 import share_types
from manila_lite.api.controllers.v2 import shares
from manila_lite.api.controllers.v2 import snapshot_access
from manila_lite.api.controllers.v2 import snapshot_export_locations
from manila_lite.api.controllers.v2 import snapshot_instances
from manila_lite.api.controllers.v2 import snapshots
from manila_lite.api.routing import Route

SHARE = '/shares/{share_id}'
TYPE = '/types/{share_type_id}'
REPLICA = '/share-replicas/{share_replica_id}'
INSTANCE = '/share_instances/{share_instance_id}'
SNAP_INSTANCE = '/snapshot-instances/{snapshot_instance_id}'
BACKUP = '/share-backups/{backup_id}'
SGT = '/share-group-types/{share_group_type_id}'
SG = '/share-groups/{share_group_id}'

ROUTES = [
    # shares
    Route('/shares', {'GET': shares.index, 'POST': shares.create}),
    Route('/shares/detail', {'GET': shares.detail}),
    Route('/shares/manage', {'POST': share_manage.manage_share},
          min_version='2.7'),
    Route('/os-share-manage', {'POST': share_manage.manage_share},
          max_version='2.6'),
    Route('/os-share-unmanage/{share_id}/unmanage',
          {'POST': share_manage.unmanage_share}, max_version='2.6'),
    Route(SHARE, {'GET': shares.show, 'PUT': shares.update,
                  'DELETE': shares.delete}),
    Route(SHARE + '/action', {'POST': share_actions.action}),
    Route(SHARE + '/migration-progress',
          {'GET': share_actions.migration_progress}, min_version='2.98'),
    Route(SHARE + '/metadata', {'GET': share_metadata.SHARE.index,
                                'POST': share_metadata.SHARE.create,
                                'PUT': share_metadata.SHARE.update_all}),
    Route(SHARE + '/metadata/{key}', {'GET': share_metadata.SHARE.show,
                                      'PUT': share_metadata.SHARE.update,
                                      'DELETE': share_metadata.SHARE.delete}),
    Route(SHARE + '/export_locations', {'GET': export_locations.index}),
    Route(SHARE + '/export_locations/{export_location_id}',
          {'GET': export_locations.show}),
    # share types
    Route('/types', {'GET': share_types.index,
                     'POST': share_types.create}),
    Route('/types/default', {'GET': share_types.default}),
    Route(TYPE, {'GET': share_types.show, 'PUT': share_types.update,
                 'DELETE': share_types.delete}),
    Route(TYPE + '/action', {'POST': share_type_access.action}),
    Route(TYPE + '/os-share-type-access',
          {'GET': share_type_access.index}, max_version='2.6'),
    Route(TYPE + '/share_type_access', {'GET': share_type_access.index},
          min_version='2.7'),
    Route(TYPE + '/extra_specs', {'GET': share_types.extra_specs_index,
                                  'POST': share_types.extra_specs_create}),
    Route(TYPE + '/extra_specs/{key}',
          {'GET': share_types.extra_spec_show,
           'PUT': share_types.extra_spec_update,
           'DELETE': share_types.extra_spec_delete}),
    # snapshots
    Route('/snapshots', {'GET': snapshots.index,
                         'POST': snapshots.create}),
    Route('/snapshots/detail', {'GET': snapshots.detail}),
    Route('/snapshots/{snapshot_id}', {'GET': snapshots.show,
                                       'PUT': snapshots.update,
                                       'DELETE': snapshots.delete}),
    Route('/snapshots/{snapshot_id}/metadata',
          {'GET': share_metadata.SNAPSHOT.index,
           'POST': share_metadata.SNAPSHOT.create,
           'PUT': share_metadata.SNAPSHOT.update_all}, min_version='2.73'),
    Route('/snapshots/{snapshot_id}/metadata/{key}',
          {'GET': share_metadata.SNAPSHOT.show,
           'DELETE': share_metadata.SNAPSHOT.delete},
          min_version='2.73'),
    # access rules (allow/deny/list before 2.45 are share actions)
    Route('/share-access-rules', {'GET': access.index}),
    Route('/share-access-rules/{access_id}', {'GET': access.show,
                                              'PUT': access.update}),
    Route('/share-access-rules/{access_id}/metadata',
          {'PUT': access.metadata_update}, min_version='2.45'),
    Route('/share-access-rules/{access_id}/metadata/{key}',
          {'DELETE': access.metadata_delete}, min_version='2.45'),
    # availability zones and services: os- URLs until 2.6
    Route('/os-availability-zone', {'GET': availability_zones.index},
          max_version='2.6'),
    Route('/availability-zones', {'GET': availability_zones.index},
          min_version='2.7'),
    Route('/os-services', {'GET': services.index}, max_version='2.6'),
    Route('/os-services/enable', {'PUT': services.enable},
          max_version='2.6'),
    Route('/os-services/disable', {'PUT': services.disable},
          max_version='2.6'),
    Route('/services', {'GET': services.index}, min_version='2.7'),
    Route('/services/enable', {'PUT': services.enable}, min_version='2.7'),
    Route('/services/disable', {'PUT': services.disable},
          min_version='2.7'),
    Route('/services/ensure-shares', {'POST': services.ensure_shares}),
    # share replicas (experimental 2.11-2.55, GA from 2.56)
    Route('/share-replicas', {'GET': share_replicas.index,
                              'POST': share_replicas.create}),
    Route('/share-replicas/detail', {'GET': share_replicas.detail}),
    Route(REPLICA, {'GET': share_replicas.show,
                    'DELETE': share_replicas.delete}),
    Route(REPLICA + '/action', {'POST': share_replicas.action}),
    Route(REPLICA + '/export-locations',
          {'GET': share_replicas.export_locations}),
    Route(REPLICA + '/export-locations/{export_location_id}',
          {'GET': share_replicas.export_location}),
    Route(REPLICA + '/metadata', {'GET': share_metadata.REPLICA.index,
                                  'POST': share_metadata.REPLICA.create,
                                  'PUT': share_metadata.REPLICA.update_all},
          min_version='2.95'),
    Route(REPLICA + '/metadata/{key}',
          {'GET': share_metadata.REPLICA.show,
           'PUT': share_metadata.REPLICA.update,
           'DELETE': share_metadata.REPLICA.delete},
          min_version='2.95'),
    Route('/messages', {'GET': messages.index}, min_version='2.37'),
    Route('/messages/{message_id}', {'GET': messages.show,
                                     'DELETE': messages.delete},
          min_version='2.37'),
    # resource locks (2.81+)
    Route('/resource-locks', {'GET': resource_locks.index,
                              'POST': resource_locks.create},
          min_version='2.81'),
    Route('/resource-locks/{lock_id}', {'GET': resource_locks.show,
                                        'PUT': resource_locks.update,
                                        'DELETE': resource_locks.delete},
          min_version='2.81'),
    # scheduler pools (admin)
    Route('/scheduler-stats/pools', {'GET': scheduler_stats.index}),
    Route('/scheduler-stats/pools/detail', {'GET': scheduler_stats.detail}),
    # share instances (admin, 2.3+)
    Route('/share_instances', {'GET': share_instances.index}),
    Route(INSTANCE, {'GET': share_instances.show}),
    Route(INSTANCE + '/action', {'POST': share_instances.action}),
    Route(INSTANCE + '/export_locations',
          {'GET': share_instances.export_locations}),
    Route(INSTANCE + '/export_locations/{export_location_id}',
          {'GET': share_instances.export_location}),
    Route(SHARE + '/instances', {'GET': share_instances.of_share}),
    # snapshot instances (admin, 2.19+) and snapshot admin actions
    Route('/snapshot-instances', {'GET': snapshot_instances.index}),
    Route('/snapshot-instances/detail', {'GET': snapshot_instances.detail}),
    Route(SNAP_INSTANCE, {'GET': snapshot_instances.show}),
    Route(SNAP_INSTANCE + '/action', {'POST': snapshot_instances.action}),
    Route('/snapshots/{snapshot_id}/action',
          {'POST': snapshot_instances.snapshot_action}),
    # mountable snapshots (2.32+): access rules and export locations
    Route('/snapshots/{snapshot_id}/access-list',
          {'GET': snapshot_access.access_list}),
    Route('/snapshots/{snapshot_id}/export-locations',
          {'GET': snapshot_export_locations.index}),
    Route('/snapshots/{snapshot_id}/export-locations/{export_location_id}',
          {'GET': snapshot_export_locations.show}),
    Route(SNAP_INSTANCE + '/export-locations',
          {'GET': snapshot_export_locations.instance_index}),
    Route(SNAP_INSTANCE + '/export-locations/{export_location_id}',
          {'GET': snapshot_export_locations.instance_show}),
    # quotas and limits
    Route('/quota-sets/{tenant_id}', {'GET': quotas.show,
                                      'PUT': quotas.update,
                                      'DELETE': quotas.delete},
          min_version='2.7'),
    Route('/quota-sets/{tenant_id}/defaults', {'GET': quotas.defaults},
          min_version='2.7'),
    Route('/quota-sets/{tenant_id}/detail', {'GET': quotas.detail},
          min_version='2.7'),
    Route('/os-quota-sets/{tenant_id}', {'GET': quotas.show,
                                         'PUT': quotas.update,
                                         'DELETE': quotas.delete},
          max_version='2.6'),
    Route('/os-quota-sets/{tenant_id}/defaults', {'GET': quotas.defaults},
          max_version='2.6'),
    Route('/quota-class-sets/{class_name}', {'GET': quotas.class_show,
                                             'PUT': quotas.class_update},
          min_version='2.7'),
    Route('/os-quota-class-sets/{class_name}',
          {'GET': quotas.class_show, 'PUT': quotas.class_update},
          max_version='2.6'),
    Route('/limits', {'GET': quotas.limits}),
    # share backups (2.80+, experimental as upstream)
    Route('/share-backups', {'GET': share_backups.index,
                             'POST': share_backups.create},
          min_version='2.80'),
    Route('/share-backups/detail', {'GET': share_backups.detail},
          min_version='2.80'),
    Route(BACKUP, {'GET': share_backups.show, 'PUT': share_backups.update,
                   'DELETE': share_backups.delete}, min_version='2.80'),
    Route(BACKUP + '/action', {'POST': share_backups.action},
          min_version='2.80'),
    # share group types (2.31+)
    Route('/share-group-types', {'GET': share_group_types.index,
                                 'POST': share_group_types.create},
          min_version='2.31'),
    Route('/share-group-types/default', {'GET': share_group_types.default},
          min_version='2.31'),
    Route(SGT, {'GET': share_group_types.show,
                'DELETE': share_group_types.delete}, min_version='2.31'),
    Route(SGT + '/action', {'POST': share_group_types.action},
          min_version='2.31'),
    Route(SGT + '/access', {'GET': share_group_types.access_index},
          min_version='2.31'),
    Route(SGT + '/group-specs', {'GET': share_group_types.specs_index,
                                 'POST': share_group_types.specs_create},
          min_version='2.31'),
    Route(SGT + '/group-specs/{key}',
          {'GET': share_group_types.spec_show,
           'PUT': share_group_types.spec_update,
           'DELETE': share_group_types.spec_delete}, min_version='2.31'),
    # share groups (2.31+, experimental until 2.55; no group snapshots)
    Route('/share-groups', {'GET': share_groups.index,
                            'POST': share_groups.create},
          min_version='2.31'),
    Route('/share-groups/detail', {'GET': share_groups.detail},
          min_version='2.31'),
    Route(SG, {'GET': share_groups.show, 'PUT': share_groups.update,
               'DELETE': share_groups.delete}, min_version='2.31'),
    Route(SG + '/action', {'POST': share_groups.action},
          min_version='2.31'),
]
