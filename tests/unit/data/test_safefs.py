"""safefs on real directories: no operation leaves the root."""

import os

import pytest

from manila_lite.data import poolfs
from manila_lite.data import safefs
from tests import files


def _deep(root, depth):
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir('d', dir_fd=fd)
        os.close(os.open('f', os.O_CREAT | os.O_WRONLY, dir_fd=fd))
        nxt = os.open('d', os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = nxt
    os.close(fd)


def test_remove_tree_any_depth_read_only_and_links_not_followed(tmp_path):
    canary = tmp_path / 'canary'
    (canary / 'sub').mkdir(parents=True)
    (canary / 'sub' / 'keep').write_text('keep')
    before = files.observed(canary)
    root = tmp_path / 'share'
    root.mkdir()
    _deep(str(root), 300)   # deeper than a recursive walk would like
    (root / 'd' / 'link').symlink_to(canary / 'sub')
    (root / 'ro').mkdir()
    (root / 'ro' / 'f').write_text('x')
    os.chmod(root / 'ro', 0o500)
    poolfs.remove_path(str(root))
    assert not root.exists()
    assert files.observed(canary) == before


def test_open_dir_refuses_a_symlinked_component(tmp_path):
    root = tmp_path / 'share'
    (root / 'a').mkdir(parents=True)
    (root / 'a' / 'link').symlink_to(tmp_path)
    fd = safefs.open_root(str(root))
    try:
        with pytest.raises(safefs.UnsafePath) as info:
            safefs.open_dir(fd, 'a/link/share')
        assert info.value.filename == 'a/link'
        with pytest.raises(safefs.UnsafePath):
            safefs.open_dir(fd, 'a/../..')
        with pytest.raises(safefs.UnsafePath):
            safefs.stat_rel(fd, 'a/link/x')
    finally:
        os.close(fd)
    with pytest.raises(safefs.UnsafePath):
        safefs.open_root(str(root / 'a' / 'link'))


def test_walk_set_writable_and_sizes_stay_inside(tmp_path):
    canary = tmp_path / 'canary'
    canary.mkdir()
    (canary / 'big').write_bytes(b'x' * 4096)
    before = files.observed(canary)
    root = tmp_path / 'share'
    (root / 'a').mkdir(parents=True)
    (root / 'a' / 'f').write_bytes(b'y' * 10)
    os.link(root / 'a' / 'f', root / 'hard')
    (root / 'out').symlink_to(canary)
    fd = safefs.open_root(str(root))
    try:
        seen = [(rel, sorted(n for n, _ in entries))
                for rel, _fd, entries in safefs.walk(fd)]
        assert seen == [('', ['a', 'hard', 'out']), ('a', ['f'])]
        assert safefs.tree_sizes(fd) == 10
        safefs.set_writable(fd, False)
        assert not os.stat(root / 'a' / 'f').st_mode & 0o222
        safefs.set_writable(fd, True)
    finally:
        os.close(fd)
    assert files.observed(canary) == before


def _open_fds():
    return set(os.listdir('/proc/self/fd'))


def test_walk_holds_parents_and_closes_them_when_left_early(tmp_path):
    root = tmp_path / 'share'
    for a in range(3):
        for b in range(4):
            (root / ('a%d' % a) / ('b%d' % b)).mkdir(parents=True)
            (root / ('a%d' % a) / ('b%d' % b) / 'f').write_text('x')
    (root / 'a1' / 'link').symlink_to(tmp_path)
    fd = safefs.open_root(str(root))
    try:
        before = _open_fds()
        seen = [rel for rel, _fd, _entries in safefs.walk(fd)]
        assert sorted(seen) == sorted(
            [''] + ['a%d' % a for a in range(3)]
            + ['a%d/b%d' % (a, b) for a in range(3) for b in range(4)])
        assert _open_fds() == before
        walk = safefs.walk(fd)
        for rel, _fd, _entries in walk:
            if rel == 'a0/b1':
                break
        walk.close()
        assert _open_fds() == before
        # A directory swapped for a symlink during the walk is refused.
        walk = safefs.walk(fd)
        for rel, _fd, _entries in walk:
            if rel == 'a2':
                os.rename(root / 'a2' / 'b3', root / 'moved')
                (root / 'a2' / 'b3').symlink_to(tmp_path)
                break
        with pytest.raises(safefs.UnsafePath, match='a2/b3'):
            list(walk)
        assert _open_fds() == before
    finally:
        os.close(fd)


def test_dir_cache_keeps_recent_directories_open(tmp_path):
    root = tmp_path / 'share'
    for a in range(20):
        (root / ('a%d' % a) / 'b').mkdir(parents=True)
        (root / ('a%d' % a) / 'b' / 'f').write_text(str(a))
    (root / 'a3' / 'link').symlink_to(tmp_path)
    fd = safefs.open_root(str(root))
    before = _open_fds()
    cache = safefs.DirCache(fd)
    try:
        for a in list(range(20)) + [0, 19]:
            dfd, name = cache.parent('a%d/b/f' % a)
            with os.fdopen(os.open(name, os.O_RDONLY, dir_fd=dfd)) as f:
                assert f.read() == str(a)
        assert len(_open_fds() - before) <= safefs.DirCache.SIZE
        with pytest.raises(safefs.UnsafePath):
            cache.parent('a3/link/x')
        cache.close()
        assert _open_fds() == before
    finally:
        cache.close()
        os.close(fd)
