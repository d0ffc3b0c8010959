"""Incremental share backups: first backup against ``cp -a``, second
backup (1% of files changed) against the first.

    python benchmarks/backup_bench.py [--scale 1.0] [--rounds 3] [--dir D]

Builds the copy benchmark's small-file tree (20,000 files of 4 KiB in
nested directories; ``--scale`` multiplies the count). Each round: ``cp
-a`` of the tree into a fresh directory; a first backup (the copy engine
as the data service runs it for a backup, into a fresh tree of the
``local`` store's layout); then 1% of the files rewritten and a second
backup with ``link_dest`` the first, so unchanged files become hard
links. Prints medians of the times, the ratios (first backup / ``cp
-a``, second / first) and the space both backups take together (each
inode once) against the tree's own. Caches are warm and dirty pages
synced before each timed step, as in copy_bench.py.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from benchmarks.copy_bench import build_small  # noqa: E402
from benchmarks.copy_bench import warm  # noqa: E402
from manila_lite.data import copy  # noqa: E402


def space(*roots):
    """Bytes allocated under ``roots``, every inode once."""
    seen = set()
    total = 0
    for root in roots:
        for dirpath, dirs, names in os.walk(root):
            for name in names + dirs:
                st = os.lstat(os.path.join(dirpath, name))
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    total += st.st_blocks * 512
    return total


def timed(func, *args, **kwargs):
    os.sync()
    start = time.monotonic()
    result = func(*args, **kwargs)
    return time.monotonic() - start, result


def backup(src, dest, link_dest=None):
    result = copy.CopyJob(src, dest, workers=8, link_dest=link_dest).run()
    if result.state != 'completed':
        raise SystemExit('backup failed: %s' % result.error)
    return result


def change_one_percent(src, round_no):
    changed = 0
    for dirpath, _dirs, names in os.walk(src):
        for name in sorted(names):
            if hash((name, round_no)) % 100 == 0:
                with open(os.path.join(dirpath, name), 'wb') as f:
                    f.write(os.urandom(4096))
                changed += 1
    return changed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=float, default=1.0)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--dir', default=None)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='backup-bench-', dir=args.dir)
    src = os.path.join(work, 'share')
    build_small(src, args.scale)
    warm(src)
    cp_t, first_t, second_t, spaces = [], [], [], []
    for n in range(args.rounds):
        cp_dst = os.path.join(work, 'cp%d' % n)
        t, _ = timed(subprocess.run, ['cp', '-a', src, cp_dst],
                     check=True)
        cp_t.append(t)
        b1 = os.path.join(work, 'store', 'r%d' % n, 'b1')
        b2 = os.path.join(work, 'store', 'r%d' % n, 'b2')
        t, first = timed(backup, src, b1)
        first_t.append(t)
        changed = change_one_percent(src, n)
        warm(src)
        t, second = timed(backup, src, b2, link_dest=b1)
        second_t.append(t)
        spaces.append(space(b1, b2))
        print('round %d: cp -a %.2fs, first backup %.2fs (%d files), '
              'second %.2fs (%d changed: %d bytes copied, %d linked)'
              % (n, cp_t[-1], first_t[-1], first.files_done,
                 second_t[-1], changed, second.bytes_copied,
                 second.bytes_linked))
    tree = space(src)
    cp_m, first_m, second_m = (statistics.median(x)
                               for x in (cp_t, first_t, second_t))
    print('medians: cp -a %.2fs, first backup %.2fs, second backup %.2fs'
          % (cp_m, first_m, second_m))
    print('first backup / cp -a: %.2f' % (first_m / cp_m))
    print('second backup / first backup: %.3f' % (second_m / first_m))
    print('space of both backups: %.1f MiB (the tree: %.1f MiB; ratio %.2f)'
          % (statistics.median(spaces) / 2**20, tree / 2**20,
             statistics.median(spaces) / tree))
    print('work directory (remove when done): %s' % work)


if __name__ == '__main__':
    main()
