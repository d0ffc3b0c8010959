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
