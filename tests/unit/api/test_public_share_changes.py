"""Another project's public share is visible but not theirs: changing
it is 403 naming the policy (upstream checks with the share as target),
not the 404 that hides private shares."""

import pytest

from manila_lite.common import states
from tests.unit.api.conftest import fault

OTHER = dict(token='bob:proj-b', roles='member,reader')


def _share(db, ctx, *, public):
    share = db.share_create(
        ctx, dict(project_id='proj-a', size=1, share_proto='NFS',
                  is_public=public),
        dict(status=states.STATUS_AVAILABLE, host='node1@local1#pool1'),
        {'key': 'value'})
    return share.id


CALLS = [
    ('PUT', '', {'share': {'display_name': 'x'}}, 'share:update'),
    ('DELETE', '', None, 'share:delete'),
    ('POST', '/metadata', {'metadata': {'k': 'v'}},
     'share:update_share_metadata'),
    ('PUT', '/metadata', {'metadata': {'k': 'v'}},
     'share:update_share_metadata'),
    ('DELETE', '/metadata/key', None, 'share:delete_share_metadata'),
    ('POST', '/action', {'allow_access': {
        'access_type': 'ip', 'access_to': '10.0.0.1'}},
     'share:allow_access'),
]


@pytest.mark.parametrize('method,suffix,body,action', CALLS)
def test_other_projects_public_share_is_403(client, db, admin_ctx, method,
                                            suffix, body, action):
    share_id = _share(db, admin_ctx, public=True)
    resp = client(method, '/v2/shares/' + share_id + suffix, body,
                  version='2.7', **OTHER)
    assert fault(resp) == (
        'forbidden', 403,
        "Policy doesn't allow %s to be performed." % action)
    # Still readable.
    assert client('GET', '/v2/shares/' + share_id, **OTHER).status_int == 200


@pytest.mark.parametrize('method,suffix,body,action', CALLS)
def test_other_projects_private_share_is_404(client, db, admin_ctx, method,
                                             suffix, body, action):
    share_id = _share(db, admin_ctx, public=False)
    resp = client(method, '/v2/shares/' + share_id + suffix, body,
                  version='2.7', **OTHER)
    assert fault(resp) == ('itemNotFound', 404,
                           'Share %s could not be found.' % share_id)


def test_snapshot_of_other_projects_public_share_is_403(client, db,
                                                        admin_ctx):
    share_id = _share(db, admin_ctx, public=True)
    resp = client('POST', '/v2/snapshots',
                  {'snapshot': {'share_id': share_id}}, **OTHER)
    assert fault(resp) == (
        'forbidden', 403,
        "Policy doesn't allow share:create_snapshot to be performed.")
