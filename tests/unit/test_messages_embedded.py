"""User messages on the whole in-process stack: a share no backend can
take ends in ``error`` and its owner finds out why in /v2/messages."""

from manila_lite.common import states
from tests.unit.test_embedded import wait_for

V = '2.52'


def _create(client, **extra):
    body = {'share_proto': 'NFS', 'size': 1}
    body.update(extra)
    resp = client.member('POST', '/v2/shares', {'share': body}, version=V)
    assert resp.status_int == 200, resp.body
    share_id = resp.json_body_or_none['share']['id']
    wait_for(client, '/v2/shares/' + share_id, 'share', 'status',
             states.STATUS_ERROR)
    return share_id


def _messages(client, share_id):
    resp = client.member('GET', '/v2/messages?resource_id=' + share_id,
                         version=V)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['messages']


def test_no_backend_up_is_allocate_host_no_valid_host(stack):
    stack('POST', '/v2/types', {'share_type': {
        'name': 'default', 'extra_specs': {
            'driver_handles_share_servers': 'false'}}}, version=V)
    stack.conf.set_override('default_share_type', 'default')
    for backend in ('local1', 'local2'):
        resp = stack('PUT', '/v2/services/disable', {
            'host': '%s@%s' % (stack.conf.host, backend),
            'binary': 'manila-share'}, version=V)
        assert resp.status_int == 200, resp.body
    share_id = _create(stack)
    [msg] = _messages(stack, share_id)
    assert (msg['action_id'], msg['detail_id'], msg['resource_type'],
            msg['message_level'], msg['project_id']) == (
        '001', '002', 'SHARE', 'ERROR', 'proj-a')
    assert msg['user_message'] == (
        'allocate host: No storage could be allocated for this share '
        'request. Trying again with a different size or share type may '
        'succeed.')
    # Another project sees nothing of it.
    resp = stack('GET', '/v2/messages/' + msg['id'], version=V,
                 token='bob:proj-b', roles='member,reader')
    assert resp.status_int == 404
    resp = stack.member('DELETE', '/v2/messages/' + msg['id'], version=V)
    assert resp.status_int == 204
    assert _messages(stack, share_id) == []


def test_unmatched_extra_spec_names_the_capabilities_filter(
        stack):
    resp = stack('POST', '/v2/types', {'share_type': {
        'name': 'nowhere', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'vendor_name': 'foobar'}}}, version=V)
    assert resp.status_int == 200, resp.body
    share_id = _create(stack, share_type='nowhere')
    [msg] = _messages(stack, share_id)
    assert (msg['action_id'], msg['detail_id']) == ('001', '008')
    assert msg['user_message'].startswith(
        'allocate host: No storage could be allocated for this share '
        'request')
