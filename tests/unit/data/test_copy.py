"""The copy engine against real files in temporary directories."""

import errno
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from manila_lite.data import copy

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def _read(path):
    """Contents without touching the atime (as the engine reads)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOATIME)
    except PermissionError:
        fd = os.open(path, os.O_RDONLY)
    with open(fd, 'rb') as f:
        return f.read()


def tree_state(root):
    """Everything that must survive a copy, per relative path."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            item = {'mode': st.st_mode, 'uid': st.st_uid, 'gid': st.st_gid}
            if os.path.islink(path):
                item['target'] = os.readlink(path)
            elif os.path.isfile(path):
                item['sha'] = hashlib.sha256(_read(path)).hexdigest()
                item['times'] = (st.st_atime_ns, st.st_mtime_ns)
                item['nlink'] = st.st_nlink
            elif os.path.isdir(path):
                item['mtime'] = st.st_mtime_ns
            try:
                item['xattrs'] = {n: os.getxattr(path, n) for n in
                                  os.listxattr(path, follow_symlinks=False)}
            except OSError:
                pass
            state[rel] = item
    return state


def user_xattrs_supported(directory):
    probe = os.path.join(directory, '.xattr-probe')
    with open(probe, 'w'):
        pass
    try:
        os.setxattr(probe, 'user.probe', b'1')
        return True
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise
    finally:
        os.unlink(probe)


def make_tree(root, files=30):
    os.makedirs(os.path.join(root, 'a', 'b', 'empty'))
    for i in range(files):
        with open(os.path.join(root, 'a', 'f%d' % i), 'wb') as f:
            f.write(os.urandom(997 * i))
    os.chmod(os.path.join(root, 'a', 'f3'), 0o604)
    os.chmod(os.path.join(root, 'a', 'f8'), 0o4755)
    os.utime(os.path.join(root, 'a', 'f5'), ns=(123456789, 987654321))
    os.symlink('f1', os.path.join(root, 'a', 'rel-link'))
    os.symlink('/nonexistent/target', os.path.join(root, 'dangling'))
    os.symlink('a/b', os.path.join(root, 'dir-link'))
    os.link(os.path.join(root, 'a', 'f2'), os.path.join(root, 'a', 'b', 'h'))
    with open(os.path.join(root, 'sparse'), 'wb') as f:
        f.write(b'head')
        f.seek(64 * 1024 * 1024)
        f.write(b'end')
    with open(os.path.join(root, 'hole-at-end'), 'wb') as f:
        f.truncate(8 * 1024 * 1024)
    os.mkfifo(os.path.join(root, 'fifo'))
    # Ignored at the root only: a user's own a/lost+found is copied.
    for parent in (root, os.path.join(root, 'a')):
        os.makedirs(os.path.join(parent, 'lost+found'))
        with open(os.path.join(parent, 'lost+found', 'junk'), 'w') as f:
            f.write('ignored at the root')
    os.chmod(os.path.join(root, 'a', 'b'), 0o2750)
    os.utime(os.path.join(root, 'a', 'b'), ns=(10 ** 9, 2 * 10 ** 9))


def without_ignored(state):
    return {k: v for k, v in state.items()
            if k.split('/')[0] != 'lost+found'}


@pytest.fixture
def src(tmp_path):
    root = str(tmp_path / 'src')
    make_tree(root)
    return root


def test_copy_preserves_everything(src, tmp_path):
    before = tree_state(src)
    dest = str(tmp_path / 'dest')
    result = copy.CopyJob(src, dest, workers=4,
                          ignore=['lost+found']).run()
    assert result.state == 'completed', result.error
    assert tree_state(dest) == without_ignored(before)
    assert tree_state(src) == before   # not even an atime changed
    junk = len('ignored at the root')  # a/lost+found/junk
    assert result.bytes_done == result.bytes_total == sum(
        997 * i for i in range(30)) + 64 * 1024 * 1024 + 3 + 8 * 2 ** 20 \
        + junk
    assert result.files_done == result.files_total == 30 + 3 + 3 + 1 + 1
    for name, most in (('sparse', 1024 * 1024), ('hole-at-end', 0)):
        st = os.stat(os.path.join(dest, name))
        assert st.st_blocks * 512 <= most
    assert os.path.samefile(os.path.join(dest, 'a', 'f2'),
                            os.path.join(dest, 'a', 'b', 'h'))
    assert not os.path.exists(os.path.join(dest, 'lost+found'))
    assert os.path.isfile(os.path.join(dest, 'a', 'lost+found', 'junk'))


def test_xattrs_on_files_and_directories(tmp_path):
    src = tmp_path / 's'
    (src / 'd').mkdir(parents=True)
    (src / 'd' / 'f').write_bytes(b'data')
    if not user_xattrs_supported(str(src)):
        pytest.skip('this file system has no user xattrs')
    os.setxattr(src / 'd' / 'f', 'user.colour', b'blue')
    os.setxattr(src / 'd', 'user.owner', b'team-a')
    result = copy.CopyJob(str(src), str(tmp_path / 'd')).run()
    assert result.state == 'completed'
    assert os.getxattr(tmp_path / 'd' / 'd' / 'f', 'user.colour') == b'blue'
    assert os.getxattr(tmp_path / 'd' / 'd', 'user.owner') == b'team-a'
    # An incremental pass brings xattrs of unchanged files up to date.
    os.setxattr(src / 'd' / 'f', 'user.colour', b'red')
    result = copy.CopyJob(str(src), str(tmp_path / 'd'),
                          incremental=True).run()
    assert result.files_copied == 0
    assert os.getxattr(tmp_path / 'd' / 'd' / 'f', 'user.colour') == b'red'


def test_progress_is_bounded_and_exact(tmp_path, monkeypatch):
    src = tmp_path / 's'
    src.mkdir()
    for i in range(40):
        (src / ('f%d' % i)).write_bytes(os.urandom(64 * 1024))
    real = os.copy_file_range

    def slow_copy(*args):
        time.sleep(0.02)  # a slow disk: the copy lasts about 0.8 s
        return real(*args)

    monkeypatch.setattr(os, 'copy_file_range', slow_copy)
    seen = []
    result = copy.CopyJob(str(src), str(tmp_path / 'd'), workers=1,
                          progress=seen.append, progress_interval=0.1).run()
    assert result.state == 'completed'
    assert seen[0].elapsed < 0.1   # a first figure at once
    last = seen[-1]
    assert (last.bytes_done, last.files_done) == (40 * 64 * 1024, 40)
    assert (last.bytes_total, last.files_total) == (40 * 64 * 1024, 40)
    assert not last.planning and last.rate_bps > 0
    # Start, end and one per interval at most.
    assert 4 <= len(seen) <= 2 + result.elapsed / 0.1 + 1
    assert any(p.current_path.startswith('f') for p in seen[1:-1])
    for a, b in zip(seen, seen[1:], strict=False):
        assert a.bytes_done <= b.bytes_done and a.files_done <= b.files_done


def test_verify_reports_a_corrupted_destination(src, tmp_path, monkeypatch):
    real = os.copy_file_range

    def corrupting_copy(fin, fout, count, offset_src=None, offset_dst=None):
        n = real(fin, fout, count, offset_src, offset_dst)
        if os.readlink('/proc/self/fd/%d' % fout).endswith('/f7'):
            os.pwrite(fout, b'\xff', offset_dst)  # a bad sector
        return n

    monkeypatch.setattr(os, 'copy_file_range', corrupting_copy)
    # The default digest (xxh3-128) and every selectable one catch it.
    for algorithm in ('auto', 'xxh3_128', 'sha256', 'blake2b', 'md5'):
        dest = str(tmp_path / ('d-' + algorithm))
        result = copy.CopyJob(src, dest, verify=True,
                              algorithm=algorithm).run()
        assert result.state == 'error'
        assert result.mismatches == ['a/f7']
        assert 'a/f7' in result.error
        assert result.algorithm == (
            'xxh3_128' if algorithm == 'auto' else algorithm)
        # The bad copy never takes the real name.
        assert not os.path.exists(os.path.join(dest, 'a', 'f7'))


def test_digest_choice_is_recorded_and_checked(src, tmp_path):
    result = copy.CopyJob(src, str(tmp_path / 'd'), verify=True).run()
    assert result.state == 'completed' and result.algorithm == 'xxh3_128'
    assert tree_state(str(tmp_path / 'd')) == tree_state(src)
    # Without verification no digest is claimed.
    result = copy.CopyJob(src, str(tmp_path / 'e')).run()
    assert result.state == 'completed' and result.algorithm == ''
    with pytest.raises(ValueError, match='unsupported hash type'):
        copy.CopyJob(src, str(tmp_path / 'f'), algorithm='nope')


def test_verify_passes_with_links_of_every_kind(src, tmp_path):
    result = copy.CopyJob(src, str(tmp_path / 'd'), verify=True).run()
    assert result.state == 'completed', result.error
    assert result.mismatches == []


def test_incremental_copies_changes_and_removes_extras(src, tmp_path):
    dest = str(tmp_path / 'd')
    ignore = ['lost+found']
    assert copy.CopyJob(src, dest, ignore=ignore).run().state == 'completed'
    os.makedirs(os.path.join(dest, 'lost+found'))   # ignored: kept
    with open(os.path.join(src, 'a', 'f5'), 'wb') as f:
        f.write(b'new content')
    os.unlink(os.path.join(src, 'a', 'f6'))
    os.chmod(os.path.join(src, 'a', 'f9'), 0o640)   # metadata only
    with open(os.path.join(dest, 'stray'), 'w') as f:
        f.write('not in source')
    os.makedirs(os.path.join(dest, 'stray-dir', 'deeper'))
    result = copy.CopyJob(src, dest, incremental=True, ignore=ignore).run()
    assert result.state == 'completed'
    assert result.files_copied == 1
    assert result.bytes_copied == len(b'new content')
    assert result.removed == 3
    assert os.path.isdir(os.path.join(dest, 'lost+found'))
    os.rmdir(os.path.join(dest, 'lost+found'))
    assert tree_state(dest) == without_ignored(tree_state(src))


def test_incremental_with_checksums_sees_same_size_and_mtime(src, tmp_path):
    dest = str(tmp_path / 'd')
    assert copy.CopyJob(src, dest).run().state == 'completed'
    path = os.path.join(src, 'a', 'f4')
    st = os.stat(path)
    with open(path, 'r+b') as f:
        f.write(b'X')
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    plain = copy.CopyJob(src, dest, incremental=True).run()
    assert plain.files_copied == 0      # size and mtime cannot tell
    checked = copy.CopyJob(src, dest, incremental=True, verify=True).run()
    assert checked.state == 'completed'
    assert checked.files_copied == 1
    assert tree_state(dest) == tree_state(src)


def test_cancel_from_another_thread_inside_a_large_file(tmp_path,
                                                        monkeypatch):
    src = tmp_path / 's'
    src.mkdir()
    with open(src / 'big', 'wb') as f:
        for _ in range(32):
            f.write(os.urandom(1024 * 1024))
    digest = hashlib.sha256((src / 'big').read_bytes()).hexdigest()
    real = os.copy_file_range

    def slow_copy(*args):
        time.sleep(0.05)   # 32 chunks: 1.6 s for the whole file
        return real(*args)

    monkeypatch.setattr(os, 'copy_file_range', slow_copy)
    seen = []
    job = copy.CopyJob(str(src), str(tmp_path / 'd'), checkpoint=str(
        tmp_path / 'ckpt'), chunk_size=1024 * 1024, progress=seen.append,
        progress_interval=0.05)
    cancelled_at = []

    def cancel():
        cancelled_at.append(time.monotonic())
        job.cancel()

    timer = threading.Timer(0.3, cancel)
    timer.start()
    result = job.run()
    timer.join()
    assert result.state == 'cancelled'
    assert time.monotonic() - cancelled_at[0] < 1.0
    assert 0 < max(p.bytes_done for p in seen) < 32 * 1024 * 1024
    assert os.listdir(tmp_path / 'd') == []    # no partial file
    assert hashlib.sha256((src / 'big').read_bytes()).hexdigest() == digest
    # The same checkpoint then completes it.
    monkeypatch.setattr(os, 'copy_file_range', real)
    result = copy.CopyJob(str(src), str(tmp_path / 'd'),
                          checkpoint=str(tmp_path / 'ckpt')).run()
    assert result.state == 'completed'
    assert tree_state(str(tmp_path / 'd')) == tree_state(str(src))


def test_bad_inputs_name_the_path(tmp_path, src, monkeypatch):
    result = copy.CopyJob(str(tmp_path / 'missing'), str(tmp_path / 'd'))\
        .run()
    assert result.state == 'error' and 'missing' in result.error
    result = copy.CopyJob(src, os.path.join(src, 'a', 'inner')).run()
    assert result.state == 'error' and 'inside the source' in result.error
    assert not os.path.exists(os.path.join(src, 'a', 'inner'))
    # A file vanishing between the walk and its copy.
    real_plan = copy.plan_tree

    def plan_then_delete(*args, **kwargs):
        plan = real_plan(*args, **kwargs)
        os.unlink(os.path.join(src, 'a', 'f11'))
        return plan

    monkeypatch.setattr(copy.engine, 'plan_tree', plan_then_delete)
    result = copy.CopyJob(src, str(tmp_path / 'd1'), incremental=True).run()
    assert result.state == 'error'
    assert 'a/f11' in result.error and 'vanished' in result.error
    monkeypatch.setattr(copy.engine, 'plan_tree', real_plan)
    # No space left on the destination.
    real_range = os.copy_file_range

    def full_disk(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, 'copy_file_range', full_disk)
    result = copy.CopyJob(src, str(tmp_path / 'd2')).run()
    assert result.state == 'error' and 'no space left' in result.error
    monkeypatch.setattr(os, 'copy_file_range', real_range)
    if os.geteuid() != 0:
        os.chmod(os.path.join(src, 'a', 'f9'), 0)
        result = copy.CopyJob(src, str(tmp_path / 'd3')).run()
        assert result.state == 'error' and 'a/f9' in result.error


@pytest.mark.parametrize('refused', [
    ('copy_file_range',), ('copy_file_range', 'sendfile')])
def test_fallbacks_across_file_systems(src, tmp_path, monkeypatch, refused):
    def exdev(*args):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    def einval(*args):
        raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))

    monkeypatch.setattr(os, 'copy_file_range', exdev)
    if 'sendfile' in refused:
        monkeypatch.setattr(os, 'sendfile', einval)
    dest = str(tmp_path / 'd')
    result = copy.CopyJob(src, dest, chunk_size=4096).run()
    assert result.state == 'completed', result.error
    assert tree_state(dest) == tree_state(src)
    assert os.stat(os.path.join(dest, 'sparse')).st_blocks * 512 < 2 ** 20


_CHILD = '''
import os, sys, time
from manila_lite.data import copy
real = os.copy_file_range
def slow(*args):
    time.sleep(0.01)
    return real(*args)
os.copy_file_range = slow
copy.CopyJob(sys.argv[1], sys.argv[2], checkpoint=sys.argv[3], workers=2,
             chunk_size=64 * 1024).run()
'''


def test_resume_after_kill_9(tmp_path):
    src = tmp_path / 's'
    (src / 'd').mkdir(parents=True)
    for i in range(200):
        with open(src / 'd' / ('f%03d' % i), 'wb') as f:
            f.write(os.urandom(64 * 1024 + i))
    if user_xattrs_supported(str(src)):
        os.setxattr(src / 'd' / 'f150', 'user.k', b'v')
    os.symlink('d/f001', src / 'link')
    os.link(src / 'd' / 'f002', src / 'hard')
    dest, ckpt = tmp_path / 'dest', tmp_path / 'ckpt'
    child = subprocess.Popen(
        [sys.executable, '-c', _CHILD, str(src), str(dest), str(ckpt)],
        cwd=REPO)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if ckpt.exists() and len(ckpt.read_text().splitlines()) >= 40:
            break
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    done_before = len(ckpt.read_text().splitlines())
    assert 0 < done_before < 200
    result = copy.CopyJob(str(src), str(dest), checkpoint=str(ckpt)).run()
    assert result.state == 'completed'
    assert result.files_copied <= 200 - done_before
    assert tree_state(str(dest)) == tree_state(str(src))
    assert not [n for n in os.listdir(dest / 'd')
                if n.startswith(copy.TMP_PREFIX)]


def test_plan_tree_counts_once(src):
    plan = copy.plan_tree(src, ignore=['lost+found'])
    assert plan.files_total == 38
    assert [e.rel for e in plan.hardlinks] in (['a/b/h'], ['a/f2'])
    assert sorted(e.rel for e in plan.links) == [
        'a/rel-link', 'dangling', 'dir-link']


def test_digest_ignores_holes_but_not_bytes_in_them(tmp_path):
    sparse, dense, dirty = (tmp_path / n for n in ('s', 'd', 'x'))
    with open(sparse, 'wb') as f:
        f.write(b'a')
        f.seek(5 * 1024 * 1024 + 7)
        f.write(b'z')
    content = b'a' + bytes(5 * 1024 * 1024 + 6) + b'z'
    dense.write_bytes(content)
    dirty.write_bytes(content[:3 * 1024 * 1024] + b'\1'
                      + content[3 * 1024 * 1024 + 1:])
    for algorithm in ('sha256', 'xxh3_128'):
        digests = [copy.file_digest(str(p), algorithm) for p in
                   (sparse, dense, dirty)]
        assert digests[0] == digests[1] != digests[2]
    assert copy.file_digest(str(dense), 'md5') != digests[1]


def test_gate_opens_for_waiting_batches_only():
    gate = copy._Gate(4)
    assert gate.enter() is True            # the first batch runs alone
    gate.leave(True, wall=1.0, cpu=0.9)    # busy on the CPU: stay at one
    assert gate.enter() is True
    gate.leave(True, wall=1.0, cpu=0.1)    # one wait may be noise
    assert gate.enter() is True
    gate.leave(True, wall=1.0, cpu=0.1)    # two in a row: open up
    assert [gate.enter() for _ in range(3)] == [False] * 3
    for _ in range(3):
        gate.leave(False, wall=1.0, cpu=0.1)
    gate._probe_at = 0.0                   # a second later: re-measure
    assert gate.enter() is False           # admitted, closes behind it
    second = threading.Thread(target=gate.enter, daemon=True)
    second.start()
    second.join(0.2)
    assert second.is_alive()               # waits for the drain
    gate.leave(False, wall=1.0, cpu=0.1)
    second.join(2)
    assert not second.is_alive()
