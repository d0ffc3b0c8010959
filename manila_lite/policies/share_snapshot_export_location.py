"""Policies of snapshot export locations
(share_snapshot_export_location:*, readers of the snapshot's project;
share_snapshot_instance_export_location:*, admin only), as upstream."""

from manila_lite.policies import base

ELS = '/snapshots/{snapshot_id}/export-locations'
INSTANCE_ELS = '/snapshot-instances/{snapshot_instance_id}/export-locations'

rules = [
    base.rule('share_snapshot_export_location:index',
              base.ADMIN_OR_PROJECT_READER,
              'List export locations of a share snapshot.',
              [('GET', ELS)], base.RULE_DEFAULT),
    base.rule('share_snapshot_export_location:show',
              base.ADMIN_OR_PROJECT_READER,
              'Get details of a specified export location of a share '
              'snapshot.', [('GET', ELS + '/{export_location_id}')],
              base.RULE_DEFAULT),
    base.rule('share_snapshot_instance_export_location:index', base.ADMIN,
              'List export locations of a share snapshot instance.',
              [('GET', INSTANCE_ELS)], base.RULE_ADMIN_API),
    base.rule('share_snapshot_instance_export_location:show', base.ADMIN,
              'Show details of a specified export location of a share '
              'snapshot instance.',
              [('GET', INSTANCE_ELS + '/{export_location_id}')],
              base.RULE_ADMIN_API),
]


def list_rules():
    return rules
