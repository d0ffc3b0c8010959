"""Policies of the scheduler's pool list (scheduler_stats:pools:*):
admin only, as upstream."""

from manila_lite.policies import base

NAME = 'scheduler_stats:pools:%s'

rules = [
    base.rule(NAME % 'index', base.ADMIN,
              'Get information regarding backends (and storage pools) '
              'known to the scheduler.',
              [('GET', '/scheduler-stats/pools?{query}')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'detail', base.ADMIN,
              'Get detailed information regarding backends (and storage '
              'pools) known to the scheduler.',
              [('GET', '/scheduler-stats/pools/detail?{query}')],
              base.RULE_ADMIN_API),
]


def list_rules():
    return rules
