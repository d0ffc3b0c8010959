"""The real ``openstack share snapshot access ...`` and ``openstack
share snapshot export location ...`` commands (python-manilaclient)
against the multi-process deployment: a share of a type with
``--mount-snapshot-support true``, a snapshot exported read-only, a
rule that reaches the pool's exports file and leaves it again."""

import json
import os
import time

from tests.functional.test_migration import _local
from tests.functional.test_osc import openstack
from tests.functional.test_osc import wait_field


def _exports(share_path):
    pool_root = os.path.dirname(os.path.dirname(share_path))
    with open(os.path.join(pool_root, 'exports')) as f:
        return f.read()


def _rule_state(d, snap, rule_id):
    rules = json.loads(openstack(d, 'share', 'snapshot', 'access', 'list',
                                 snap, '-f', 'json'))
    for rule in rules:
        if rule['ID'] == rule_id:
            return rule['State']
    return None


def _wait_rule(d, snap, rule_id, wanted, timeout=60):
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = _rule_state(d, snap, rule_id)
        if state == wanted:
            return
        time.sleep(0.5)
    raise AssertionError('rule %s is %s, never %s' % (rule_id, state,
                                                      wanted))


def test_snapshot_access_and_export_location_commands(d):
    openstack(d, 'share', 'type', 'create', 'mountable', 'false',
              '--snapshot-support', 'true',
              '--mount-snapshot-support', 'true')
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'ms',
                         '--share-type', 'mountable', '-f', 'value',
                         '-c', 'id')
    wait_field(d, 'ms', 'status', 'available')
    path = _local(d, share_id)
    with open(os.path.join(path, 'f'), 'wb') as f:
        f.write(b'snapshotted')
    openstack(d, 'share', 'snapshot', 'create', 'ms', '--name', 'mss',
              '--wait')

    locations = json.loads(openstack(
        d, 'share', 'snapshot', 'export', 'location', 'list', 'mss',
        '-f', 'json'))
    # The CLI lists ID and Path; the admin-only one is the bare path.
    assert len(locations) == 2, locations
    admin = [el for el in locations if el['Path'].startswith('/')][0]
    with open(os.path.join(admin['Path'], 'f'), 'rb') as f:
        assert f.read() == b'snapshotted'
    shown = json.loads(openstack(
        d, 'share', 'snapshot', 'export', 'location', 'show', 'mss',
        admin['ID'], '-f', 'json'))
    assert shown['path'] == admin['Path']
    assert shown['is_admin_only'] is True

    rule = json.loads(openstack(d, 'share', 'snapshot', 'access', 'create',
                                'mss', 'ip', '10.0.0.0/24', '-f', 'json'))
    _wait_rule(d, 'mss', rule['id'], 'active')
    line = '%s 10.0.0.0/24(ro)' % admin['Path']
    assert line in _exports(path).splitlines()

    openstack(d, 'share', 'snapshot', 'access', 'delete', 'mss', rule['id'])
    _wait_rule(d, 'mss', rule['id'], None)
    assert admin['Path'] not in _exports(path)
