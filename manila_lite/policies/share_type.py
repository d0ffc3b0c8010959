"""Policies of share types (share_type:*)."""

from manila_lite.policies import base

NAME = 'share_type:%s'
TYPE = '/types/{share_type_id}'

rules = [
    base.rule(NAME % 'create', base.ADMIN, 'Create share type.',
              [('POST', '/types')], base.RULE_ADMIN_API),
    base.rule(NAME % 'update', base.ADMIN,
              'Update share type name, description and visibility.',
              [('PUT', TYPE)], base.RULE_ADMIN_API),
    base.rule(NAME % 'show', base.ADMIN_OR_PROJECT_READER,
              'Get share type.', [('GET', TYPE)], base.RULE_DEFAULT),
    base.rule(NAME % 'index', base.ADMIN_OR_PROJECT_READER,
              'List share types.', [('GET', '/types')], base.RULE_DEFAULT),
    base.rule(NAME % 'default', base.ADMIN_OR_PROJECT_READER,
              'Get the default share type.', [('GET', '/types/default')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'delete', base.ADMIN, 'Delete share type.',
              [('DELETE', TYPE)], base.RULE_ADMIN_API),
    base.rule(NAME % 'list_project_access', base.ADMIN,
              'List the projects a private share type is shared with.',
              [('GET', TYPE + '/share_type_access'),
               ('GET', TYPE + '/os-share-type-access')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'add_project_access', base.ADMIN,
              'Share a private share type with a project.',
              [('POST', TYPE + '/action')], base.RULE_ADMIN_API),
    base.rule(NAME % 'remove_project_access', base.ADMIN,
              'Stop sharing a private share type with a project.',
              [('POST', TYPE + '/action')], base.RULE_ADMIN_API),
]


def list_rules():
    return rules
