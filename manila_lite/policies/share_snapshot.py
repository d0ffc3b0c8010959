"""Policies of share snapshots (share_snapshot:*).

Create, delete and update keep upstream's legacy ``share:`` names and
live in ``shares.py``.
"""

from manila_lite.policies import base

NAME = 'share_snapshot:%s'
SNAP = '/snapshots/{snapshot_id}'

rules = [
    base.rule(NAME % 'get_snapshot', base.ADMIN_OR_PROJECT_READER,
              'Get share snapshot.', [('GET', SNAP)], base.RULE_DEFAULT),
    base.rule(NAME % 'get_all_snapshots', base.ADMIN_OR_PROJECT_READER,
              'List share snapshots.',
              [('GET', '/snapshots'), ('GET', '/snapshots/detail')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'get_metadata', base.ADMIN_OR_PROJECT_READER,
              'Get share snapshot metadata.',
              [('GET', SNAP + '/metadata'), ('GET', SNAP + '/metadata/{key}')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'update_metadata', base.ADMIN_OR_PROJECT_MEMBER,
              'Set or update share snapshot metadata.',
              [('POST', SNAP + '/metadata'), ('PUT', SNAP + '/metadata')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'delete_metadata', base.ADMIN_OR_PROJECT_MEMBER,
              'Delete share snapshot metadata.',
              [('DELETE', SNAP + '/metadata/{key}')], base.RULE_DEFAULT),
    base.rule(NAME % 'force_delete', base.ADMIN,
              'Force delete a share snapshot.',
              [('POST', SNAP + '/action')], base.RULE_ADMIN_API),
    base.rule(NAME % 'reset_status', base.ADMIN,
              'Reset the status of a share snapshot.',
              [('POST', SNAP + '/action')], base.RULE_ADMIN_API),
    base.rule(NAME % 'allow_access', base.ADMIN_OR_PROJECT_MEMBER,
              'Allow access to a mountable share snapshot.',
              [('POST', SNAP + '/action')], base.RULE_DEFAULT),
    base.rule(NAME % 'deny_access', base.ADMIN_OR_PROJECT_MEMBER,
              'Deny access to a mountable share snapshot.',
              [('POST', SNAP + '/action')], base.RULE_DEFAULT),
    base.rule(NAME % 'access_list', base.ADMIN_OR_PROJECT_READER,
              'List the access rules of a mountable share snapshot.',
              [('GET', SNAP + '/access-list')], base.RULE_DEFAULT),
]


def list_rules():
    return rules
