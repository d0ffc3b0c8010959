"""Policies of share backups (share_backup:*), as upstream's defaults;
``reset_status`` is upstream's admin action on the resource."""

from manila_lite.policies import base

NAME = 'share_backup:%s'
BACKUPS = '/share-backups'
BACKUP = '/share-backups/{backup_id}'
ACTION = BACKUP + '/action'
A_OR_M = base.ADMIN_OR_PROJECT_MEMBER
A_OR_R = base.ADMIN_OR_PROJECT_READER

rules = [
    base.rule(NAME % 'create', A_OR_M, 'Create share backup.',
              [('POST', BACKUPS)], base.RULE_DEFAULT),
    base.rule(NAME % 'get', A_OR_R, 'Get share backup.',
              [('GET', BACKUP)], base.RULE_DEFAULT),
    base.rule(NAME % 'get_all', A_OR_R, 'Get all share backups.',
              [('GET', BACKUPS), ('GET', BACKUPS + '/detail'),
               ('GET', BACKUPS + '/detail?share_id={share_id}')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'restore', A_OR_M, 'Restore a share backup.',
              [('POST', ACTION)], base.RULE_ADMIN_OR_OWNER),
    base.rule(NAME % 'update', A_OR_M, 'Update a share backup.',
              [('PUT', BACKUP)], base.RULE_ADMIN_OR_OWNER),
    base.rule(NAME % 'delete', A_OR_M, 'Delete a share backup.',
              [('DELETE', BACKUP)], base.RULE_ADMIN_OR_OWNER),
    base.rule(NAME % 'reset_status', base.ADMIN,
              'Reset status of a share backup.', [('POST', ACTION)],
              base.RULE_ADMIN_API),
]


def list_rules():
    return rules
