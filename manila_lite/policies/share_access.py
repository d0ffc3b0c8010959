"""Policies of the access rules API (share_access_rule:*, 2.45+) and of
the rules' metadata (share_access_metadata:*)."""

from manila_lite.policies import base

NAME = 'share_access_rule:%s'

rules = [
    base.rule(NAME % 'get', base.ADMIN_OR_PROJECT_READER,
              'Get details of a share access rule.',
              [('GET', '/share-access-rules/{share_access_id}')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'index', base.ADMIN_OR_PROJECT_READER,
              'List access rules of a given share.',
              [('GET', '/share-access-rules?share_id={share_id}')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'update', base.ADMIN_OR_PROJECT_MEMBER,
              'Update the access level of a share access rule.',
              [('PUT', '/share-access-rules/{share_access_id}')],
              base.RULE_DEFAULT),
    base.rule('share_access_metadata:update', base.ADMIN_OR_PROJECT_MEMBER,
              'Set or update metadata of a share access rule.',
              [('PUT', '/share-access-rules/{share_access_id}/metadata')],
              base.RULE_DEFAULT),
    base.rule('share_access_metadata:delete', base.ADMIN_OR_PROJECT_MEMBER,
              'Delete metadata of a share access rule.',
              [('DELETE',
                '/share-access-rules/{share_access_id}/metadata/{key}')],
              base.RULE_DEFAULT),
]


def list_rules():
    return rules
