"""Policies of availability zones (availability_zone:*)."""

from manila_lite.policies import base

rules = [
    base.rule('availability_zone:index', base.ADMIN_OR_PROJECT_READER,
              'Get all storage availability zones.',
              [('GET', '/os-availability-zone'),
               ('GET', '/availability-zones')], base.RULE_DEFAULT),
]


def list_rules():
    return rules
