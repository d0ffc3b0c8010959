"""Policies of share group types (share_group_type:*) and their group
specs (share_group_types_spec:*)."""

from manila_lite.policies import base

NAME = 'share_group_type:%s'
SPEC = 'share_group_types_spec:%s'
TYPES = '/share-group-types'
TYPE = TYPES + '/{share_group_type_id}'
SPECS = TYPE + '/group-specs'

rules = [
    base.rule(NAME % 'create', base.ADMIN, 'Create a new share group type.',
              [('POST', TYPES)], base.RULE_ADMIN_API),
    base.rule(NAME % 'index', base.ADMIN_OR_PROJECT_READER,
              'Get the list of share group types.', [('GET', TYPES)],
              base.RULE_DEFAULT),
    base.rule(NAME % 'show', base.ADMIN_OR_PROJECT_READER,
              'Get details regarding the specified share group type.',
              [('GET', TYPE)], base.RULE_DEFAULT),
    base.rule(NAME % 'default', base.ADMIN_OR_PROJECT_READER,
              'Get the default share group type.',
              [('GET', TYPES + '/default')], base.RULE_DEFAULT),
    base.rule(NAME % 'delete', base.ADMIN, 'Delete an existing group type.',
              [('DELETE', TYPE)], base.RULE_ADMIN_API),
    base.rule(NAME % 'list_project_access', base.ADMIN,
              'Get project access by share group type.',
              [('GET', TYPE + '/access')], base.RULE_ADMIN_API),
    base.rule(NAME % 'add_project_access', base.ADMIN,
              'Allow project to use the share group type.',
              [('POST', TYPE + '/action')], base.RULE_ADMIN_API),
    base.rule(NAME % 'remove_project_access', base.ADMIN,
              'Deny project access to use the share group type.',
              [('POST', TYPE + '/action')], base.RULE_ADMIN_API),
    base.rule(SPEC % 'create', base.ADMIN,
              'Create share group type specs.', [('POST', SPECS)],
              base.RULE_ADMIN_API),
    base.rule(SPEC % 'index', base.ADMIN,
              'Get share group type specs.', [('GET', SPECS)],
              base.RULE_ADMIN_API),
    base.rule(SPEC % 'show', base.ADMIN,
              'Get details of a share group type spec.',
              [('GET', SPECS + '/{key}')], base.RULE_ADMIN_API),
    base.rule(SPEC % 'update', base.ADMIN,
              'Update a share group type spec.',
              [('PUT', SPECS + '/{key}')], base.RULE_ADMIN_API),
    base.rule(SPEC % 'delete', base.ADMIN,
              'Delete a share group type spec.',
              [('DELETE', SPECS + '/{key}')], base.RULE_ADMIN_API),
]


def list_rules():
    return rules
