"""Policies of quotas (quota_set:*, quota_class_set:*), as upstream's
defaults. /limits has no policy upstream: any caller reads its own
project's."""

from manila_lite.policies import base

SET = 'quota_set:%s'
CLASS = 'quota_class_set:%s'
QS = '/quota-sets/{tenant_id}'
QCS = '/quota-class-sets/{class_name}'

rules = [
    base.rule(SET % 'update', base.ADMIN,
              'Update the quotas for a project/user and/or share type.',
              [('PUT', QS), ('PUT', QS + '?user_id={user_id}'),
               ('PUT', QS + '?share_type={share_type_id}'),
               ('PUT', '/os-quota-sets/{tenant_id}')],
              base.RULE_ADMIN_API),
    base.rule(SET % 'show', base.ADMIN_OR_PROJECT_READER,
              'List the quotas for a tenant/user.',
              [('GET', QS), ('GET', QS + '/defaults'),
               ('GET', QS + '/detail'),
               ('GET', '/os-quota-sets/{tenant_id}/defaults')],
              base.RULE_DEFAULT),
    base.rule(SET % 'delete', base.ADMIN,
              'Delete quota for a tenant/user or tenant/share-type. The '
              'quota will revert back to default (Admin only).',
              [('DELETE', QS), ('DELETE', QS + '?user_id={user_id}'),
               ('DELETE', QS + '?share_type={share_type_id}'),
               ('DELETE', '/os-quota-sets/{tenant_id}')],
              base.RULE_ADMIN_API),
    base.rule(CLASS % 'update', base.ADMIN, 'Update quota class.',
              [('PUT', QCS), ('PUT', '/os-quota-class-sets/{class_name}')],
              base.RULE_ADMIN_API),
    base.rule(CLASS % 'show', base.ADMIN_OR_PROJECT_READER,
              'Get quota class.',
              [('GET', QCS), ('GET', '/os-quota-class-sets/{class_name}')],
              base.RULE_DEFAULT),
]


def list_rules():
    return rules
