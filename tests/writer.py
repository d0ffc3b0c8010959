"""A writer that keeps changing a local share while it migrates.

It stands for the share's NFS clients: before each change it reads the
share's line of its pool's exports file, holding ``exports.lock`` shared
as a server applying the file would, and stops at the first ``(ro)``.
So every change it makes happened while the share was exported
read-write, and none after: what it recorded (``expected``) is the
share at the read-only instant, to compare with the migrated copy.

Changes: creates, same-size overwrites, appends, renames (across
directories too), deletes, hard links, xattrs and chmods, in a few
subdirectories. ``expected`` is kept up to date after each change by
describing the touched names (every name of a hard-linked file) and
their directories, so it needs no walk of the tree at the end (the
source is gone by then).

Also runnable as a process: ``python -m tests.writer ROOT SEED OUT``
writes ``expected`` as JSON to OUT when it stops (SIGTERM or
read-only).
"""

import fcntl
import hashlib
import json
import os
import random
import signal
import stat
import sys
import time

DIRS = ('d0', 'd1', 'd2', 'd3')


def exports_of(root):
    pool = os.path.dirname(os.path.dirname(os.path.abspath(root)))
    return os.path.join(pool, 'exports'), os.path.join(pool, 'exports.lock')


def export_level(root):
    """``'rw'``/``'ro'`` of the share's exports line (its first client),
    None without a line or clients."""
    exports, _lock = exports_of(root)
    root = os.path.abspath(root)
    try:
        with open(exports) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        path, _, clients = line.partition(' ')
        if path == root and '(' in clients:
            return clients.split('(', 1)[1].split(')', 1)[0]
    return None


def describe(root, rel):
    """What must be equal on both sides, None if the entry is gone."""
    path = os.path.join(root, rel) if rel != '.' else root
    try:
        st = os.lstat(path)
        xattrs = tuple(sorted(
            (k, os.getxattr(path, k, follow_symlinks=False).hex())
            for k in os.listxattr(path, follow_symlinks=False)))
        if stat.S_ISDIR(st.st_mode):
            return ('d', st.st_mode, st.st_mtime_ns, xattrs)
        with open(path, 'rb') as f:
            digest = hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None
    return ('f', st.st_mode, st.st_size, st.st_mtime_ns, digest, xattrs)


def tree(root):
    """``{rel: describe()}`` of every entry, plus the hard-link groups
    under the key ``'links'``."""
    out = {'.': describe(root, '.')}
    inodes = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            out[rel] = describe(root, rel)
            if name in files:
                st = os.lstat(os.path.join(dirpath, name))
                if st.st_nlink > 1:
                    inodes.setdefault(st.st_ino, []).append(rel)
    out['links'] = sorted(sorted(g) for g in inodes.values() if len(g) > 1)
    return out


def wait_gone(path, timeout=60):
    """Wait until ``path`` is removed (a migrated share's source goes
    just after the switch)."""
    deadline = time.monotonic() + timeout
    while os.path.lexists(path):
        assert time.monotonic() < deadline, '%s stays' % path
        time.sleep(0.05)


class Writer:
    def __init__(self, root, seed=0, pause=0.001):
        self.root = os.path.abspath(root)
        self.rng = random.Random(seed)
        self.pause = pause
        self.ops = 0
        self.counts = {}
        self.readonly_seen = None
        self.error = None
        self._stop = False
        self._serial = 0
        # What is there already.
        self._state = {k: v for k, v in tree(self.root).items()
                       if k != 'links'}
        self._inode = {
            rel: os.lstat(os.path.join(self.root, rel)).st_ino
            for rel, d in self._state.items() if d[0] == 'f'}
        self._lock_path = exports_of(self.root)[1]

    # --- the model -----------------------------------------------------------
    @property
    def expected(self):
        out = dict(self._state)
        groups = {}
        for rel, ino in self._inode.items():
            groups.setdefault(ino, []).append(rel)
        out['links'] = sorted(sorted(g) for g in groups.values()
                              if len(g) > 1)
        return out

    def _touched(self, *rels):
        names = set()
        for rel in rels:
            names.add(rel)
            names.add(os.path.dirname(rel) or '.')
            ino = self._inode.get(rel)
            if ino is not None:
                names.update(r for r, i in self._inode.items() if i == ino)
        for rel in names:
            got = describe(self.root, rel)
            if got is None:
                self._state.pop(rel, None)
                self._inode.pop(rel, None)
                continue
            self._state[rel] = got
            if got[0] == 'f':
                self._inode[rel] = os.lstat(
                    os.path.join(self.root, rel)).st_ino

    # --- changes -------------------------------------------------------------
    def _name(self):
        self._serial += 1
        return os.path.join(self.rng.choice(DIRS), 'w%06d' % self._serial)

    def _files(self):
        return [r for r, d in self._state.items() if d[0] == 'f']

    def populate(self, count):
        for d in DIRS:
            os.makedirs(os.path.join(self.root, d), exist_ok=True)
            self._touched(d)
        for _ in range(count):
            self._touched(*self._create())

    def _create(self):
        rel = self._name()
        size = self.rng.choice((0, 100, 4096, 20000))
        with open(os.path.join(self.root, rel), 'wb') as f:
            f.write(self.rng.randbytes(size))
        return (rel,)

    def _overwrite(self, rel):
        path = os.path.join(self.root, rel)
        size = os.lstat(path).st_size
        with open(path, 'r+b') as f:
            f.write(self.rng.randbytes(size or 1))
        return (rel,)

    def _append(self, rel):
        with open(os.path.join(self.root, rel), 'ab') as f:
            f.write(self.rng.randbytes(self.rng.randint(1, 3000)))
        return (rel,)

    def _rename(self, rel):
        new = self._name()
        os.rename(os.path.join(self.root, rel), os.path.join(self.root, new))
        self._inode.pop(rel, None)
        return (rel, new)

    def _delete(self, rel):
        os.unlink(os.path.join(self.root, rel))
        return (rel,)

    def _link(self, rel):
        new = self._name()
        os.link(os.path.join(self.root, rel), os.path.join(self.root, new))
        self._inode[new] = self._inode.get(rel)
        return (rel, new)

    def _xattr(self, rel):
        os.setxattr(os.path.join(self.root, rel), 'user.tag',
                    self.rng.randbytes(8))
        return (rel,)

    def _chmod(self, rel):
        os.chmod(os.path.join(self.root, rel),
                 self.rng.choice((0o600, 0o640, 0o644)))
        return (rel,)

    _CHANGES = (('create', 4), ('overwrite', 4), ('append', 3),
                ('rename', 2), ('delete', 2), ('link', 1), ('xattr', 1),
                ('chmod', 1))

    def step(self):
        """One change; False once the share is exported read-only."""
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            if export_level(self.root) == 'ro':
                self.readonly_seen = time.monotonic()
                return False
            names, weights = zip(*self._CHANGES, strict=True)
            kind = self.rng.choices(names, weights)[0]
            files = self._files()
            if kind == 'create' or not files:
                kind, touched = 'create', self._create()
            else:
                touched = getattr(self, '_' + kind)(self.rng.choice(files))
            self._touched(*touched)
            self.ops += 1
            self.counts[kind] = self.counts.get(kind, 0) + 1
            return True
        finally:
            os.close(fd)

    def run(self):
        try:
            while not self._stop and self.step():
                time.sleep(self.pause)
        except Exception:  # reported to the test
            import traceback
            self.error = traceback.format_exc()

    def stop(self):
        self._stop = True


def main(argv):
    root, seed, out = argv[0], int(argv[1]), argv[2]
    writer = Writer(root, seed=seed)
    signal.signal(signal.SIGTERM, lambda *_: writer.stop())
    writer.populate(0)
    writer.run()
    with open(out + '.tmp', 'w') as f:
        json.dump({'expected': writer.expected, 'ops': writer.ops,
                   'counts': writer.counts, 'error': writer.error,
                   'readonly_seen': writer.readonly_seen is not None}, f)
    os.replace(out + '.tmp', out)


if __name__ == '__main__':
    main(sys.argv[1:])
