"""Policies of share groups (share_group:*), as upstream's defaults;
``reset_status`` and ``force_delete`` are admin actions."""

from manila_lite.policies import base

NAME = 'share_group:%s'
GROUPS = '/share-groups'
GROUP = GROUPS + '/{share_group_id}'
ACTION = GROUP + '/action'
A_OR_M = base.ADMIN_OR_PROJECT_MEMBER
A_OR_R = base.ADMIN_OR_PROJECT_READER

rules = [
    base.rule(NAME % 'create', A_OR_M, 'Create share group.',
              [('POST', GROUPS)], base.RULE_DEFAULT),
    base.rule(NAME % 'get', A_OR_R, 'Get details of a share group.',
              [('GET', GROUP)], base.RULE_DEFAULT),
    base.rule(NAME % 'get_all', A_OR_R, 'Get all share groups.',
              [('GET', GROUPS), ('GET', GROUPS + '/detail')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'update', A_OR_M, 'Update share group.',
              [('PUT', GROUP)], base.RULE_DEFAULT),
    base.rule(NAME % 'delete', A_OR_M, 'Delete share group.',
              [('DELETE', GROUP)], base.RULE_DEFAULT),
    base.rule(NAME % 'force_delete', base.ADMIN,
              'Force delete a share group.', [('POST', ACTION)],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'reset_status', base.ADMIN,
              'Reset share group status.', [('POST', ACTION)],
              base.RULE_ADMIN_API),
]


def list_rules():
    return rules
