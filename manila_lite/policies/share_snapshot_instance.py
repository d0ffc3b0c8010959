"""Policies of snapshot instances (share_snapshot_instance:*): admin
only, as upstream."""

from manila_lite.policies import base

NAME = 'share_snapshot_instance:%s'
INSTANCE = '/snapshot-instances/{snapshot_instance_id}'

rules = [
    base.rule(NAME % 'show', base.ADMIN, 'Get share snapshot instance.',
              [('GET', INSTANCE)], base.RULE_ADMIN_API),
    base.rule(NAME % 'index', base.ADMIN,
              'Get all share snapshot instances.',
              [('GET', '/snapshot-instances'),
               ('GET', '/snapshot-instances?snapshot_id={snapshot_id}')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'detail', base.ADMIN,
              'Get details of share snapshot instances.',
              [('GET', '/snapshot-instances/detail'),
               ('GET', '/snapshot-instances/detail?snapshot_id='
                       '{snapshot_id}')],
              base.RULE_ADMIN_API),
    base.rule(NAME % 'reset_status', base.ADMIN,
              'Reset share snapshot instance\'s status.',
              [('POST', INSTANCE + '/action')], base.RULE_ADMIN_API),
]


def list_rules():
    return rules
