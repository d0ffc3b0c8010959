"""Copy engine against ``cp -a`` and ``rsync -a`` on the same trees.

    python benchmarks/copy_bench.py [--scale 1.0] [--rounds 3] [--dir D]
                                    [--cold] [--only small,large,mixed]

Builds three trees (20,000 files of 4 KiB in nested directories; 200
files of 10 MiB; a mixed tree of small and large files, sparse files,
symlinks, hard links and varied modes; ``--scale`` multiplies the
counts), then in each round copies each tree with every method into a
fresh destination, rotating the order of methods between rounds (this
VM's memory speed varies). Prints seconds, MB/s and files/s per method
(medians) and the median of the per-round time ratios against ``cp -a``.

Warm cache: every tree is read once before the first round, and dirty
pages are synced before each timed copy so that one method's write-back
does not land in the next one's time. Destinations full of small files
are only deleted at the end: ext4 avoids reusing recently freed inodes,
and a tree deleted just before a copy makes every file creation scan
for a free inode (a copy then takes up to ten times longer). ``--cold``
also times the small-file tree with the page cache dropped before each
copy (root only).

Then: the incremental pass (1% of files changed, 1% removed, against
``rsync -a --delete``), the large-file tree from tmpfs to disk (where
``copy_file_range`` fails with EXDEV) and a resume after ``kill -9`` at
half the bytes.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from manila_lite.data import copy  # noqa: E402


def build_small(root, scale):
    count = int(20000 * scale)
    for i in range(count):
        sub = os.path.join(root, 'd%03d' % (i % 200), 's%d' % (i % 7))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, 'f%06d' % i), 'wb') as f:
            f.write(os.urandom(4096))


def build_large(root, scale):
    os.makedirs(root, exist_ok=True)
    block = os.urandom(1024 * 1024)
    for i in range(max(1, int(200 * scale))):
        with open(os.path.join(root, 'big%03d' % i), 'wb') as f:
            for _ in range(10):
                f.write(block)


def build_mixed(root, scale):
    build_small(os.path.join(root, 'small'), scale * 0.25)
    build_large(os.path.join(root, 'large'), scale * 0.25)
    os.makedirs(os.path.join(root, 'misc'))
    for i in range(max(1, int(100 * scale))):
        path = os.path.join(root, 'misc', 'sparse%d' % i)
        with open(path, 'wb') as f:
            f.seek(8 * 1024 * 1024)
            f.write(b'x')
        os.chmod(path, 0o600 + (i % 8))
        os.symlink('sparse%d' % i, os.path.join(root, 'misc', 'ln%d' % i))
        os.link(path, os.path.join(root, 'misc', 'hard%d' % i))
    os.symlink('/nowhere', os.path.join(root, 'misc', 'dangling'))
    os.symlink('../small', os.path.join(root, 'misc', 'dirlink'))


def tree_size(root):
    """(files, bytes); reading every inode also warms the cache."""
    files = total = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            st = os.lstat(os.path.join(dirpath, name))
            files += 1
            total += st.st_size
    return files, total


def warm(root):
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path) and os.path.isfile(path):
                with open(path, 'rb') as f:
                    while f.read(8 * 1024 * 1024):
                        pass


def trim(root):
    """Free the space of big files now; small ones stay (see above)."""
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            if os.lstat(path).st_blocks > 2048:
                os.unlink(path)


def run_cp(src, dst):
    subprocess.run(['cp', '-a', src, dst], check=True)


def run_rsync(src, dst):
    subprocess.run(['rsync', '-a', src + '/', dst + '/'], check=True)


def run_engine(src, dst, **kwargs):
    result = copy.CopyJob(src, dst, **kwargs).run()
    if result.state != 'completed':
        raise SystemExit('engine failed: %s' % result.error)
    return result


def run_with_progress(src, dst):
    seen = []
    run_engine(src, dst, progress=seen.append)
    PROGRESS['first'].append(seen[0].elapsed)
    PROGRESS['gap'].extend(b.elapsed - a.elapsed
                           for a, b in zip(seen, seen[1:], strict=False))


PROGRESS = {'first': [], 'gap': []}
METHODS = {
    'cp -a': run_cp,
    'rsync -a': run_rsync,
    'engine': run_engine,
    'engine+progress': run_with_progress,
    'engine+verify': lambda s, d: run_engine(s, d, verify=True),
}


class Bench:
    def __init__(self, work):
        self.work = work
        self.count = 0
        os.makedirs(os.path.join(work, 'out'))

    def fresh(self, tag):
        self.count += 1
        return os.path.join(self.work, 'out', '%s-%d' % (tag, self.count))

    def timed(self, method, src, cold=False):
        dst = self.fresh(method.replace(' ', ''))
        os.sync()
        if cold:
            with open('/proc/sys/vm/drop_caches', 'w') as f:
                f.write('3\n')
        started = time.perf_counter()
        METHODS[method](src, dst)
        elapsed = time.perf_counter() - started
        trim(dst)
        return elapsed

    def table(self, name, root, methods, rounds, cold=False):
        files, total = tree_size(root)
        times = {m: [] for m in methods}
        for rnd in range(rounds):
            order = methods[rnd % len(methods):] + \
                methods[:rnd % len(methods)]
            for method in order:
                times[method].append(self.timed(method, root, cold))
        for method in methods:
            secs = statistics.median(times[method])
            ratio = statistics.median(
                t / c for t, c in zip(times[method], times['cp -a'],
                                      strict=True))
            print('%-18s %-16s %9.2f %9.1f %10.0f %8.2f' % (
                name, method, secs, total / secs / 1e6, files / secs,
                ratio), flush=True)


def incremental(bench, root, rounds):
    """1% of the files rewritten and 1% removed since the last pass."""
    engine_t, rsync_t = [], []
    for _ in range(rounds):
        src = bench.fresh('inc-src')
        run_cp(root, src)
        a, b = bench.fresh('inc-engine'), bench.fresh('inc-rsync')
        run_engine(src, a)
        run_rsync(src, b)
        paths = sorted(os.path.join(d, n) for d, _s, names in os.walk(src)
                       for n in names)
        for path in paths[::100]:
            with open(path, 'r+b') as f:
                f.write(b'changed')
        for path in paths[50::100]:
            os.unlink(path)
        os.sync()
        started = time.perf_counter()
        result = run_engine(src, a, incremental=True)
        engine_t.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run(['rsync', '-a', '--delete', src + '/', b + '/'],
                       check=True)
        rsync_t.append(time.perf_counter() - started)
    print('incremental pass (%d of %d files changed, %d removed): engine '
          '%.2f s, rsync -a --delete %.2f s (medians)' % (
              result.files_copied, result.files_total, result.removed,
              statistics.median(engine_t), statistics.median(rsync_t)))


def cross_filesystem(bench, src, rounds):
    """Source on tmpfs, destination on disk: copy_file_range fails with
    EXDEV and the engine falls back to sendfile."""
    shm = tempfile.mkdtemp(prefix='copy-bench-', dir='/dev/shm')
    try:
        tmpfs_src = os.path.join(shm, 'src')
        shutil.copytree(src, tmpfs_src, symlinks=True)
        ratios = []
        for _ in range(rounds):
            t_cp = bench.timed('cp -a', tmpfs_src)
            ratios.append(bench.timed('engine', tmpfs_src) / t_cp)
        print('tmpfs -> disk, large files: engine %.2fx cp -a (median of '
              '%d)' % (statistics.median(ratios), rounds))
    finally:
        shutil.rmtree(shm, ignore_errors=True)


_RESUME_CHILD = """
import sys
from manila_lite.data import copy
copy.CopyJob(sys.argv[1], sys.argv[2], checkpoint=sys.argv[3],
             workers=2).run()
"""


def resume_after_kill(bench, src):
    """Kill a checkpointed copy at about half its bytes, resume it, and
    report how much of the finished half the resume copied again."""
    dst = bench.fresh('resume')
    ckpt = dst + '.ckpt'
    _files, total = tree_size(src)
    child = subprocess.Popen([sys.executable, '-c', _RESUME_CHILD, src,
                              dst, ckpt], cwd=ROOT)
    done = 0
    while child.poll() is None and done < total / 2:
        time.sleep(0.002)
        done = tree_size(dst)[1] if os.path.isdir(dst) else 0
    child.send_signal(signal.SIGKILL)
    child.wait()
    result = run_engine(src, dst, checkpoint=ckpt)
    # Bytes the resume wrote beyond what was still missing at the kill.
    again = max(0, result.bytes_copied - (total - done))
    print('resume after kill at %.0f%% of the bytes: re-copied %.1f%% '
          '(%d of %d)' % (100.0 * done / total, 100.0 * again / total,
                          again, total))
    trim(dst)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--scale', type=float, default=1.0)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--dir', default=None)
    parser.add_argument('--cold', action='store_true')
    parser.add_argument('--only', default='small,large,mixed')
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='copy-bench-', dir=args.dir)
    bench = Bench(work)
    methods = [m for m in METHODS
               if m != 'rsync -a' or shutil.which('rsync')]
    try:
        trees = {}
        for name, build in (('small', build_small), ('large', build_large),
                            ('mixed', build_mixed)):
            if name in args.only:
                trees[name] = os.path.join(work, name)
                build(trees[name], args.scale)
                warm(trees[name])
        print('%-18s %-16s %9s %9s %10s %8s' % (
            'tree', 'method', 'seconds', 'MB/s', 'files/s', 'x cp -a'))
        for name, root in trees.items():
            bench.table(name, root, methods, args.rounds)
        if args.cold and 'small' in trees:
            bench.table('small (cold)', trees['small'], ['cp -a', 'engine'],
                        args.rounds, cold=True)
        if PROGRESS['first']:
            print('progress: first figure after %.3f s at most, then one '
                  'every %.2f s at most' % (max(PROGRESS['first']),
                                            max(PROGRESS['gap'])))
        if 'small' in trees and shutil.which('rsync'):
            incremental(bench, trees['small'], args.rounds)
        if 'large' in trees:
            if os.path.isdir('/dev/shm'):
                cross_filesystem(bench, trees['large'], args.rounds)
            resume_after_kill(bench, trees['large'])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
