"""Policies of share instances (share_instance:*,
share_instance_export_location:*): admin only, as upstream."""

from manila_lite.policies import base

NAME = 'share_instance:%s'
INSTANCE = '/share_instances/{share_instance_id}'
ELS = INSTANCE + '/export_locations'

rules = [
    base.rule(NAME % 'index', base.ADMIN, 'Get all share instances.',
              [('GET', '/share_instances'),
               ('GET', '/share_instances?{query}'),
               ('GET', '/shares/{share_id}/instances')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'show', base.ADMIN, 'Get details of a share instance.',
              [('GET', INSTANCE)], base.RULE_ADMIN_API),
    base.rule(NAME % 'force_delete', base.ADMIN,
              'Force delete a share instance.',
              [('POST', INSTANCE + '/action')], base.RULE_ADMIN_API),
    base.rule(NAME % 'reset_status', base.ADMIN,
              'Reset share instance\'s status.',
              [('POST', INSTANCE + '/action')], base.RULE_ADMIN_API),
    base.rule('share_instance_export_location:index', base.ADMIN,
              'Return data about the requested export location.',
              [('GET', ELS)], base.RULE_ADMIN_API),
    base.rule('share_instance_export_location:show', base.ADMIN,
              'Return data about the requested export location.',
              [('GET', ELS + '/{export_location_id}')],
              base.RULE_ADMIN_API),
]


def list_rules():
    return rules
