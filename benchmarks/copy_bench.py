"""Copy engine against ``cp -a`` and ``rsync -a``, paired in one run.

    python benchmarks/copy_bench.py [--quick] [--rounds 3] [--dir D]
        [--only small,large,mixed,share2k] [--no-cold] [--json FILE]
        [--extras]

Trees (the copy-engine issue's): ``small`` 20,000 files of 4 KiB in
nested directories; ``large`` 200 files of 10 MiB; ``mixed`` about
1 GiB of small and large files with sparse files, symlinks, hard links,
xattrs and varied modes; ``share2k`` 2,000 small files (the fixed costs
of one share). ``--quick`` builds a tenth of each (``share2k`` stays at
2,000 files) and runs 2 rounds.

Each round copies each tree with every method into a fresh destination,
the order of methods rotated between rounds; the ratios printed are
per-round ratios against ``cp -a`` of the same round (median, the
spread min-max, and the geometric mean), warm (source in the page
cache, dirty pages synced before each copy) and cold (caches dropped
before each copy; root only). Before timing, free memory is turned into
clean page cache by reading a ballast file (this VM charges the first
touch of freed memory to whoever touches it). Every method's first copy
of every tree is checked for fidelity: contents, modes, owners, ns
mtimes, xattrs, symlink targets, hard-link groups and sparseness. The
floors measured first say what no method beats here: a read-only walk
of the small tree, write throughput into the page cache, and kernel
time per file created.

Destinations full of small files are only deleted at the end: ext4
avoids reusing recently freed inodes, and a tree deleted just before a
copy makes every file creation scan for a free inode.

``--extras``: the incremental pass against ``rsync -a --delete``, the
large tree from tmpfs to disk and a resume after ``kill -9``.
"""

import argparse
import datetime
import hashlib
import json
import math
import os
import platform
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
    build_large(os.path.join(root, 'large'), scale * 0.5)
    os.makedirs(os.path.join(root, 'misc'))
    for i in range(max(1, int(100 * scale))):
        path = os.path.join(root, 'misc', 'sparse%d' % i)
        with open(path, 'wb') as f:
            f.seek(8 * 1024 * 1024)
            f.write(b'x')
        os.chmod(path, 0o600 + (i % 8))
        os.symlink('sparse%d' % i, os.path.join(root, 'misc', 'ln%d' % i))
        os.link(path, os.path.join(root, 'misc', 'hard%d' % i))
        if i % 4 == 0:
            os.setxattr(path, 'user.tag', b'v%d' % i)
    os.symlink('/nowhere', os.path.join(root, 'misc', 'dangling'))
    os.symlink('../small', os.path.join(root, 'misc', 'dirlink'))
    os.setxattr(os.path.join(root, 'misc'), 'user.dir', b'yes')


def build_share2k(root, scale):
    build_small(root, 0.1)


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
TIMED = ['cp -a', 'rsync -a', 'engine', 'engine+verify']


def fingerprint(root):
    """What a faithful copy keeps, per relative path (hard links by
    group: the first path of each inode)."""
    out = {}
    groups = {}
    for dirpath, dirs, names in os.walk(root):
        for name in sorted(dirs + names):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            item = [st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns]
            try:
                item.append(sorted(
                    (k, os.getxattr(path, k, follow_symlinks=False))
                    for k in os.listxattr(path, follow_symlinks=False)))
            except OSError:
                item.append(None)
            if os.path.islink(path):
                item.append(os.readlink(path))
            elif os.path.isfile(path):
                key = (st.st_dev, st.st_ino)
                item.append(groups.setdefault(key, rel))
                # Sparse stays sparse: allocation within 1 MiB of the
                # source's is compared below, here only whether it is.
                item.append(st.st_blocks * 512 < st.st_size)
                h = hashlib.blake2b()
                with open(path, 'rb') as f:
                    while True:
                        block = f.read(1 << 20)
                        if not block:
                            break
                        h.update(block)
                item.append(h.hexdigest())
            out[rel] = item
    return out


FIDELITY = {}


def check_fidelity(src, dst, method, want):
    """Record (and print) the paths where the copy differs."""
    got = fingerprint(dst)
    bad = sorted(k for k in set(got) | set(want)
                 if got.get(k) != want.get(k))
    FIDELITY.setdefault(method, {})[os.path.basename(src)] = len(bad)
    if bad:
        print('fidelity: %s differs from %s at %d paths, e.g. %s: %r '
              'against %r' % (method, src, len(bad), bad[0],
                              got.get(bad[0]), want.get(bad[0])),
              flush=True)


def fill_page_cache(work, megabytes):
    """Turn free memory into clean page cache (a read ballast file)."""
    if megabytes <= 0:
        return
    path = os.path.join(work, 'ballast')
    block = bytes(1 << 20)
    with open(path, 'wb') as f:
        for _ in range(megabytes):
            f.write(block)
    os.sync()
    with open(path, 'rb') as f:
        while f.read(8 << 20):
            pass
    os.unlink(path)  # its pages are freed, and touched already


def floors(work, small_root):
    """What no copy beats here (each a median of 3)."""
    def walk():
        for dirpath, _dirs, names in os.walk(small_root):
            for name in names:
                os.lstat(os.path.join(dirpath, name))
    files, total = tree_size(small_root)
    result = {}
    times = []
    for _ in range(3):
        started = time.perf_counter()
        walk()
        times.append(time.perf_counter() - started)
    result['walk_us_per_file'] = statistics.median(times) / files * 1e6
    times = []
    block = os.urandom(1 << 20)
    for i in range(3):
        path = os.path.join(work, 'wfloor%d' % i)
        os.sync()
        started = time.perf_counter()
        with open(path, 'wb') as f:
            for _ in range(256):
                f.write(block)
        times.append(time.perf_counter() - started)
        os.unlink(path)
    result['write_mb_s'] = 256 * 1.048576 / statistics.median(times)
    times = []
    for i in range(3):
        d = os.path.join(work, 'cfloor%d' % i)
        os.mkdir(d)
        os.sync()
        t0 = os.times()
        for n in range(2000):
            os.close(os.open(os.path.join(d, 'f%d' % n),
                             os.O_CREAT | os.O_WRONLY, 0o644))
        t1 = os.times()
        times.append((t1.system - t0.system) / 2000)
    result['kernel_us_per_create'] = statistics.median(times) * 1e6
    return result


def spread(values):
    return {'median': statistics.median(values), 'min': min(values),
            'max': max(values)}


def geomean(values):
    return math.exp(statistics.fmean(math.log(v) for v in values))


class Bench:
    def __init__(self, work):
        self.work = work
        self.count = 0
        os.makedirs(os.path.join(work, 'out'))

    def fresh(self, tag):
        self.count += 1
        return os.path.join(self.work, 'out', '%s-%d' % (tag, self.count))

    def timed(self, method, src, cold=False, want=None):
        dst = self.fresh(method.replace(' ', '').replace('+', '-'))
        os.sync()
        if cold:
            with open('/proc/sys/vm/drop_caches', 'w') as f:
                f.write('3\n')
        started = time.perf_counter()
        METHODS[method](src, dst)
        elapsed = time.perf_counter() - started
        if want is not None:
            check_fidelity(src, dst, method, want)
        trim(dst)
        return elapsed

    def table(self, name, root, methods, rounds, cold=False, want=None):
        """Per-round times; fidelity checked on each method's first
        copy. Returns {method: [seconds per round]}."""
        times = {m: [] for m in methods}
        for rnd in range(rounds):
            order = methods[rnd % len(methods):] + \
                methods[:rnd % len(methods)]
            for method in order:
                times[method].append(self.timed(
                    method, root, cold, want if rnd == 0 else None))
            if not cold:
                warm(root)
        return times


def report(name, root, times):
    files, total = tree_size(root)
    rows = {}
    for method, values in times.items():
        secs = statistics.median(values)
        ratios = [t / c for t, c in zip(values, times['cp -a'],
                                        strict=True)]
        rows[method] = {'seconds': spread(values),
                        'x_cp': spread(ratios),
                        'x_cp_geomean': geomean(ratios),
                        'files': files, 'bytes': total}
        print('%-14s %-14s %8.2f %9.1f %9.0f %6.2f [%.2f-%.2f] %6.2f' % (
            name, method, secs, total / secs / 1e6, files / secs,
            statistics.median(ratios), min(ratios), max(ratios),
            geomean(ratios)), flush=True)
    if 'engine+verify' in times and 'engine' in times:
        ratios = [v / e for v, e in zip(times['engine+verify'],
                                        times['engine'], strict=True)]
        rows['verify_x_plain'] = spread(ratios)
        print('%-14s verify / plain %.2f [%.2f-%.2f]' % (
            name, statistics.median(ratios), min(ratios), max(ratios)))
    return rows


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


TREES = (('small', build_small), ('large', build_large),
         ('mixed', build_mixed), ('share2k', build_share2k))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true')
    parser.add_argument('--scale', type=float, default=None)
    parser.add_argument('--rounds', type=int, default=None)
    parser.add_argument('--dir', default=None)
    parser.add_argument('--no-cold', action='store_true')
    parser.add_argument('--only', default='small,large,mixed,share2k')
    parser.add_argument('--ballast-mb', type=int, default=None)
    parser.add_argument('--json', default=None)
    parser.add_argument('--extras', action='store_true')
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else (
        0.1 if args.quick else 1.0)
    rounds = args.rounds or (2 if args.quick else 3)
    cold = not args.no_cold and os.geteuid() == 0
    work = tempfile.mkdtemp(prefix='copy-bench-', dir=args.dir)
    bench = Bench(work)
    methods = [m for m in TIMED if m != 'rsync -a' or shutil.which('rsync')]
    out = {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(
               timespec='seconds'),
           'machine': '%s, %d cores, %s' % (
               platform.node(), os.cpu_count(), platform.platform()),
           'command': 'python ' + ' '.join(sys.argv),
           'scale': scale, 'rounds': rounds, 'trees': {}}
    try:
        trees = {}
        for name, build in TREES:
            if name in args.only.split(','):
                trees[name] = os.path.join(work, name)
                build(trees[name], scale)
        small = trees.get('small') or trees.get('share2k')
        if small:
            out['floors'] = floors(work, small)
            print('floors: walk %(walk_us_per_file).1f us/file, write '
                  '%(write_mb_s).0f MB/s, %(kernel_us_per_create).1f us '
                  'kernel time per create' % out['floors'])
        ballast = args.ballast_mb
        if ballast is None:
            with open('/proc/meminfo') as f:
                info = dict(line.split(':', 1) for line in f)
            free = int(info['MemFree'].split()[0]) // 1024
            ballast = min(free // 2, 512 if args.quick else 4096)
        fill_page_cache(work, ballast)
        print('%-14s %-14s %8s %9s %9s %6s %-11s %6s' % (
            'tree', 'method', 'seconds', 'MB/s', 'files/s', 'x cp',
            '[spread]', 'geo'))
        for name, root in trees.items():
            want = fingerprint(root)  # also warms the cache
            warm(root)
            result = out['trees'][name] = {}
            result['warm'] = report(name, root, bench.table(
                name, root, methods, rounds, want=want))
            if cold:
                result['cold'] = report(name + ' cold', root, bench.table(
                    name, root, methods, rounds, cold=True))
                warm(root)
        if args.extras:
            if 'small' in trees and shutil.which('rsync'):
                incremental(bench, trees['small'], rounds)
            if 'large' in trees:
                if os.path.isdir('/dev/shm'):
                    cross_filesystem(bench, trees['large'], rounds)
                resume_after_kill(bench, trees['large'])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out['fidelity_differing_paths'] = FIDELITY
    print('fidelity (differing paths per tree): %s' % FIDELITY)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(out, f, indent=1, sort_keys=True)
            f.write('\n')


if __name__ == '__main__':
    main()
