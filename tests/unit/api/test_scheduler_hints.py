"""The share API's same_host / different_host hints (2.65), as
upstream: a named share must exist (404), and the affinity is recorded
in metadata both ways."""

import pytest

from manila_lite.common import states
from tests.unit.api.conftest import fault
from tests.unit.scheduler.conftest import _backend


def _create(client, **hints):
    return client.member('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'scheduler_hints': hints}},
        version='2.65')


@pytest.fixture
def placed(db, admin_ctx):
    _backend(db, admin_ctx, 'n1@b1', 'az1', {'p': 50.0})

    def make():
        share = db.share_create(
            admin_ctx, dict(project_id='proj-a', size=1, share_proto='NFS'),
            dict(status=states.STATUS_AVAILABLE, host='n1@b1#p'))
        return share.id
    return make


def test_hints_name_shares_that_exist(client, placed):
    resp = _create(client, same_host='2d316e9f-39fc-468e-b2d9-634b25ae85f6')
    assert fault(resp) == (
        'itemNotFound', 404,
        'Share 2d316e9f-39fc-468e-b2d9-634b25ae85f6 could not be found.')


def test_hints_are_recorded_both_ways(client, db, admin_ctx, placed):
    a, b = placed(), placed()
    resp = _create(client, same_host=a, different_host=b)
    assert resp.status_int == 200, resp.body
    new = resp.json_body_or_none['share']['id']
    meta = db.share_get(admin_ctx, new).metadata_dict
    assert meta['__affinity_same_host'] == a
    assert meta['__affinity_different_host'] == b
    assert db.share_get(admin_ctx, a).metadata_dict == {
        '__affinity_same_host': new}
    second = _create(client, same_host=a).json_body_or_none['share']['id']
    assert db.share_get(admin_ctx, a).metadata_dict == {
        '__affinity_same_host': '%s,%s' % (new, second)}
