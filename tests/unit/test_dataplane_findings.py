"""Issue #17's data-plane findings, each reproduced as it was found.

A user with write access to a share's files may put symlinks anywhere
in it and swap a directory for one at any moment; these tests do that
at the worst moment (right after the directory was listed) and check
that nothing outside the share is read, written, chmodded or removed.
"""

import os
import types
import uuid

import pytest

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.data import copy as copy_engine
from tests import files
from tests.unit.share.test_local_driver import _instance as _plain


def _instance():
    """An instance in pool p1 of this node's backend b1."""
    inst = _plain()
    inst.host = '%s@b1#p1' % _instance.conf.host
    return inst


@pytest.fixture(autouse=True)
def _node(conf):
    # Read when an instance is made: the driver fixture sets the host.
    _instance.conf = conf


def _canary(tmp_path):
    canary = tmp_path / 'canary'
    (canary / 'dir').mkdir(parents=True)
    (canary / 'dir' / 'f').write_bytes(b'SECRET outside the share')
    (canary / 'dir' / 'victim').write_bytes(b'must survive')
    os.chmod(canary / 'dir', 0o700)
    return canary


def _swap_after_listing(monkeypatch, directory, target):
    """Replace ``directory`` by a symlink to ``target`` right after it
    is first listed (by path or by descriptor)."""
    real = os.scandir
    directory = os.path.realpath(directory)
    done = []

    def scandir(arg='.'):
        if isinstance(arg, int):
            where = os.readlink('/proc/self/fd/%d' % arg)
        else:
            where = os.path.realpath(arg)
        entries = list(real(arg))
        if where == directory and not done:
            done.append(True)
            os.rename(directory, directory + '.moved')
            os.symlink(target, directory)
        return _Listing(entries)

    monkeypatch.setattr(os, 'scandir', scandir)
    return done


class _Listing:
    """What ``os.scandir`` returns: an iterator and a context."""

    def __init__(self, entries):
        self._it = iter(entries)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        pass


def _writable_pair(driver):
    active = _instance()
    active.share.replication_type = states.REPLICATION_TYPE_WRITABLE
    driver.create_share(None, active, 'p1')
    replica = _instance()
    replica.share = active.share
    driver.create_replica(None, active, replica, 'p1',
                          states.REPLICATION_TYPE_WRITABLE)
    return active, replica


# --- 1: writable-replica sync wrote, chmodded and deleted outside ------------
def test_1_merge_never_writes_or_chmods_through_a_link(driver,
                                                       tmp_path):
    canary = _canary(tmp_path)
    before = files.observed(canary)
    active, replica = _writable_pair(driver)
    a, b = driver.share_path(active), driver.share_path(replica)
    os.symlink(canary / 'dir', os.path.join(b, 'd'))
    os.mkdir(os.path.join(a, 'd'), 0o777)
    with open(os.path.join(a, 'd', 'payload'), 'w') as f:
        f.write('written by the active replica')
    os.utime(os.path.join(b, 'd'), ns=(1, 1), follow_symlinks=False)
    assert driver.update_replica_state(
        None, active, replica, states.REPLICATION_TYPE_WRITABLE) == \
        states.REPLICA_STATE_ACTIVE
    assert files.observed(canary) == before
    # The newer directory won, inside the replica.
    assert os.path.isdir(os.path.join(b, 'd')) and \
        not os.path.islink(os.path.join(b, 'd'))
    with open(os.path.join(b, 'd', 'payload')) as f:
        assert f.read() == 'written by the active replica'


def test_1_merge_never_deletes_through_a_swapped_directory(
        driver, tmp_path, monkeypatch):
    canary = _canary(tmp_path)
    before = files.observed(canary)
    active, replica = _writable_pair(driver)
    a, b = driver.share_path(active), driver.share_path(replica)
    os.mkdir(os.path.join(a, 'dir'))
    with open(os.path.join(a, 'dir', 'victim'), 'w') as f:
        f.write('synced once')
    driver.update_replica_state(None, active, replica,
                                states.REPLICATION_TYPE_WRITABLE)
    assert os.path.exists(os.path.join(b, 'dir', 'victim'))
    # Deleted on the active side: the next sync deletes it on the
    # replica, whose 'dir' becomes a link to the canary meanwhile.
    os.unlink(os.path.join(a, 'dir', 'victim'))
    swapped = _swap_after_listing(monkeypatch, os.path.join(b, 'dir'),
                                  canary / 'dir')
    try:
        driver.update_replica_state(None, active, replica,
                                    states.REPLICATION_TYPE_WRITABLE)
    except exceptions.ShareBackendException as exc:
        assert 'dir' in str(exc)
    monkeypatch.undo()
    assert swapped
    assert files.observed(canary) == before


# --- 2: copies read outside when a directory was swapped mid-copy ------------
@pytest.mark.parametrize('incremental', [False, True])
def test_2_copy_never_reads_through_a_swapped_directory(
        tmp_path, monkeypatch, incremental):
    canary = _canary(tmp_path)
    before = files.observed(canary)
    src = tmp_path / 'src'
    (src / 'dir').mkdir(parents=True)
    (src / 'dir' / 'f').write_bytes(b'inside')
    swapped = _swap_after_listing(monkeypatch, src / 'dir', canary / 'dir')
    dest = tmp_path / 'dest'
    result = copy_engine.CopyJob(str(src), str(dest),
                                 incremental=incremental).run()
    monkeypatch.undo()
    assert swapped
    for dirpath, _dirs, names in os.walk(dest):
        for name in names:
            with open(os.path.join(dirpath, name), 'rb') as f:
                assert b'SECRET' not in f.read()
    if result.state != 'completed':
        assert 'dir' in result.error
    assert files.observed(canary) == before


def test_2_snapshot_never_reads_outside(driver, tmp_path,
                                       monkeypatch):
    canary = _canary(tmp_path)
    inst = _instance()
    driver.create_share(None, inst, 'p1')
    path = driver.share_path(inst)
    os.mkdir(os.path.join(path, 'dir'))
    with open(os.path.join(path, 'dir', 'f'), 'w') as f:
        f.write('inside')
    _swap_after_listing(monkeypatch, os.path.join(path, 'dir'),
                        canary / 'dir')
    snap = types.SimpleNamespace(id=str(uuid.uuid4()))
    with pytest.raises(exceptions.ShareBackendException) as info:
        driver.create_snapshot(None, snap, inst)
    assert 'dir' in str(info.value)
    monkeypatch.undo()
    assert not os.path.exists(driver._snapshot_path(snap, inst))


# --- 3 (the driver's half): the exports file only holds real clients ---------
@pytest.mark.parametrize('access_type,access_to', [
    ('ip', 'abcd\n'),
    ('ip', '10.0.0.1\n10.0.0.2(rw,no_root_squash)'),
    ('cert', 'x *(rw,no_root_squash,insecure) y'),
    ('user', 'line1\nline2'),
    ('user', 'alice(rw)'),
    ('cephx', 'a\x00b'),
])
def test_3_exports_writer_refuses_injected_text(driver, tmp_path,  # noqa
                                                access_type, access_to):
    inst = _instance()
    driver.create_share(None, inst, 'p1')
    exports = tmp_path / 'p1' / 'exports'
    good = types.SimpleNamespace(access_type='ip', access_to='10.0.0.9',
                                 access_level='rw')
    driver.update_access(None, inst, [good])
    before = exports.read_text()
    bad = types.SimpleNamespace(access_type=access_type,
                                access_to=access_to, access_level='rw')
    with pytest.raises(exceptions.ShareBackendException) as info:
        driver.update_access(None, inst, [good, bad])
    assert 'not valid' in str(info.value)
    assert exports.read_text() == before
    # A sidecar holding such a rule (written before this check) does
    # not reach the file either.
    driver._write_sidecar(inst, rules=[
        {'access_type': access_type, 'access_to': access_to,
         'access_level': 'rw'}])
    driver._render_exports(str(tmp_path / 'p1'))
    lines = exports.read_text().splitlines()
    assert len(lines) == 2
    assert lines[1] == '%s -' % driver.share_path(inst)


# --- 4: torn files -----------------------------------------------------------
@pytest.mark.parametrize('incremental', [False, True])
def test_4_file_rewritten_during_its_copy_is_not_torn(
        tmp_path, monkeypatch, incremental):
    src = tmp_path / 'src'
    src.mkdir()
    (src / 'f').write_bytes(b'old' * 1000)
    new = b'NEW!' * 5000
    real = os.copy_file_range
    rewritten = []

    def rewrite_then_copy(*args):
        if not rewritten:
            rewritten.append(True)
            with open(src / 'f', 'r+b') as f:  # same inode, new content
                f.write(new)
        return real(*args)

    monkeypatch.setattr(os, 'copy_file_range', rewrite_then_copy)
    result = copy_engine.CopyJob(str(src), str(tmp_path / 'd'),
                                 incremental=incremental).run()
    assert rewritten
    assert result.state == 'completed', result.error
    assert (tmp_path / 'd' / 'f').read_bytes() == (src / 'f').read_bytes()


def test_4_file_that_keeps_changing_fails_the_copy(tmp_path, monkeypatch):
    src = tmp_path / 'src'
    src.mkdir()
    (src / 'f').write_bytes(b'x' * 100)
    real = os.copy_file_range

    def grow_then_copy(*args):
        with open(src / 'f', 'ab') as f:
            f.write(b'more')
        return real(*args)

    monkeypatch.setattr(os, 'copy_file_range', grow_then_copy)
    result = copy_engine.CopyJob(str(src), str(tmp_path / 'd')).run()
    assert result.state == 'error'
    assert 'f kept changing' in result.error
    assert not (tmp_path / 'd' / 'f').exists()


# --- 5: names ----------------------------------------------------------------
NAMES = ['n' * 255, 'user-file.mltmp', 'two\nlines', 'x' * 249 + '.mltmp',
         '\udcff-not-utf8']


def _named_tree(root):
    os.makedirs(os.path.join(root, 'sub'))
    for name in NAMES:
        for where in (root, os.path.join(root, 'sub')):
            with open(os.path.join(where, name), 'w') as f:
                f.write(name.encode('utf-8', 'surrogateescape').hex())
    os.symlink('target', os.path.join(root, 'l' * 255))


@pytest.mark.parametrize('incremental', [False, True])
def test_5_any_name_copies(tmp_path, incremental):
    src = str(tmp_path / 'src')
    _named_tree(src)
    dest = str(tmp_path / 'dest')
    if incremental:
        os.makedirs(os.path.join(dest, 'sub'))
        with open(os.path.join(dest, 'sub', NAMES[0]), 'w') as f:
            f.write('stale')
    result = copy_engine.CopyJob(src, dest, incremental=incremental).run()
    assert result.state == 'completed', result.error
    copied, source = files.observed(dest), files.observed(src)
    assert copied.keys() == source.keys()
    for rel, item in source.items():
        assert copied[rel][-1] == item[-1]
    # A second pass has nothing to copy and removes nothing of the user's.
    again = copy_engine.CopyJob(src, dest, incremental=True).run()
    assert again.state == 'completed'
    assert again.files_copied == 0 and again.removed == 0


def test_5_driver_migration_and_replica_copy_long_names(driver,  # noqa
                                                       tmp_path):
    active = _instance()
    active.share.replication_type = states.REPLICATION_TYPE_READABLE
    driver.create_share(None, active, 'p1')
    _named_tree_in = driver.share_path(active)
    for name in NAMES:
        with open(os.path.join(_named_tree_in, name), 'w') as f:
            f.write('data')
    replica = _instance()
    replica.share = active.share
    driver.create_replica(None, active, replica, 'p1',
                          states.REPLICATION_TYPE_READABLE)
    assert sorted(os.listdir(driver.share_path(replica))) == sorted(NAMES)
    snap = types.SimpleNamespace(id=str(uuid.uuid4()))
    loc = driver.create_snapshot(None, snap, active)['provider_location']
    assert sorted(os.listdir(loc)) == sorted(NAMES)


def test_5_lost_and_found_ignored_at_the_root_only(tmp_path):
    src = tmp_path / 'src'
    (src / 'lost+found').mkdir(parents=True)
    (src / 'a' / 'lost+found').mkdir(parents=True)
    (src / 'a' / 'lost+found' / 'mine').write_text('a user file')
    dest = tmp_path / 'dest'
    result = copy_engine.CopyJob(str(src), str(dest),
                                 ignore=['lost+found']).run()
    assert result.state == 'completed'
    assert not (dest / 'lost+found').exists()
    assert (dest / 'a' / 'lost+found' / 'mine').read_text() == 'a user file'


# --- 6: a delete during a copy leaves nothing behind -------------------------
def test_6_delete_during_a_copy_removes_the_destination(driver,  # noqa
                                                        tmp_path,
                                                        monkeypatch):
    src = tmp_path / 'src'
    for d in range(20):
        (src / ('d%02d' % d)).mkdir(parents=True)
        for i in range(20):
            (src / ('d%02d' % d) / ('f%02d' % i)).write_bytes(b'x' * 100)
    dest = _instance()
    driver.create_share(None, dest, 'p1')
    path = driver.share_path(dest)
    real = os.copy_file_range
    deleted = []

    def delete_midway(*args):
        if len(os.listdir(path)) > 5 and not deleted:
            deleted.append(True)
            # The delete runs while the copy goes on creating files.
            driver.delete_share(None, dest)
        return real(*args)

    monkeypatch.setattr(os, 'copy_file_range', delete_midway)
    result = copy_engine.CopyJob(str(src), path, workers=1).run()
    monkeypatch.undo()
    assert deleted
    assert result.state == 'error'
    assert not os.path.lexists(path)
    assert not os.path.lexists(path + '.json')


def test_6_start_up_reports_and_removes_orphans(driver, conf,  # noqa
                                                tmp_path):
    kept, orphan = _instance(), _instance()
    for inst in (kept, orphan):
        driver.create_share(None, inst, 'p1')
    snap_dir = tmp_path / 'p1' / 'snapshots' / str(uuid.uuid4())
    snap_dir.mkdir()
    found = driver.reconcile(None, [kept.id], [])
    assert sorted(found) == sorted([
        driver.share_path(orphan), driver.share_path(orphan) + '.json',
        str(snap_dir)])
    assert os.path.isdir(driver.share_path(orphan))   # only reported
    conf.set_override('local_remove_orphans', True, group='b1')
    driver.reconcile(None, [kept.id], [])
    assert not os.path.lexists(driver.share_path(orphan))
    assert not os.path.lexists(driver.share_path(orphan) + '.json')
    assert not snap_dir.exists()
    assert os.path.isdir(driver.share_path(kept))


# --- 7: a dr replica is never exported until promoted ------------------------
def test_7_ensure_gives_a_dr_replica_no_export_location(driver):  # noqa
    active = _instance()
    active.share.replication_type = states.REPLICATION_TYPE_DR
    active.replica_state = states.REPLICA_STATE_ACTIVE
    driver.create_share(None, active, 'p1')
    replica = _instance()
    replica.share = active.share
    replica.replica_state = states.REPLICA_STATE_IN_SYNC
    created = driver.create_replica(None, active, replica, 'p1',
                                    states.REPLICATION_TYPE_DR)
    assert created['export_locations'] == []
    updates = driver.ensure_shares(None, [active, replica])
    assert updates[replica.id] == {'export_locations': [],
                                   'status': states.STATUS_AVAILABLE}
    assert updates[active.id]['export_locations']
    # Resync reports no exports; promote exports only the promoted one.
    driver.update_replica_state(None, active, replica,
                                states.REPLICATION_TYPE_DR)
    exports = driver.promote_replica(None, [active], replica,
                                     states.REPLICATION_TYPE_DR)
    assert exports[replica.id] and exports[active.id] == []
