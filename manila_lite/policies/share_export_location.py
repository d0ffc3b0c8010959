"""Policies of share export locations (share_export_location:*)."""

from manila_lite.policies import base

NAME = 'share_export_location:%s'
ELS = '/shares/{share_id}/export_locations'

rules = [
    base.rule(NAME % 'index', base.ADMIN_OR_PROJECT_READER,
              'Get all export locations of a given share.',
              [('GET', ELS)], base.RULE_DEFAULT),
    base.rule(NAME % 'show', base.ADMIN_OR_PROJECT_READER,
              'Get details about the requested export location.',
              [('GET', ELS + '/{export_location_id}')], base.RULE_DEFAULT),
]


def list_rules():
    return rules
