"""Access rules follow the states of all a share's instances, as
upstream's ``_any_invalid_share_instance``: a replica (or migration
copy) in a transitional state or without a host refuses new rules and
denials; one in ``error`` refuses them below 2.74 only
(manila-tempest-plugin ``test_add_access_rule_share_replica_error_status``
and ``test_add_access_rule_on_share_with_no_host``)."""

import pytest

from tests.unit.api.conftest import fault
from tests.unit.test_embedded import wait_for
from tests.unit.test_replicas import make_share
from tests.unit.test_replicas import make_type
from tests.unit.test_replicas import wait_replica

ALLOW_REFUSED = (
    'New access rules cannot be applied while the share or any of its '
    'replicas or migration copies lacks a valid host or is in an invalid '
    'state.')
DENY_REFUSED = (
    'Access rules cannot be denied while the share, any of its replicas '
    'or migration copies lacks a valid host or is in an invalid state.')


def _allow(stack, share_id, to, version):
    return stack('POST', '/v2/shares/%s/action' % share_id, {
        'allow_access': {'access_type': 'ip', 'access_to': to,
                         'access_level': 'ro'}}, version=version)


def _deny(stack, share_id, access_id, version):
    return stack('POST', '/v2/shares/%s/action' % share_id, {
        'deny_access': {'access_id': access_id}}, version=version)


def _active(stack, share_id):
    return wait_for(stack, '/v2/shares/' + share_id, 'share',
                    'access_rules_status', 'active')


@pytest.fixture
def replicated(stack):
    """A readable share with a rule and a replica reset to ``error``."""
    share_id = make_share(stack, make_type(stack, 'rd', 'readable'))
    resp = _allow(stack, share_id, '10.0.0.1', '2.98')
    assert resp.status_int == 200, resp.body
    rule_id = resp.json_body_or_none['access']['id']
    _active(stack, share_id)
    resp = stack('POST', '/v2/share-replicas', {'share_replica': {
        'share_id': share_id, 'availability_zone': 'az2'}}, version='2.98')
    assert resp.status_int == 202, resp.body
    replica_id = resp.json_body_or_none['share_replica']['id']
    wait_replica(stack, replica_id, 'status', 'available')
    assert stack('POST', '/v2/share-replicas/%s/action' % replica_id, {
        'reset_status': {'status': 'error'}}, version='2.98').status_int == 202
    return share_id, rule_id


@pytest.mark.parametrize('version', ['2.11', '2.73'])
def test_replica_in_error_refuses_rules_below_2_74(
        stack, replicated, version):
    share_id, rule_id = replicated
    resp = _allow(stack, share_id, '10.0.0.2', version)
    assert resp.status_int == 400
    assert fault(resp) == ('badRequest', 400, ALLOW_REFUSED)
    resp = _deny(stack, share_id, rule_id, version)
    assert resp.status_int == 400
    assert fault(resp) == ('badRequest', 400, DENY_REFUSED)
    rules = stack('GET', '/v2/share-access-rules?share_id=' + share_id,
                  version='2.98').json_body_or_none['access_list']
    assert [(r['access_to'], r['state']) for r in rules] == [
        ('10.0.0.1', 'active')]


def test_replica_in_error_takes_rules_from_2_74(
        stack, replicated):
    share_id, rule_id = replicated
    resp = _allow(stack, share_id, '10.0.0.2', '2.74')
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none['access']['access_to'] == '10.0.0.2'
    _active(stack, share_id)
    assert _deny(stack, share_id, rule_id, '2.74').status_int == 202
    _active(stack, share_id)
    rules = stack('GET', '/v2/share-access-rules?share_id=' + share_id,
                  version='2.98').json_body_or_none['access_list']
    assert [r['access_to'] for r in rules] == ['10.0.0.2']


def test_share_without_host_refuses_rules(stack):
    # No pool serves this backend name: the share ends in error, unplaced.
    resp = stack('POST', '/v2/types', {'share_type': {
        'name': 'nowhere', 'extra_specs': {
            'driver_handles_share_servers': 'False',
            'share_backend_name': 'invalid_backend'}}}, version='2.98')
    assert resp.status_int == 200, resp.body
    resp = stack('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1,
        'share_type': resp.json_body_or_none['share_type']['id']}},
        version='2.98')
    share_id = resp.json_body_or_none['share']['id']
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status', 'error')
    resp = _allow(stack, share_id, '10.0.0.2', '2.98')
    assert resp.status_int == 400
    assert fault(resp) == ('badRequest', 400, ALLOW_REFUSED)
