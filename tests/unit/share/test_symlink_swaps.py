"""Randomized: directories swapped for symlinks during data-plane work.

A thread keeps replacing directories of two shares (an active writable
replica and its peer) by symlinks to a canary tree outside them, and
back, while the main thread runs copies into a fresh destination,
incremental syncs, writable merges and snapshots over and over. Each
operation may fail (naming the path) or copy a link as a link; what may
never happen: a byte of the canary in a share or a copy, or any change
to the canary.
"""

import os
import random
import stat
import threading
import types
import uuid

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.data import copy as copy_engine
from manila_lite.data import safefs
from tests import files
from tests.unit.share.test_local_driver import _instance as _plain

SWAPS = 200
MARKER = b'CANARY-'
DIRS = ['d%d' % i for i in range(6)] + ['d0/inner', 'd1/inner']


def _leaks(root):
    """Regular files under ``root`` holding canary bytes, read by
    descriptors (the swapper may turn any directory into a link while
    this looks: following it would find the canary itself)."""
    found = []

    def look(fd, rel):
        for name, st in safefs.scan(fd):
            try:
                if stat.S_ISDIR(st.st_mode):
                    sub = safefs.open_subdir(fd, name)
                    try:
                        look(sub, rel + '/' + name)
                    finally:
                        os.close(sub)
                elif stat.S_ISREG(st.st_mode):
                    f = safefs.open_read(fd, name)
                    with open(f, 'rb') as stream:
                        if MARKER in stream.read():
                            found.append(rel + '/' + name)
            except (FileNotFoundError, safefs.UnsafePath):
                continue  # moved by the swapper: not a copy's doing

    try:
        root_fd = safefs.open_root(root)
    except FileNotFoundError:
        return found
    try:
        look(root_fd, root)
    finally:
        os.close(root_fd)
    return found


def _fill(root):
    for rel in DIRS:
        os.makedirs(os.path.join(root, rel), exist_ok=True)
        for i in range(4):
            path = os.path.join(root, rel, 'f%d' % i)
            if not os.path.lexists(path):
                with open(path, 'wb') as f:
                    f.write(b'share data %s %d\n' % (rel.encode(), i) * 50)


class Swapper(threading.Thread):
    """Swaps random directories of ``roots`` for links to the canary
    (and back) until stopped; counts the swaps."""

    def __init__(self, roots, canary, seed):
        super().__init__(daemon=True)
        self.roots = roots
        self.canary = canary
        self.rng = random.Random(seed)
        self.swaps = 0
        self.stop = threading.Event()
        #: Held for each swap; the test holds it to refill a tree, whose
        #: path-string writes must not race a swap.
        self.lock = threading.Lock()
        self.swapped = threading.Condition()

    def wait_beyond(self, count, timeout=120):
        """Wait until more than ``count`` swaps were made: the test paces
        itself on the swapper, which a loaded machine may starve."""
        with self.swapped:
            return self.swapped.wait_for(lambda: self.swaps > count,
                                         timeout)

    def run(self):
        while not self.stop.is_set():
            root = self.rng.choice(self.roots)
            try:
                with self.lock:
                    self._swap(root, self.rng.choice(DIRS))
            except OSError:
                pass  # the operations move things too
            self.stop.wait(self.rng.random() * 0.002)

    def _swap(self, root, rel):
        # By descriptors: the operations may have made a parent a link
        # to the canary, which the swapper must not move either.
        root_fd = safefs.open_root(root)
        try:
            with safefs.parent_of(root_fd, rel) as (fd, name):
                st = safefs.lstat_or_none(fd, name)
                away = name + '.away'
                if st is not None and stat.S_ISLNK(st.st_mode):
                    os.unlink(name, dir_fd=fd)
                    if safefs.lstat_or_none(fd, away) is not None:
                        os.rename(away, name, src_dir_fd=fd,
                                  dst_dir_fd=fd)
                elif st is not None and stat.S_ISDIR(st.st_mode):
                    os.rename(name, away, src_dir_fd=fd, dst_dir_fd=fd)
                    os.symlink(os.path.join(self.canary, 'dir'), name,
                               dir_fd=fd)
                    with self.swapped:
                        self.swaps += 1
                        self.swapped.notify_all()
                else:
                    _fill(root)
        finally:
            os.close(root_fd)


def test_swaps_never_leak_or_touch_the_canary(driver, conf,
                                              tmp_path):
    canary = tmp_path / 'canary'
    (canary / 'dir' / 'inner').mkdir(parents=True)
    for i in range(4):
        (canary / 'dir' / ('f%d' % i)).write_bytes(MARKER + b'%d' % i)
        (canary / 'dir' / 'inner' / ('f%d' % i)).write_bytes(MARKER)
    before = files.observed(canary)

    def instance():
        inst = _plain()
        inst.host = '%s@b1#p1' % conf.host
        return inst

    active = instance()
    active.share.replication_type = states.REPLICATION_TYPE_WRITABLE
    driver.create_share(None, active, 'p1')
    a = driver.share_path(active)
    _fill(a)
    peer = instance()
    peer.share = active.share
    driver.create_replica(None, active, peer, 'p1',
                          states.REPLICATION_TYPE_WRITABLE)
    b = driver.share_path(peer)
    mirror = str(tmp_path / 'mirror')

    def fresh_copy(n):
        dest = str(tmp_path / ('copy%d' % n))
        copy_engine.CopyJob(a, dest, workers=2).run()
        return dest

    def incremental(n):
        copy_engine.CopyJob(a, mirror, incremental=True, workers=2).run()
        return mirror

    def merge(n):
        driver.update_replica_state(None, active, peer,
                                    states.REPLICATION_TYPE_WRITABLE)
        return b

    def snapshot(n):
        snap = types.SimpleNamespace(id=str(uuid.uuid4()))
        return driver.create_snapshot(None, snap, active)[
            'provider_location']

    operations = [fresh_copy, incremental, merge, snapshot]
    runs = {op.__name__: 0 for op in operations}
    errors = set()
    swapper = Swapper([a, b], str(canary), seed=17)
    swapper.start()
    try:
        n = 0
        while swapper.swaps < SWAPS or min(runs.values()) < 5:
            op = operations[n % len(operations)]
            swaps_before = swapper.swaps
            try:
                out = op(n)
            except Exception as exc:
                # Failing is allowed, cleanly (naming the path).
                errors.add(type(exc).__name__)
                out = None
            runs[op.__name__] += 1
            n += 1
            for root in (a, b, out):
                if root:
                    leaks = _leaks(root)
                    assert not leaks, (op.__name__, leaks)
            assert files.observed(canary) == before, op.__name__
            if n % 8 == 0:
                with swapper.lock:
                    _fill(a)
            # At least one swap per operation, however busy the machine.
            assert swapper.wait_beyond(swaps_before), (
                'the swapper stalled: %d swaps' % swapper.swaps)
    finally:
        swapper.stop.set()
        swapper.join()
    assert swapper.swaps >= SWAPS
    assert files.observed(canary) == before
    copies = [str(p) for p in tmp_path.iterdir() if p != canary]
    assert len(copies) >= runs['fresh_copy']
    for root in [a, b, mirror] + copies:
        assert not _leaks(root)
    assert errors <= {exceptions.ShareBackendException.__name__}, errors
    print('swaps %d, runs %s, errors %s' % (swapper.swaps, runs, errors))
