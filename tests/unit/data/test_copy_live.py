"""The copy engine's passes over a source in use (writable migration):
an entry removed mid-pass is left to the next pass, and a change that
kept size and mtime (within the clock's granularity, or put back by the
writer) or only set an xattr after the pass read it is copied again by
the next pass once its ctime is newer than the previous pass."""

import os
import time

from manila_lite.data import copy


def _write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def _read(path):
    with open(path, 'rb') as f:
        return f.read()


def test_a_change_keeping_size_and_mtime_is_copied_by_the_next_pass(
        tmp_path):
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    src.mkdir()
    _write(src / 'a', b'x' * 100)
    _write(src / 'b', b'y' * 100)
    before = time.time_ns()
    assert copy.CopyJob(str(src), str(dst)).run().state == 'completed'
    st = os.stat(src / 'a')
    _write(src / 'a', b'z' * 100)
    os.utime(src / 'a', ns=(st.st_atime_ns, st.st_mtime_ns))
    os.setxattr(src / 'b', 'user.k', b'v')
    # Size and mtime decide alone: both changes are missed.
    plain = copy.CopyJob(str(src), str(dst), incremental=True).run()
    assert plain.state == 'completed'
    assert _read(dst / 'a') == b'x' * 100
    # With the previous pass's start as the recheck point they are not.
    result = copy.CopyJob(str(src), str(dst), incremental=True, live=True,
                          recheck_after_ns=before).run()
    assert result.state == 'completed'
    assert _read(dst / 'a') == b'z' * 100
    assert os.getxattr(dst / 'b', 'user.k') == b'v'
    assert result.files_copied == 2


def test_a_live_pass_leaves_removed_entries_to_the_next_pass(
        tmp_path, monkeypatch):
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    (src / 'd').mkdir(parents=True)
    for i in range(20):
        _write(src / 'd' / ('f%02d' % i), os.urandom(500))
    os.symlink('f00', src / 'd' / 'link')
    real = copy.CopyJob._copy_file
    removed = []

    def remove_then_copy(self, entry, *args):
        if not removed:
            # A user removes files the walk has listed.
            for name in ('f05', 'f06', 'link'):
                os.unlink(src / 'd' / name)
                removed.append(name)
        return real(self, entry, *args)

    monkeypatch.setattr(copy.CopyJob, '_copy_file', remove_then_copy)
    strict = copy.CopyJob(str(src), str(tmp_path / 'strict')).run()
    assert strict.state == 'error'
    assert 'vanished' in strict.error
    removed.clear()
    for name in ('f05', 'f06'):
        _write(src / 'd' / name, b'again')
    os.symlink('f00', src / 'd' / 'link')
    live = copy.CopyJob(str(src), str(dst), live=True).run()
    assert live.state == 'completed', live.error
    monkeypatch.setattr(copy.CopyJob, '_copy_file', real)
    final = copy.CopyJob(str(src), str(dst), incremental=True,
                         verify=True, verify_unchanged=False).run()
    assert final.state == 'completed', final.error
    assert sorted(os.listdir(dst / 'd')) == sorted(os.listdir(src / 'd'))
    for name in os.listdir(src / 'd'):
        if name != 'link':
            assert _read(dst / 'd' / name) == _read(src / 'd' / name)


def _after(path, when_ns):
    """Touch ``path`` until the file system's clock (a coarse one) has
    passed ``when_ns``: changes from now on get a newer ctime."""
    while True:
        _write(path, b'')
        if os.stat(path).st_ctime_ns > when_ns:
            return


def _names(root):
    return sorted(os.path.relpath(os.path.join(d, n), root)
                  for d, dirs, files in os.walk(root) for n in dirs + files)


def test_a_trusting_pass_takes_every_change_and_looks_at_nothing_else(
        tmp_path):
    """``trust_unchanged``: what changed since the previous pass (data,
    removals, renames across directories, a removed subtree, a new
    directory) is taken; an entry whose ctime is older is not looked at
    on the destination side at all (its damaged copy stays)."""
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    for d in ('d1', 'd2/sub', 'd4'):
        (src / d).mkdir(parents=True)
    for rel in ('d1/a', 'd1/b', 'd2/c', 'd2/sub/e', 'd4/g', 'f'):
        _write(src / rel, os.urandom(300))
    assert copy.CopyJob(str(src), str(dst)).run().state == 'completed'
    since = time.time_ns()
    _after(tmp_path / 'probe', since)
    _write(src / 'd1' / 'a', os.urandom(300))
    os.unlink(src / 'd2' / 'c')
    os.rename(src / 'd1' / 'b', src / 'd2' / 'b2')
    os.unlink(src / 'd2' / 'sub' / 'e')
    os.rmdir(src / 'd2' / 'sub')
    (src / 'd3').mkdir()
    _write(src / 'd3' / 'new', b'new')
    # Damage two copies whose sources did not change since.
    _write(dst / 'f', b'damaged')
    _write(dst / 'd4' / 'stray', b'stray')
    result = copy.CopyJob(str(src), str(dst), incremental=True,
                          recheck_after_ns=since,
                          trust_unchanged=True).run()
    assert result.state == 'completed', result.error
    assert _names(dst) == sorted(_names(src) + ['d4/stray'])
    for rel in ('d1/a', 'd2/b2', 'd3/new', 'd4/g'):
        assert _read(dst / rel) == _read(src / rel), rel
    assert _read(dst / 'f') == b'damaged'
    assert result.files_copied == 3  # a, b2, new
    assert result.files_done == result.files_total == 5
    # Without trust the same pass repairs both.
    result = copy.CopyJob(str(src), str(dst), incremental=True,
                          recheck_after_ns=since).run()
    assert result.state == 'completed', result.error
    assert _names(dst) == _names(src)
    assert _read(dst / 'f') == _read(src / 'f')
