"""``openstack share message list/show/delete`` (python-manilaclient)
against the multi-process deployment: a share of a type no backend
offers goes to ``error`` and the CLI tells why."""

import json

from tests.functional.test_osc import openstack
from tests.functional.test_osc import wait_field


def test_message_commands(d):
    openstack(d, 'share', 'type', 'create', 'nowhere', 'false',
              '--extra-specs', 'vendor_name=foobar')
    share_id = openstack(d, 'share', 'create', 'NFS', '1', '--name', 'lost',
                         '--share-type', 'nowhere', '-f', 'value',
                         '-c', 'id')
    wait_field(d, 'lost', 'status', 'error')
    listed = json.loads(openstack(d, 'share', 'message', 'list',
                                  '--resource-id', share_id, '-f', 'json'))
    assert len(listed) == 1, listed
    [row] = listed
    assert row['Action ID'] == '001', row
    assert row['Detail ID'] == '008', row
    assert row['Resource Type'] == 'SHARE', row
    assert row['User Message'].startswith(
        'allocate host: No storage could be allocated for this share '
        'request'), row
    shown = json.loads(openstack(d, 'share', 'message', 'show', row['ID'],
                                 '-f', 'json'))
    assert shown['resource_id'] == share_id, shown
    assert shown['message_level'] == 'ERROR', shown
    assert shown['expires_at'] > shown['created_at'], shown
    # --since (2.52) keeps it, --before its creation drops it.
    since = json.loads(openstack(
        d, 'share', 'message', 'list', '--resource-id', share_id,
        '--since', '2000-01-01T00:00:00', '-f', 'json'))
    assert [m['ID'] for m in since] == [row['ID']]
    before = json.loads(openstack(
        d, 'share', 'message', 'list', '--resource-id', share_id,
        '--before', '2000-01-01T00:00:00', '-f', 'json'))
    assert before == []
    openstack(d, 'share', 'message', 'delete', row['ID'])
    assert json.loads(openstack(d, 'share', 'message', 'list',
                                '--resource-id', share_id,
                                '-f', 'json')) == []
    openstack(d, 'share', 'delete', share_id)
