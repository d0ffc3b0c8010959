"""Data safety: no request steers the local driver outside its pools,
copies never follow symlinks out of a share, and a copy (migration or
replica sync) never writes to its source."""

import os
import types
import uuid

import pytest

from manila_lite.common import exceptions
from manila_lite.data import copy as copy_engine
from tests.unit.share.test_local_driver import _instance


def _foreign(path, instance_id=None):
    """An instance of another backend, reachable by its admin path."""
    return types.SimpleNamespace(
        id=instance_id or str(uuid.uuid4()), host='n@other#p9',
        export_locations=[types.SimpleNamespace(path=path,
                                                is_admin_only=True)])


@pytest.mark.parametrize('bad_id', ['../../etc', '/etc/passwd',
                                    'share-x/../../y', '', 'a' * 36])
def test_ids_never_become_paths(driver, bad_id):
    inst = _instance()
    inst.id = bad_id
    with pytest.raises(exceptions.InvalidInput):
        driver.share_path(inst)


def test_foreign_paths_must_name_the_instance_directory(driver,  # noqa
                                                       tmp_path):
    good_id = str(uuid.uuid4())
    shares = tmp_path / 'elsewhere' / 'shares'
    (shares / ('share-' + good_id)).mkdir(parents=True)
    ok = _foreign(str(shares / ('share-' + good_id)), good_id)
    assert driver.source_path(ok) == str(shares / ('share-' + good_id))
    link = shares / ('share-' + str(uuid.uuid4()))
    link.symlink_to('/etc')
    for bad in (_foreign('/etc', good_id),
                _foreign(str(shares / ('share-' + good_id)) + '/../..',
                         good_id),
                _foreign(str(shares / ('share-' + good_id))),  # other id
                _foreign(str(link), os.path.basename(str(link))[6:]),
                _foreign('relative/shares/share-' + good_id, good_id)):
        with pytest.raises(exceptions.ShareBackendException):
            driver.source_path(bad)


def test_replicated_snapshot_location_is_checked(driver):
    replica = _instance()
    active_snap = types.SimpleNamespace(id=str(uuid.uuid4()),
                                        provider_location='/etc')
    snap = types.SimpleNamespace(id=str(uuid.uuid4()))
    with pytest.raises(exceptions.ShareBackendException):
        driver.create_replicated_snapshot(None, None, replica, active_snap,
                                          snap)


def _tree_state(root):
    """Everything a write to ``root`` would change, per entry."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for name in ['.'] + dirs + files:
            path = os.path.normpath(os.path.join(dirpath, name))
            st = os.lstat(path)
            out[os.path.relpath(path, root)] = (
                st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                st.st_uid, st.st_gid)
    return out


def test_copies_keep_symlinks_and_never_touch_the_source(tmp_path):
    outside = tmp_path / 'secret'
    outside.mkdir()
    (outside / 'key').write_text('do not copy me')
    src = tmp_path / 'src'
    (src / 'dir').mkdir(parents=True)
    (src / 'dir' / 'file').write_bytes(os.urandom(5000))
    os.chmod(src / 'dir' / 'file', 0o640)
    (src / 'escape').symlink_to(outside)
    (src / 'escape-file').symlink_to(outside / 'key')
    before = _tree_state(src)
    dest = tmp_path / 'dest'
    for incremental in (False, True):
        result = copy_engine.CopyJob(str(src), str(dest),
                                     incremental=incremental,
                                     verify=True).run()
        assert result.state == 'completed', result.error
    # Links are copied as links, never followed out of the share.
    assert os.readlink(dest / 'escape') == str(outside)
    assert os.readlink(dest / 'escape-file') == str(outside / 'key')
    assert not os.path.exists(dest / 'key')
    assert os.stat(dest / 'dir' / 'file').st_mode & 0o777 == 0o640
    assert os.stat(dest / 'dir' / 'file').st_uid == os.stat(
        src / 'dir' / 'file').st_uid
    # The source: not one entry written, chmodded or retimed.
    assert _tree_state(src) == before
    assert (outside / 'key').read_text() == 'do not copy me'
