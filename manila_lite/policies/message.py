"""Policies of user messages (message:*), as upstream's defaults."""

from manila_lite.policies import base

NAME = 'message:%s'
MESSAGE = '/messages/{message_id}'

rules = [
    base.rule(NAME % 'get', base.ADMIN_OR_PROJECT_READER,
              'Get details of a given message.', [('GET', MESSAGE)],
              base.RULE_DEFAULT),
    base.rule(NAME % 'get_all', base.ADMIN_OR_PROJECT_READER,
              'Get all messages.',
              [('GET', '/messages'), ('GET', '/messages?{query}')],
              base.RULE_DEFAULT),
    base.rule(NAME % 'delete', base.ADMIN_OR_PROJECT_MEMBER,
              'Delete a message.', [('DELETE', MESSAGE)],
              base.RULE_DEFAULT),
]


def list_rules():
    return rules
