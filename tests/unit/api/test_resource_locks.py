"""Resource locks (2.81+): /resource-locks create, list (filters, sort,
pages), show, update, delete; who may change or lift a lock; share
deletion, force delete and unmanage refused under a deletion lock; and
the access rule locks of 2.82 (deletion, visibility masking, deny with
``unrestrict``), with locks going with their resource."""

import datetime

from oslo_utils import timeutils
import pytest
import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import models
from manila_lite.db import resource_locks as lock_db
from tests.unit.api.conftest import fault

V = '2.81'
V_ACCESS = '2.82'
CAROL = 'carol:proj-a'  # another user of alice's project
FIELDS = {'id', 'user_id', 'project_id', 'lock_context', 'resource_type',
          'resource_id', 'resource_action', 'lock_reason', 'created_at',
          'updated_at', 'links'}


def _share(db, ctx, project_id='proj-a', status=states.STATUS_AVAILABLE):
    share = db.share_create(
        ctx, dict(project_id=project_id, user_id='alice', size=1,
                  share_proto='NFS'),
        dict(status=status, host='node1@local1#pool1',
             availability_zone='az1'))
    return share.id


def _lock(client, resource_id, *, token='alice:proj-a', **extra):
    body = {'resource_id': resource_id, 'resource_type': 'share'}
    body.update(extra)
    resp = client.member('POST', '/v2/resource-locks',
                         {'resource_lock': body}, version=V, token=token)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['resource_lock']


def _locks(client, query='', **kwargs):
    kwargs.setdefault('version', V)
    resp = client.member('GET', '/v2/resource-locks' + query, **kwargs)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none


def test_create_show_update_delete(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    lock = _lock(client, share_id, lock_reason='keep it')
    assert set(lock) == FIELDS
    assert (lock['resource_type'], lock['resource_id'],
            lock['resource_action'], lock['lock_context'],
            lock['user_id'], lock['project_id'], lock['lock_reason']) == (
        'share', share_id, 'delete', 'user', 'alice', 'proj-a', 'keep it')
    assert lock['links'][0]['href'].endswith('/resource-locks/' + lock['id'])
    shown = client.member('GET', '/v2/resource-locks/' + lock['id'],
                          version=V).json_body_or_none['resource_lock']
    assert shown == lock
    resp = client.member('PUT', '/v2/resource-locks/' + lock['id'],
                         {'resource_lock': {'lock_reason': 'new reason'}},
                         version=V)
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none['resource_lock']['lock_reason'] == (
        'new reason')
    assert lock_db.lock_get(admin_ctx, lock['id']).lock_reason == (
        'new reason')
    resp = client.member('DELETE', '/v2/resource-locks/' + lock['id'],
                         version=V)
    assert resp.status_int == 204, resp.body
    resp = client.member('GET', '/v2/resource-locks/' + lock['id'],
                         version=V)
    assert fault(resp) == ('itemNotFound', 404, 'Resource lock %s could '
                           'not be found.' % lock['id'])


def test_admin_lock_context_and_who_may_lift_it(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    # Alice, holding the admin role for a moment, places a lock ...
    admin_lock = client('POST', '/v2/resource-locks', {'resource_lock': {
        'resource_id': share_id, 'resource_type': 'share'}},
        version=V, token='alice:proj-a').json_body_or_none['resource_lock']
    assert admin_lock['lock_context'] == 'admin'
    # ... that alice the member may not lift, though she owns it.
    resp = client.member('DELETE', '/v2/resource-locks/' + admin_lock['id'],
                         version=V)
    assert fault(resp) == ('forbidden', 403, 'Resource lock cannot be '
                           'manipulated by user. Please contact the '
                           'administrator.')
    # Nor may another user of the project lift or change alice's lock.
    lock = _lock(client, share_id)
    for method, body in (('PUT', {'resource_lock': {'lock_reason': 'x'}}),
                         ('DELETE', None)):
        resp = client.member(method, '/v2/resource-locks/' + lock['id'],
                             body, version=V, token=CAROL)
        assert fault(resp)[:2] == ('forbidden', 403), resp.body
    # Another project does not see it at all; the admin lifts both.
    resp = client.member('GET', '/v2/resource-locks/' + lock['id'],
                         version=V, token='bob:proj-b')
    assert resp.status_int == 404
    for lock_id in (lock['id'], admin_lock['id']):
        assert client('DELETE', '/v2/resource-locks/' + lock_id,
                      version=V).status_int == 204
    assert lock_db.locks_on(admin_ctx, share_id) == []


def test_create_refusals(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)

    def create(body):
        return client.member('POST', '/v2/resource-locks',
                             {'resource_lock': body}, version=V)

    assert fault(create({'resource_id': 'invalid-share-id',
                         'resource_type': 'share'})) == (
        'badRequest', 400,
        'Resource ID is required and must be in uuid format.')
    assert fault(create({'resource_id': share_id, 'resource_type': 'share',
                         'resource_action': 'invalid-action'})) == (
        'badRequest', 400, "'resource_action' can only be one of "
                           "['delete']")
    assert fault(create({'resource_id': share_id, 'resource_type': 'share',
                         'lock_reason': 'invalid' * 150})) == (
        'badRequest', 400,
        "'lock_reason' can contain a maximum of 1023 characters.")
    assert fault(create({'resource_id': share_id,
                         'resource_type': 'volume'}))[:2] == (
        'badRequest', 400)
    missing = '8ed2d5d2-0c0c-4b5a-a6a4-5e0e5d0c2a11'
    assert fault(create({'resource_id': missing})) == (
        'badRequest', 400, 'No such resource found.')
    # Another project's share is not there for alice.
    other = _share(db, admin_ctx, project_id='proj-b')
    assert fault(create({'resource_id': other})) == (
        'badRequest', 400, 'No such resource found.')
    deleting = _share(db, admin_ctx, status=states.STATUS_DELETING)
    assert fault(create({'resource_id': deleting})) == (
        'conflictingRequest', 409, 'Resource status not suitable for '
                                   'locking')
    resp = client.member('POST', '/v2/resource-locks',
                         {'resource_lock': {'resource_id': share_id}},
                         version='2.80')
    assert resp.status_int == 404
    assert lock_db.locks_on(admin_ctx, share_id) == []


def test_update_refusals(client, db, admin_ctx):
    lock = _lock(client, _share(db, admin_ctx))

    def update(body):
        return client.member('PUT', '/v2/resource-locks/' + lock['id'],
                             {'resource_lock': body}, version=V)

    assert fault(update({'resource_action': 'invalid-action'}))[:2] == (
        'badRequest', 400)
    assert fault(update({'lock_reason': 'invalid' * 150}))[:2] == (
        'badRequest', 400)
    assert fault(update({'resource_id': lock['resource_id']})) == (
        'badRequest', 400,
        "Only 'resource_action' and 'lock_reason' can be updated.")
    assert lock_db.lock_get(admin_ctx, lock['id']).lock_reason is None


def test_list_filters_sort_pages(client, db, admin_ctx):
    share_1, share_2 = _share(db, admin_ctx), _share(db, admin_ctx)
    lock_1 = _lock(client, share_1)
    lock_2 = _lock(client, share_1, lock_reason='clemson tigers rule')
    lock_3 = _lock(client, share_2)
    _lock(client, _share(db, admin_ctx, project_id='proj-b'),
          token='bob:proj-b')
    ids = [lock_1['id'], lock_2['id'], lock_3['id']]
    body = _locks(client)
    assert [lk['id'] for lk in body['resource_locks']] == ids[::-1]
    body = _locks(client, '?sort_key=created_at&sort_dir=asc&limit=2')
    assert [lk['id'] for lk in body['resource_locks']] == ids[:2]
    assert 'offset=2' in body['resource_locks_links'][0]['href']
    assert [lk['id'] for lk in _locks(
        client, '?resource_id=' + share_1)['resource_locks']] == ids[1::-1]
    assert [lk['id'] for lk in _locks(
        client, '?lock_reason~=clemson')['resource_locks']] == [ids[1]]
    assert _locks(client, '?with_count=true')['count'] == 3
    # Time bounds compare with created_at.
    created = timeutils.parse_strtime(lock_3['created_at'])
    since = (created - datetime.timedelta(days=1)).isoformat()
    before = (created - datetime.timedelta(hours=1)).isoformat()
    assert len(_locks(client, '?created_since=' + since)[
        'resource_locks']) == 3
    assert _locks(client, '?created_before=' + before)[
        'resource_locks'] == []
    resp = client.member('GET', '/v2/resource-locks?created_since=x',
                         version=V)
    assert fault(resp) == ('badRequest', 400, 'Invalid value specified '
                           'for the query key: created_since')
    # all_projects: the admin's; a member's is ignored.
    resp = client('GET', '/v2/resource-locks?all_projects=1', version=V)
    assert len(resp.json_body_or_none['resource_locks']) == 4
    assert len(_locks(client, '?all_projects=1')['resource_locks']) == 3


def test_locked_share_cannot_be_deleted_or_unmanaged(client, db,
                                                     admin_ctx):
    share_id = _share(db, admin_ctx)
    lock_1, lock_2 = _lock(client, share_id), _lock(client, share_id)
    message = ('Resource lock/s [%s, %s] prevent delete action.'
               % (lock_1['id'], lock_2['id']))
    resp = client.member('DELETE', '/v2/shares/' + share_id, version=V)
    assert fault(resp) == ('forbidden', 403, message)
    resp = client('DELETE', '/v2/shares/' + share_id + '?force=True',
                  version=V)
    assert fault(resp) == ('forbidden', 403, message)
    resp = client('POST', '/v2/shares/%s/action' % share_id,
                  {'force_delete': None}, version=V)
    assert fault(resp) == ('forbidden', 403, message)
    resp = client('POST', '/v2/shares/%s/action' % share_id,
                  {'unmanage': None}, version=V)
    assert fault(resp) == ('forbidden', 403, message)
    resp = client.member('POST', '/v2/shares/%s/action' % share_id,
                         {'soft_delete': None}, version=V)
    assert fault(resp) == ('forbidden', 403, message)
    assert not db.share_get(admin_ctx, share_id).is_soft_deleted
    assert db.share_get(admin_ctx, share_id).status == (
        states.STATUS_AVAILABLE)
    client.member('DELETE', '/v2/resource-locks/' + lock_1['id'], version=V)
    resp = client.member('DELETE', '/v2/shares/' + share_id, version=V)
    assert fault(resp)[:2] == ('forbidden', 403)
    client.member('DELETE', '/v2/resource-locks/' + lock_2['id'], version=V)
    resp = client.member('DELETE', '/v2/shares/' + share_id, version=V)
    assert resp.status_int == 202, resp.body


def _allow(client, share_id, access_to, *, version=V_ACCESS, **extra):
    body = {'access_type': 'ip', 'access_to': access_to}
    body.update(extra)
    return client.member('POST', '/v2/shares/%s/action' % share_id,
                         {'allow_access': body}, version=version)


def _rules(client, share_id, *, version=V_ACCESS, token='alice:proj-a'):
    resp = client.member('GET', '/v2/share-access-rules?share_id='
                         + share_id, version=version, token=token)
    assert resp.status_int == 200, resp.body
    return {r['id']: r for r in resp.json_body_or_none['access_list']}


def test_access_rule_locks(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    resp = _allow(client, share_id, '10.0.0.9', lock_visibility=True,
                  lock_deletion=True, lock_reason='mine')
    assert resp.status_int == 200, resp.body
    rule = resp.json_body_or_none['access']
    assert rule['access_to'] == '10.0.0.9'
    locks = {(lk.resource_type, lk.resource_action): lk
             for lk in lock_db.lock_get_all(admin_ctx)[0]}
    assert set(locks) == {('access_rule', 'delete'), ('access_rule', 'show'),
                          ('share', 'delete')}
    assert locks['share', 'delete'].lock_reason == (
        'Locked by access lock: %s' % locks['access_rule', 'delete'].id)
    assert locks['access_rule', 'show'].lock_reason == 'mine'
    plain = _allow(client, share_id, '10.0.0.10').json_body_or_none['access']
    # Alice sees her rule; carol (same project) and an older version
    # see it masked; the admin sees it.
    assert _rules(client, share_id)[rule['id']]['access_to'] == '10.0.0.9'
    for version in (V, V_ACCESS):
        seen = _rules(client, share_id, version=version, token=CAROL)
        assert seen[rule['id']]['access_to'] == '******'
        assert seen[rule['id']]['access_key'] == '******'
        assert seen[plain['id']]['access_to'] == '10.0.0.10'
    shown = client.member('GET', '/v2/share-access-rules/' + rule['id'],
                          version=V_ACCESS, token=CAROL)
    assert shown.json_body_or_none['access']['access_to'] == '******'
    admin_view = client('GET', '/v2/share-access-rules?share_id=' + share_id,
                        version=V_ACCESS).json_body_or_none['access_list']
    assert {r['access_to'] for r in admin_view} == {'10.0.0.9', '10.0.0.10'}
    # A second visibility lock, by anyone, is a conflict.
    for token in ('alice:proj-a', CAROL):
        resp = client.member('POST', '/v2/resource-locks', {
            'resource_lock': {'resource_id': rule['id'],
                              'resource_type': 'access_rule',
                              'resource_action': 'show'}},
            version=V, token=token)
        assert fault(resp) == ('conflictingRequest', 409, "Resource's "
                               "visibility is already locked by other "
                               "user.")
    # The share is locked by the rule's deletion lock.
    resp = client.member('DELETE', '/v2/shares/' + share_id, version=V)
    assert fault(resp)[:2] == ('forbidden', 403)

    def deny(token, version=V_ACCESS, **extra):
        return client.member('POST', '/v2/shares/%s/action' % share_id, {
            'deny_access': {'access_id': rule['id'], **extra}},
            version=version, token=token)

    locked = ("Cannot deny access for share '%s' since it has been "
              "locked. Please remove the locks and retry the operation"
              % share_id)
    for token in ('alice:proj-a', CAROL):
        for version in (V, V_ACCESS):
            assert fault(deny(token, version)) == ('forbidden', 403, locked)
    assert fault(deny(CAROL, unrestrict=True)) == (
        'forbidden', 403, 'Unable to drop access rule restrictions that '
                          'are not placed by you.')
    assert db.access_get(admin_ctx, rule['id']).state == (
        states.ACCESS_STATE_QUEUED_TO_APPLY)
    resp = deny('alice:proj-a', unrestrict=True)
    assert resp.status_int == 202, resp.body
    assert db.access_get(admin_ctx, rule['id']).state == (
        states.ACCESS_STATE_QUEUED_TO_DENY)
    # The rule's removal takes its locks and the share lock along.
    db.access_destroy(admin_ctx, rule['id'])
    assert lock_db.lock_get_all(admin_ctx)[0] == []


def test_allow_access_lock_refusals(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    resp = _allow(client, share_id, '10.0.0.1', lock_reason='why')
    assert fault(resp) == ('badRequest', 400, 'Lock reason can only be '
                           'specified when locking the visibility or the '
                           'deletion of an access rule.')
    resp = _allow(client, share_id, '10.0.0.1', lock_deletion=True,
                  lock_reason='x' * 1024)
    assert fault(resp)[:2] == ('badRequest', 400)
    assert db.access_get_all_by_share(admin_ctx, share_id) == []
    # Below 2.82 the lock keys are not read.
    resp = _allow(client, share_id, '10.0.0.1', version=V,
                  lock_deletion=True)
    assert resp.status_int == 200, resp.body
    assert lock_db.lock_get_all(admin_ctx)[0] == []


def test_locks_go_with_their_share(client, db, admin_ctx):
    share_id = _share(db, admin_ctx)
    rule = _allow(client, share_id, '10.0.0.3', lock_visibility=True)
    assert rule.status_int == 200, rule.body
    db.share_destroy(admin_ctx, share_id)
    with db.get_engine().connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(
            models.ResourceLock)) == 0


def test_deletion_lock_and_delete_race_one_wins(client, db, admin_ctx):
    """The lock's insert reads the share's instances under row locks and
    the delete reads the locks after its transition, in one transaction:
    a share already deleting refuses the lock at the database."""
    share_id = _share(db, admin_ctx)
    instance = db.share_get(admin_ctx, share_id).instances[0]
    db.share_instance_transition(admin_ctx, instance.id,
                                 states.STATUS_DELETING,
                                 sources={states.STATUS_AVAILABLE})
    values = dict(user_id='alice', project_id='proj-a', lock_context='user',
                  resource_id=share_id, resource_type='share',
                  resource_action='delete')
    with pytest.raises(exceptions.InvalidInput) as err:
        lock_db.lock_create(
            admin_ctx, values,
            refused_share_statuses=states.LOCK_REFUSED_SHARE_STATUSES)
    assert str(err.value) == ('Invalid input received: Resource status not '
                              'suitable for locking')
    assert lock_db.locks_on(admin_ctx, share_id) == []
