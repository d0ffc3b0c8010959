"""Policies of share type extra specs (share_types_extra_spec:*)."""

from manila_lite.policies import base

NAME = 'share_types_extra_spec:%s'
SPECS = '/types/{share_type_id}/extra_specs'

rules = [
    base.rule(NAME % 'create', base.ADMIN,
              'Create share type extra spec.', [('POST', SPECS)],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'show', base.ADMIN,
              'Get share type extra spec.', [('GET', SPECS + '/{key}')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'index', base.ADMIN,
              'Get share type extra specs.', [('GET', SPECS)],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'update', base.ADMIN,
              'Update share type extra spec.', [('PUT', SPECS + '/{key}')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'delete', base.ADMIN,
              'Delete share type extra spec.',
              [('DELETE', SPECS + '/{key}')], base.RULE_ADMIN_API),
]


def list_rules():
    return rules
