"""The copy engine against real files in temporary directories."""

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from manila_lite.data import copy


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
                with open(path, 'rb') as f:
                    item['sha'] = hashlib.sha256(f.read()).hexdigest()
                item['mtime'] = st.st_mtime_ns
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


def make_tree(root, files=30):
    os.makedirs(os.path.join(root, 'a', 'b', 'empty'))
    for i in range(files):
        with open(os.path.join(root, 'a', 'f%d' % i), 'wb') as f:
            f.write(os.urandom(997 * i))
    os.chmod(os.path.join(root, 'a', 'f3'), 0o604)
    os.symlink('f1', os.path.join(root, 'a', 'rel-link'))
    os.symlink('/nonexistent/target', os.path.join(root, 'dangling'))
    os.symlink('a/b', os.path.join(root, 'dir-link'))
    os.link(os.path.join(root, 'a', 'f2'), os.path.join(root, 'a', 'b', 'h'))
    with open(os.path.join(root, 'sparse'), 'wb') as f:
        f.seek(64 * 1024 * 1024)
        f.write(b'end')
    os.mkfifo(os.path.join(root, 'fifo'))
    try:
        os.setxattr(os.path.join(root, 'a', 'f4'), 'user.tag', b'blue')
    except OSError:
        pass  # this file system has no user xattrs: compared as absent
    os.utime(os.path.join(root, 'a', 'b'), ns=(10 ** 9, 2 * 10 ** 9))


@pytest.fixture
def src(tmp_path):
    root = str(tmp_path / 'src')
    make_tree(root)
    return root


def test_copy_preserves_everything(src, tmp_path):
    before = tree_state(src)
    dest = str(tmp_path / 'dest')
    result = copy.CopyJob(src, dest, workers=4).run()
    assert result.state == 'completed', result.error
    assert tree_state(dest) == before
    assert tree_state(src) == before
    assert result.bytes_done == result.bytes_total
    assert result.files_done == result.files_total
    sparse = os.stat(os.path.join(dest, 'sparse'))
    assert sparse.st_blocks * 512 < 1024 * 1024
    assert (os.stat(os.path.join(dest, 'a', 'f2')).st_ino
            == os.stat(os.path.join(dest, 'a', 'b', 'h')).st_ino)


def test_progress_is_bounded_and_exact(src, tmp_path):
    seen = []
    result = copy.CopyJob(src, str(tmp_path / 'd'), progress=seen.append,
                          progress_interval=0.2).run()
    assert result.state == 'completed'
    last = seen[-1]
    assert (last.bytes_done, last.files_done) == (
        last.bytes_total, last.files_total)
    assert len(seen) <= 2 + result.elapsed / 0.2 + 1
    pairs = zip(seen, seen[1:], strict=False)
    assert all(a.bytes_done <= b.bytes_done for a, b in pairs)


def test_verify_reports_mismatch(src, tmp_path, monkeypatch):
    dest = str(tmp_path / 'd')
    real = copy.file_digest
    calls = []

    def digest(path, algorithm='blake2b', cancel=None):
        calls.append(path)
        value = real(path, algorithm, cancel)
        # Pretend the destination copy of f7 got corrupted on disk.
        if path.startswith(dest) and os.path.basename(path).startswith(
                'f7'):
            return 'corrupted'
        return value

    monkeypatch.setattr(copy, 'file_digest', digest)
    result = copy.CopyJob(src, dest, verify=True).run()
    assert result.state == 'error'
    assert result.mismatches == [os.path.join('a', 'f7')]
    assert 'a/f7' in result.error
    assert calls


def test_incremental_copies_changes_and_removes_extras(src, tmp_path):
    dest = str(tmp_path / 'd')
    assert copy.CopyJob(src, dest).run().state == 'completed'
    with open(os.path.join(src, 'a', 'f5'), 'wb') as f:
        f.write(b'new content')
    os.unlink(os.path.join(src, 'a', 'f6'))
    with open(os.path.join(dest, 'stray'), 'w') as f:
        f.write('not in source')
    result = copy.CopyJob(src, dest, incremental=True).run()
    assert result.state == 'completed'
    assert result.files_copied == 1
    assert result.bytes_copied == len(b'new content')
    assert result.removed == 2
    assert tree_state(dest) == tree_state(src)


def test_cancel_inside_a_large_file(tmp_path):
    src = tmp_path / 's'
    src.mkdir()
    with open(src / 'big', 'wb') as f:
        for _ in range(64):
            f.write(os.urandom(1024 * 1024))
    job = copy.CopyJob(str(src), str(tmp_path / 'd'), chunk_size=256 * 1024)
    # Cancel as soon as the first chunk moved.
    job._add_orig = job._add

    def add(nbytes=0, nfiles=0, current=None):
        job._add_orig(nbytes, nfiles, current)
        if nbytes:
            job.cancel()

    job._add = add
    started = time.monotonic()
    result = job.run()
    assert result.state == 'cancelled'
    assert time.monotonic() - started < 1.0
    assert os.listdir(tmp_path / 'd') == []


def test_bad_inputs_name_the_path(tmp_path, src):
    result = copy.CopyJob(str(tmp_path / 'missing'), str(tmp_path / 'd'))\
        .run()
    assert result.state == 'error' and 'missing' in result.error
    result = copy.CopyJob(src, os.path.join(src, 'a', 'inner')).run()
    assert result.state == 'error' and 'inside the source' in result.error
    if os.geteuid() != 0:
        os.chmod(os.path.join(src, 'a', 'f9'), 0)
        result = copy.CopyJob(src, str(tmp_path / 'd2')).run()
        assert result.state == 'error' and 'f9' in result.error


_CHILD = '''
import sys, time
from manila_lite.data import copy
job = copy.CopyJob(sys.argv[1], sys.argv[2], checkpoint=sys.argv[3],
                   workers=2, chunk_size=64 * 1024)
orig = job._copy_range
def slow(*args):
    time.sleep(0.02)
    return orig(*args)
job._copy_range = slow
job.run()
'''


def test_resume_after_kill_9(tmp_path):
    src = tmp_path / 's'
    (src / 'd').mkdir(parents=True)
    for i in range(200):
        with open(src / 'd' / ('f%03d' % i), 'wb') as f:
            f.write(os.urandom(64 * 1024 + i))
    dest, ckpt = tmp_path / 'dest', tmp_path / 'ckpt'
    child = subprocess.Popen(
        [sys.executable, '-c', _CHILD, str(src), str(dest), str(ckpt)],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.dirname(os.path.abspath(__file__))))))
    deadline = time.monotonic() + 30
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
    assert result.files_copied <= 200 - done_before + 2
    assert tree_state(str(dest)) == tree_state(str(src))
    assert not [n for n in os.listdir(dest / 'd')
                if n.endswith(copy.TMP_SUFFIX)]


def test_cancel_from_another_thread(tmp_path):
    src = tmp_path / 's'
    src.mkdir()
    for i in range(300):
        (src / ('f%d' % i)).write_bytes(os.urandom(32 * 1024))
    job = copy.CopyJob(str(src), str(tmp_path / 'd'), workers=2)
    timer = threading.Timer(0.01, job.cancel)
    timer.start()
    result = job.run()
    timer.join()
    assert result.state in ('cancelled', 'completed')
    if result.state == 'cancelled':
        assert not [n for n in os.listdir(tmp_path / 'd')
                    if n.endswith(copy.TMP_SUFFIX)]
