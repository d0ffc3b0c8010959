"""Backup quotas and backup user messages on the whole in-process stack.

``backups`` and ``backup_gigabytes`` are charged in the transaction that
inserts the backup row and given back in the one that deletes it; a
refusal is upstream's 413. A failed backup create, restore or delete
leaves its owner a user message."""

import threading

from manila_lite.backup import local as local_store
from manila_lite.common import context
from manila_lite.db import backups as backup_db
from tests.unit.backup.test_backups_embedded import call
from tests.unit.backup.test_backups_embedded import make_share
from tests.unit.backup.test_backups_embedded import wait_backup
from tests.unit.test_embedded import wait_for

QS = '/v2/quota-sets/admin'


def _set(client, **limits):
    resp = call(client, 'PUT', QS, {'quota_set': limits})
    assert resp.status_int == 200, resp.body


def _used(client):
    detail = call(client, 'GET', QS + '/detail').json_body_or_none[
        'quota_set']
    return (detail['backups']['in_use'],
            detail['backup_gigabytes']['in_use'])


def _create(client, share_id):
    return call(client, 'POST', '/v2/share-backups', {'share_backup': {
        'share_id': share_id}})


def _fault(resp, code):
    assert resp.status_int == code, resp.body
    return resp.json_body_or_none['overLimit']['message']


def _delete(client, backup_id):
    resp = call(client, 'DELETE', '/v2/share-backups/' + backup_id)
    assert resp.status_int == 202, resp.body
    wait_backup(client, backup_id, None)


def test_quota_set_shows_backup_resources_from_2_80(stack):
    body = call(stack, 'GET', QS).json_body_or_none['quota_set']
    assert (body['backups'], body['backup_gigabytes']) == (10, 1000)
    _set(stack, backups=3, backup_gigabytes=30)
    body = call(stack, 'GET', QS, version='2.80').json_body_or_none[
        'quota_set']
    assert (body['backups'], body['backup_gigabytes']) == (3, 30)
    body = call(stack, 'GET', QS, version='2.79').json_body_or_none[
        'quota_set']
    assert 'backups' not in body and 'backup_gigabytes' not in body


def test_backup_count_over_quota_is_413_then_released_on_delete(stack):
    share_id = make_share(stack)
    _set(stack, backups=1)
    resp = _create(stack, share_id)
    assert resp.status_int == 202, resp.body
    first = resp.json_body_or_none['share_backup']['id']
    assert _used(stack) == (1, 1)
    wait_backup(stack, first, 'available')
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    assert _fault(_create(stack, share_id), 413) == (
        'BackupLimitExceeded: Maximum number of backups allowed (1) '
        'exceeded.')
    # Nothing of the refused one: no row, no charge, share untouched.
    assert _used(stack) == (1, 1)
    listed = call(stack, 'GET', '/v2/share-backups').json_body_or_none
    assert [b['id'] for b in listed['share_backups']] == [first]
    assert call(stack, 'GET', '/v2/shares/' + share_id).json_body_or_none[
        'share']['status'] == 'available'
    _delete(stack, first)
    assert _used(stack) == (0, 0)
    assert _create(stack, share_id).status_int == 202


def test_backup_gigabytes_over_quota_is_413_with_upstreams_numbers(stack):
    share_id = make_share(stack)
    _set(stack, backup_gigabytes=1)
    resp = _create(stack, share_id)
    assert resp.status_int == 202, resp.body
    wait_backup(stack, resp.json_body_or_none['share_backup']['id'],
                'available')
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    assert _fault(_create(stack, share_id), 413) == (
        'ShareBackupSizeExceedsAvailableQuota: Requested backup exceeds '
        'allowed Backup gigabytes quota. Requested 1G, quota is 1G and '
        '1G has been consumed.')
    assert _used(stack) == (1, 1)


def test_a_failed_backup_keeps_its_charge_until_deleted(stack, monkeypatch):
    """As upstream: a backup in ``error`` is a row, and counts."""
    share_id = make_share(stack)

    def broken(self, backup):
        raise OSError('store offline')

    monkeypatch.setattr(local_store.LocalStore, 'prepare', broken)
    resp = _create(stack, share_id)
    backup_id = resp.json_body_or_none['share_backup']['id']
    wait_backup(stack, backup_id, 'error')
    assert _used(stack) == (1, 1)
    monkeypatch.undo()
    _delete(stack, backup_id)
    assert _used(stack) == (0, 0)


def test_destroy_releases_once_when_two_race(stack):
    ctx = context.get_admin_context()
    share_id = make_share(stack)
    resp = _create(stack, share_id)
    backup_id = resp.json_body_or_none['share_backup']['id']
    wait_backup(stack, backup_id, 'available')
    # Another backup's charge, so a second release would show.
    other = make_share(stack)
    resp = _create(stack, other)
    wait_backup(stack, resp.json_body_or_none['share_backup']['id'],
                'available')
    assert _used(stack) == (2, 2)
    backup_db.backup_destroy(ctx, backup_id)
    backup_db.backup_destroy(ctx, backup_id)
    assert _used(stack) == (1, 1)


def test_concurrent_creates_and_deletes_leave_usage_exact(stack):
    """Eight threads through the API at once, four backups allowed:
    exactly four are taken, usage equals the rows, then deletes racing
    creates end with usage equal to what is left."""
    shares = [make_share(stack) for _ in range(8)]
    _set(stack, backups=4)
    results = {}
    go = threading.Barrier(len(shares))

    def create(share_id):
        go.wait()
        results[share_id] = _create(stack, share_id)

    threads = [threading.Thread(target=create, args=(s,)) for s in shares]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_int for r in results.values())
    assert codes == [202] * 4 + [413] * 4
    taken = {s: r.json_body_or_none['share_backup']['id']
             for s, r in results.items() if r.status_int == 202}
    assert _used(stack) == (4, 4)
    for backup_id in taken.values():
        wait_backup(stack, backup_id, 'available')
    for share_id in taken:
        wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
                 'available')

    # Two deletes race two creates of the shares that were refused.
    refused = [s for s in shares if s not in taken]
    doomed = list(taken.values())[:2]
    go = threading.Barrier(4)
    created = []

    def delete(backup_id):
        go.wait()
        assert call(stack, 'DELETE',
                    '/v2/share-backups/' + backup_id).status_int == 202

    def create_again(share_id):
        go.wait()
        created.append(_create(stack, share_id))

    threads = ([threading.Thread(target=delete, args=(b,)) for b in doomed]
               + [threading.Thread(target=create_again, args=(s,))
                  for s in refused[:2]])
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for backup_id in doomed:
        wait_backup(stack, backup_id, None)
    rows = call(stack, 'GET', '/v2/share-backups').json_body_or_none[
        'share_backups']
    assert _used(stack) == (len(rows), len(rows))
    assert 2 <= len(rows) <= 4
    # Whatever raced, what is left is within the limit and every create
    # either has its row or was refused with upstream's 413.
    for resp in created:
        assert resp.status_int in (202, 413), resp.body


def _messages(client, resource_id):
    resp = call(client, 'GET', '/v2/messages?resource_id=' + resource_id)
    assert resp.status_int == 200, resp.body
    return [(m['action_id'], m['detail_id'], m['resource_type'],
             m['user_message'])
            for m in resp.json_body_or_none['messages']]


def test_failed_backup_create_leaves_a_message(stack, monkeypatch):
    share_id = make_share(stack)

    def broken(self, backup):
        raise OSError('store offline')

    monkeypatch.setattr(local_store.LocalStore, 'prepare', broken)
    backup_id = _create(stack, share_id).json_body_or_none[
        'share_backup']['id']
    wait_backup(stack, backup_id, 'error')
    assert _messages(stack, backup_id) == [
        ('002', '001', 'SHARE_BACKUP',
         'create: An unknown error occurred.')]


def test_failed_backup_delete_leaves_a_message(stack, monkeypatch):
    share_id = make_share(stack)
    backup_id = _create(stack, share_id).json_body_or_none[
        'share_backup']['id']
    wait_backup(stack, backup_id, 'available')

    def broken(self, backup):
        raise OSError('store offline')

    monkeypatch.setattr(local_store.LocalStore, 'delete', broken)
    assert call(stack, 'DELETE',
                '/v2/share-backups/' + backup_id).status_int == 202
    wait_backup(stack, backup_id, 'error')
    assert _messages(stack, backup_id) == [
        ('007', '001', 'SHARE_BACKUP',
         'delete: An unknown error occurred.')]
    # Still there, still charged.
    assert _used(stack) == (1, 1)


def test_failed_restore_leaves_upstreams_message_on_the_share(
        stack, monkeypatch):
    share_id = make_share(stack)
    backup_id = _create(stack, share_id).json_body_or_none[
        'share_backup']['id']
    wait_backup(stack, backup_id, 'available')
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    monkeypatch.setattr(local_store.LocalStore, 'exists',
                        lambda self, backup: False)
    resp = call(stack, 'POST', '/v2/share-backups/%s/action' % backup_id,
                {'restore': None})
    assert resp.status_int == 202, resp.body
    wait_for(stack, '/v2/shares/' + share_id, 'share', 'status',
             'backup_restoring_error')
    assert _messages(stack, share_id) == [
        ('028', '001', 'SHARE',
         'restore share backup: An unknown error occurred.')]


def test_a_job_started_twice_at_once_runs_once(conf, db, admin_ctx,
                                               monkeypatch):
    """The cast and the periodic recovery start one backup at the same
    moment: both would claim it (same owner), run it twice and, if it
    failed, tell its owner twice."""
    from manila_lite.common import states
    from manila_lite.data import backup as data_backup

    stype = db.share_type_ensure(admin_ctx, 'default', {
        'driver_handles_share_servers': 'False'})
    share = db.share_create(
        admin_ctx, dict(project_id='p1', size=1, share_proto='NFS',
                        share_type_id=stype.id),
        dict(status=states.STATUS_AVAILABLE, host='node1@b1#pool1',
             share_type_id=stype.id))
    backup = backup_db.backup_create_for_share(admin_ctx, dict(
        project_id='p1', share_id=share.id, size=1,
        status=states.BACKUP_CREATING, store='local'),
        share.instances[0].id)
    runner = data_backup.BackupRunner(conf, 'node1')
    spawned = []
    monkeypatch.setattr(runner, '_spawn', spawned.append)
    real_get = backup_db.backup_get
    racing = []

    def get_then_race(ctx, backup_id):
        if not racing:
            # The other start arrives while this one is claiming.
            racing.append('other start')
            racing.append(runner.start(ctx, backup_id))
        return real_get(ctx, backup_id)

    monkeypatch.setattr(backup_db, 'backup_get', get_then_race)
    assert runner.start(admin_ctx, backup.id) is True
    assert racing == ['other start', False]
    assert spawned == [backup.id]
