"""Policies of share replicas (share_replica:*,
share_replica_export_location:*), as upstream's defaults."""

from manila_lite.policies import base

NAME = 'share_replica:%s'
REPLICAS = '/share-replicas'
REPLICA = '/share-replicas/{share_replica_id}'
ACTION = REPLICA + '/action'
ELS = REPLICA + '/export-locations'
META = REPLICA + '/metadata'
A_OR_M = base.ADMIN_OR_PROJECT_MEMBER
A_OR_R = base.ADMIN_OR_PROJECT_READER

rules = [
    base.rule(NAME % 'create', A_OR_M, 'Create share replica.',
              [('POST', REPLICAS)], base.RULE_DEFAULT),
    base.rule(NAME % 'get_all', A_OR_R, 'Get all share replicas.',
              [('GET', REPLICAS), ('GET', REPLICAS + '/detail'),
               ('GET', REPLICAS + '/detail?share_id={share_id}')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'show', A_OR_R, 'Get details of a share replica.',
              [('GET', REPLICA)], base.RULE_DEFAULT),
    base.rule(NAME % 'delete', A_OR_M, 'Delete a share replica.',
              [('DELETE', REPLICA)], base.RULE_DEFAULT),
    base.rule(NAME % 'force_delete', base.ADMIN,
              'Force delete a share replica.', [('POST', ACTION)],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'promote', A_OR_M, 'Promote a non-active share '
              'replica to active.', [('POST', ACTION)], base.RULE_DEFAULT),
    base.rule(NAME % 'resync', base.ADMIN, 'Resync a share replica that '
              'is out of sync.', [('POST', ACTION)], base.RULE_ADMIN_API),
    base.rule(NAME % 'reset_replica_state', base.ADMIN,
              'Reset share replica\'s replica_state attribute.',
              [('POST', ACTION)], base.RULE_ADMIN_API),
    base.rule(NAME % 'reset_status', base.ADMIN,
              'Reset share replica\'s status.', [('POST', ACTION)],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'get_metadata', A_OR_M, 'Get share replica metadata.',
              [('GET', META), ('GET', META + '/{key}')], base.RULE_DEFAULT),
    base.rule(NAME % 'update_metadata', A_OR_M,
              'Set or update share replica metadata.',
              [('POST', META), ('PUT', META), ('PUT', META + '/{key}')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'delete_metadata', A_OR_M,
              'Delete share replica metadata.',
              [('DELETE', META + '/{key}')], base.RULE_DEFAULT),
    base.rule('share_replica_export_location:index', A_OR_R,
              'Get all export locations of a given share replica.',
              [('GET', ELS)], base.RULE_DEFAULT),
    base.rule('share_replica_export_location:show', A_OR_R,
              'Get details about the requested share replica export '
              'location.', [('GET', ELS + '/{export_location_id}')],
              base.RULE_DEFAULT),
]


def list_rules():
    return rules
