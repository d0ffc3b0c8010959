"""safefs on real directories: no operation leaves the root."""

import os

import pytest

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
    safefs.remove_path(str(root))
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
