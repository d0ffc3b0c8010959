"""The RBAC matrix (tests/rbac/matrix.yaml) with real Keystone tokens.

The multi-process deployment runs with ``auth_strategy = keystone``:
keystonemiddleware validates every token against the Keystone of
tests/functional/keystone.py, whose users hold the roles of the matrix's
columns in two projects, and the matrix is walked over HTTP with those
users' tokens.
"""

import pytest

from manila_lite.db import api as db_api
from tests.functional import deployment as dep
from tests.functional import infra
from tests.functional import keystone as keystone_mod
from tests.rbac import fixtures
from tests.rbac import walker


@pytest.fixture
def protected(tmp_path, keystone):
    db = infra.TempDatabase('postgresql')
    url = db.create()
    deployment = dep.Deployment(str(tmp_path), url)
    keystone_mod.protect(deployment, keystone)
    try:
        deployment.start_all()
        keystone.register_share_service(deployment.url + '/v2')
        # GET /v2/types/default needs one.
        status, body = deployment.request('POST', '/v2/types', {
            'share_type': {'name': 'default', 'extra_specs': {
                'driver_handles_share_servers': 'false'}}})
        assert status == 200, body
        yield deployment
    finally:
        deployment.stop_all()
        db_api.dispose()
        db.drop()


def test_matrix_holds_with_real_tokens(protected, keystone):
    tokens = {role: keystone.token(role)
              for role in ('admin', 'member', 'reader', 'other')}

    def call(role, method, path, body, version, headers=None):
        if role == 'anonymous':
            return protected.request(method, path, body, version=version,
                                     token='', headers=headers)
        return protected.request(method, path, body, version=version,
                                 token=tokens[role], headers=headers)

    db_api.configure(protected.client_conf())
    make = fixtures.factory(keystone.projects['A'],
                            keystone.users['member'], 'rbac-node')
    failures = walker.walk(walker.load(), call, make)
    assert not failures, '\n'.join(map(str, failures))


def test_token_checks(protected, keystone):
    # No token, a forged one, and a real one.
    status, fault = protected.request('GET', '/v2/shares', token='')
    assert status == 401, fault
    status, fault = protected.request('GET', '/v2/shares',
                                      token='gAAAAA-not-a-token')
    assert status == 401, fault
    status, body = protected.request('GET', '/v2/shares',
                                     token=keystone.token('reader'))
    assert status == 200 and body == {'shares': []}, body
    # Version discovery needs none.
    status, _ = protected.request('GET', '/', token='', version=None)
    assert status == 300
