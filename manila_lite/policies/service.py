"""Policies of services (service:*): admin only."""

from manila_lite.policies import base

NAME = 'service:%s'

rules = [
    base.rule(NAME % 'index', base.ADMIN,
              'Return a list of all running services.',
              [('GET', '/os-services'), ('GET', '/services')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'update', base.ADMIN, 'Enable/Disable scheduling '
              'for a service.',
              [('PUT', '/services/enable'), ('PUT', '/services/disable')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'ensure_shares', base.ADMIN,
              'Run ensure shares for a share service host.',
              [('POST', '/services/ensure-shares')], base.RULE_ADMIN_API),
]


def list_rules():
    return rules
