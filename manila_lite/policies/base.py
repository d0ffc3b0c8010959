"""Personas and base rules every resource policy builds on.

The defaults are upstream Manila's "new defaults": ``admin`` is the
admin role, ``member``/``reader`` are roles held in the target's
project. The deprecated fallbacks (``rule:default``,
``rule:admin_api``) are upstream's legacy rules, so an old policy.yaml
keeps working while oslo.policy warns.
"""

from oslo_policy import policy

RULE_ADMIN_API = 'rule:admin_api'
RULE_DEFAULT = 'rule:default'
RULE_ADMIN_OR_OWNER = 'rule:admin_or_owner'

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'
ADMIN_OR_PROJECT_MEMBER = '(%s) or (%s)' % (ADMIN, PROJECT_MEMBER)
ADMIN_OR_PROJECT_READER = '(%s) or (%s)' % (ADMIN, PROJECT_READER)

DEPRECATED_REASON = ('manila_lite follows upstream Manila\'s default roles '
                     '(admin, member, reader) with project scope.')
DEPRECATED_SINCE = 'WALLABY'


def deprecated(name, check_str):
    return policy.DeprecatedRule(
        name=name, check_str=check_str,
        deprecated_reason=DEPRECATED_REASON,
        deprecated_since=DEPRECATED_SINCE)


def rule(name, check_str, description, operations, legacy=None):
    """A project-scoped DocumentedRuleDefault with its legacy fallback.

    ``operations`` is a list of ``(method, path)``.
    """
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        scope_types=['project'],
        operations=[{'method': m, 'path': p} for m, p in operations],
        deprecated_rule=deprecated(name, legacy) if legacy else None)


rules = [
    policy.RuleDefault(
        name='context_is_admin', check_str='role:admin',
        description='Decides what is an administrator.'),
    policy.RuleDefault(
        name='admin_or_owner',
        check_str='is_admin:True or project_id:%(project_id)s',
        description='Administrator or owner of the resource (legacy).'),
    policy.RuleDefault(
        name='default', check_str=RULE_ADMIN_OR_OWNER,
        description='Default rule for legacy owner-level policies.'),
    policy.RuleDefault(
        name='admin_api', check_str='is_admin:True',
        description='Default rule for legacy admin-only policies.'),
    policy.RuleDefault(
        name='context_is_host_admin',
        check_str='role:admin and project_id:%(project_id)s',
        description='Who sees back-end details of shares (host).'),
]


def list_rules():
    return rules
