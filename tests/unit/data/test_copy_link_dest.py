"""The copy engine's ``link_dest``: unchanged files become hard links
to an earlier copy, changed ones are copied, and the trees stay
independent."""

import os
import shutil
import time

from manila_lite.data import copy as copy_engine


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def _tree(root):
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            with open(path, 'rb') as f:
                out[os.path.relpath(path, root)] = (
                    f.read(), st.st_mode, st.st_mtime_ns)
    return out


def _copy(src, dest, link_dest=None):
    result = copy_engine.CopyJob(str(src), str(dest), workers=2,
                                 link_dest=link_dest and str(link_dest)).run()
    assert result.state == 'completed', result.error
    return result


def test_unchanged_files_are_links_changed_ones_copies(tmp_path):
    src = tmp_path / 'src'
    for i in range(10):
        _write(str(src / 'd' / ('f%d' % i)), b'x' * (100 + i))
    _write(str(src / 'top'), b'top')
    first = _copy(src, tmp_path / 'b1')
    assert first.bytes_linked == 0
    time.sleep(0.01)
    _write(str(src / 'd' / 'f1'), b'changed')      # new data
    os.chmod(str(src / 'd' / 'f2'), 0o600)          # new mode only
    _write(str(src / 'd' / 'new'), b'new file')     # not in b1
    os.unlink(str(src / 'top'))

    second = _copy(src, tmp_path / 'b2', link_dest=tmp_path / 'b1')
    assert _tree(tmp_path / 'b2') == _tree(src)
    same = [n for n in range(10) if n not in (1, 2)]
    for n in same:
        a = os.stat(str(tmp_path / 'b1' / 'd' / ('f%d' % n)))
        b = os.stat(str(tmp_path / 'b2' / 'd' / ('f%d' % n)))
        assert (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)
    for n in (1, 2):
        a = os.stat(str(tmp_path / 'b1' / 'd' / ('f%d' % n)))
        b = os.stat(str(tmp_path / 'b2' / 'd' / ('f%d' % n)))
        assert a.st_ino != b.st_ino
    assert second.files_linked == 8
    assert second.bytes_linked == sum(100 + n for n in same)
    assert second.bytes_copied == len(b'changed') + 102 + len(b'new file')

    # Deleting the first copy never breaks the second.
    before = _tree(tmp_path / 'b2')
    shutil.rmtree(str(tmp_path / 'b1'))
    assert _tree(tmp_path / 'b2') == before


def test_a_missing_link_dest_copies_everything(tmp_path):
    src = tmp_path / 'src'
    _write(str(src / 'a'), b'a')
    result = _copy(src, tmp_path / 'b', link_dest=tmp_path / 'nowhere')
    assert result.bytes_linked == 0
    assert _tree(tmp_path / 'b') == _tree(src)


def test_a_symlink_in_link_dest_is_not_followed(tmp_path):
    """A directory of the earlier copy replaced by a symlink to a tree
    holding an identical file: nothing is linked through it."""
    src = tmp_path / 'src'
    _write(str(src / 'd' / 'f'), b'data')
    _copy(src, tmp_path / 'b1')
    outside = tmp_path / 'outside'
    shutil.copytree(str(tmp_path / 'b1' / 'd'), str(outside))
    shutil.rmtree(str(tmp_path / 'b1' / 'd'))
    os.symlink(str(outside), str(tmp_path / 'b1' / 'd'))
    result = _copy(src, tmp_path / 'b2', link_dest=tmp_path / 'b1')
    assert result.bytes_linked == 0
    assert os.stat(str(outside / 'f')).st_nlink == 1
