"""Policies of shares and their actions (names as upstream: share:*)."""

from manila_lite.policies import base

NAME = 'share:%s'
SHARE = '/shares/{share_id}'
ACTION = '/shares/{share_id}/action'
A_OR_M = base.ADMIN_OR_PROJECT_MEMBER
A_OR_R = base.ADMIN_OR_PROJECT_READER

rules = [
    base.rule(NAME % 'create', A_OR_M, 'Create share.',
              [('POST', '/shares')], ''),
    base.rule(NAME % 'create_public_share', base.ADMIN,
              'Create shares visible across all projects in the cloud.',
              [('POST', '/shares')], base.RULE_ADMIN_API),
    base.rule(NAME % 'get', A_OR_R, 'Get share.', [('GET', SHARE)],
              base.RULE_DEFAULT),
    base.rule(NAME % 'get_all', A_OR_R, 'List shares.',
              [('GET', '/shares'), ('GET', '/shares/detail')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'update', A_OR_M, 'Update share.', [('PUT', SHARE)],
              base.RULE_DEFAULT),
    base.rule(NAME % 'set_public_share', base.ADMIN,
              'Update shares to be visible across all projects.',
              [('PUT', SHARE)], base.RULE_ADMIN_API),
    base.rule(NAME % 'delete', A_OR_M, 'Delete share.',
              [('DELETE', SHARE)], base.RULE_DEFAULT),
    base.rule(NAME % 'force_delete', base.ADMIN, 'Force delete a share.',
              [('POST', ACTION)], base.RULE_ADMIN_API),
    base.rule(NAME % 'list_by_host', base.ADMIN, 'List shares by host.',
              [('GET', '/shares'), ('GET', '/shares/detail')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'access_get', A_OR_R,
              'Get a share access rule (deny access looks it up).',
              [('POST', ACTION)], base.RULE_DEFAULT),
    base.rule(NAME % 'access_get_all', A_OR_R,
              'List share access rules.', [('POST', ACTION)],
              base.RULE_DEFAULT),
    base.rule(NAME % 'extend', A_OR_M, 'Extend share.', [('POST', ACTION)],
              base.RULE_DEFAULT),
    base.rule(NAME % 'force_extend', base.ADMIN, 'Force extend share.',
              [('POST', ACTION)]),
    base.rule(NAME % 'shrink', A_OR_M, 'Shrink share.', [('POST', ACTION)],
              base.RULE_DEFAULT),
    base.rule(NAME % 'migration_start', base.ADMIN,
              'Migrate a share to the specified host.',
              [('POST', ACTION)], base.RULE_ADMIN_API),
    base.rule(NAME % 'migration_complete', base.ADMIN,
              'Invoke the second phase of share migration.',
              [('POST', ACTION)], base.RULE_ADMIN_API),
    base.rule(NAME % 'migration_cancel', base.ADMIN,
              'Cancel a share migration.', [('POST', ACTION)],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'migration_get_progress', base.ADMIN,
              'Retrieve share migration progress.',
              [('POST', ACTION),
               ('GET', '/shares/{share_id}/migration-progress')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'reset_task_state', base.ADMIN,
              'Reset the task state of a share.', [('POST', ACTION)],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'reset_status', base.ADMIN,
              'Reset the status of a share.', [('POST', ACTION)],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'allow_access', A_OR_M, 'Add a share access rule.',
              [('POST', ACTION)], base.RULE_DEFAULT),
    base.rule(NAME % 'deny_access', A_OR_M, 'Remove a share access rule.',
              [('POST', ACTION)], base.RULE_DEFAULT),
    base.rule(NAME % 'update_share_metadata', A_OR_M,
              'Update share metadata.',
              [('PUT', SHARE + '/metadata'), ('POST', SHARE + '/metadata'),
               ('PUT', SHARE + '/metadata/{key}')], base.RULE_DEFAULT),
    base.rule(NAME % 'delete_share_metadata', A_OR_M,
              'Delete share metadata.',
              [('DELETE', SHARE + '/metadata/{key}')], base.RULE_DEFAULT),
    base.rule(NAME % 'get_share_metadata', A_OR_R, 'Get share metadata.',
              [('GET', SHARE + '/metadata'),
               ('GET', SHARE + '/metadata/{key}')], base.RULE_DEFAULT),
    # Snapshot create/delete/update keep their legacy "share:" names
    # upstream.
    base.rule(NAME % 'create_snapshot', A_OR_M, 'Create share snapshot.',
              [('POST', '/snapshots')], base.RULE_DEFAULT),
    base.rule(NAME % 'delete_snapshot', A_OR_M, 'Delete share snapshot.',
              [('DELETE', '/snapshots/{snapshot_id}')], base.RULE_DEFAULT),
    base.rule(NAME % 'snapshot_update', A_OR_M, 'Update share snapshot.',
              [('PUT', '/snapshots/{snapshot_id}')], base.RULE_DEFAULT),
]


def list_rules():
    return rules
