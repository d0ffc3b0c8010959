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

The floor: ``cp -al`` of the first backup (a tree of hard links and
nothing else: one ``linkat`` per file, one ``mkdir`` per directory), so
the second backup's ratio can be read against the least any complete
tree of links costs here. ``--quick``: a tenth of the tree, 2 rounds;
``--json FILE`` writes the figures.
"""

import argparse
import datetime
import json
import os
import platform
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
    parser.add_argument('--quick', action='store_true')
    parser.add_argument('--scale', type=float, default=None)
    parser.add_argument('--rounds', type=int, default=None)
    parser.add_argument('--dir', default=None)
    parser.add_argument('--json', default=None)
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else (
        0.1 if args.quick else 1.0)
    rounds = args.rounds or (2 if args.quick else 3)
    work = tempfile.mkdtemp(prefix='backup-bench-', dir=args.dir)
    src = os.path.join(work, 'share')
    build_small(src, scale)
    warm(src)
    cp_t, first_t, second_t, spaces, floor_t = [], [], [], [], []
    for n in range(rounds):
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
        t, _ = timed(subprocess.run, ['cp', '-al', b1,
                                      os.path.join(work, 'al%d' % n)],
                     check=True)
        floor_t.append(t)
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
    ratios = [b / a for a, b in zip(first_t, second_t, strict=True)]
    floors = [f / a for a, f in zip(first_t, floor_t, strict=True)]
    print('second / first per round: %s; floor (cp -al of the first '
          'backup) / first: %s' % (
              ', '.join('%.3f' % r for r in ratios),
              ', '.join('%.3f' % r for r in floors)))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({
                'date': datetime.datetime.now(
                    datetime.timezone.utc).isoformat(timespec='seconds'),
                'machine': '%s, %d cores, %s' % (
                    platform.node(), os.cpu_count(), platform.platform()),
                'command': 'python ' + ' '.join(sys.argv),
                'cp_a': cp_t, 'first': first_t, 'second': second_t,
                'cp_al_floor': floor_t, 'second_x_first': ratios,
                'floor_x_first': floors,
                'space_both_backups': statistics.median(spaces),
                'space_tree': tree}, f, indent=1, sort_keys=True)
            f.write('\n')
    print('work directory (remove when done): %s' % work)


if __name__ == '__main__':
    main()
