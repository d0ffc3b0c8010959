"""Copy engine against ``cp -a`` and ``rsync -a`` on the same trees.

    python benchmarks/copy_bench.py [--scale 1.0] [--rounds 3] [--dir D]

Builds three trees (many small files; large files; a mixed tree with
symlinks, hard links, sparse files and varied modes), then in each round
copies each tree with every method into a fresh destination, rotating
the order of methods between rounds (this VM's memory speed varies).
Prints seconds, MB/s and files/s per method (medians) and the median of
the per-round ratios against ``cp -a``. Warm cache: every tree is read
once before the first round.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

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
    files = total = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            st = os.lstat(os.path.join(dirpath, name))
            files += 1
            total += st.st_size
    return files, total


def run_cp(src, dst):
    subprocess.run(['cp', '-a', src, dst], check=True)


def run_rsync(src, dst):
    subprocess.run(['rsync', '-a', src + '/', dst + '/'], check=True)


def run_engine(src, dst, verify=False, progress=False):
    seen = []
    job = copy.CopyJob(src, dst, verify=verify,
                       progress=seen.append if progress else None)
    result = job.run()
    if result.state != 'completed':
        raise SystemExit('engine failed: %s' % result.error)


METHODS = {
    'cp -a': run_cp,
    'rsync -a': run_rsync,
    'engine': run_engine,
    'engine+progress': lambda s, d: run_engine(s, d, progress=True),
    'engine+verify': lambda s, d: run_engine(s, d, verify=True),
}


_RESUME_CHILD = """
import sys
from manila_lite.data import copy
copy.CopyJob(sys.argv[1], sys.argv[2], checkpoint=sys.argv[3],
             workers=2).run()
"""


def resume_after_kill(src, work):
    """Kill a checkpointed copy at about half its bytes, resume it, and
    report how much of the finished half the resume copied again."""
    import signal

    dst = os.path.join(work, 'resume-dst')
    ckpt = os.path.join(work, 'resume.ckpt')
    shutil.rmtree(dst, ignore_errors=True)
    if os.path.exists(ckpt):
        os.unlink(ckpt)
    _files, total = tree_size(src)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    child = subprocess.Popen([sys.executable, '-c', _RESUME_CHILD, src,
                              dst, ckpt], cwd=root)
    done = 0
    while child.poll() is None and done < total / 2:
        time.sleep(0.002)
        done = tree_size(dst)[1] if os.path.isdir(dst) else 0
    child.send_signal(signal.SIGKILL)
    child.wait()
    result = copy.CopyJob(src, dst, checkpoint=ckpt).run()
    assert result.state == 'completed', result.error
    # Bytes the resume wrote beyond what was still missing at the kill.
    again = max(0, result.bytes_copied - (total - done))
    print('resume after kill at %.0f%% of the bytes: re-copied %.1f%% '
          '(%d of %d)' % (100.0 * done / total, 100.0 * again / total,
                          again, total))
    shutil.rmtree(dst, ignore_errors=True)


def cross_filesystem(src, work, rounds):
    """Source on tmpfs, destination on disk: copy_file_range fails with
    EXDEV and the engine falls back to sendfile."""
    shm = tempfile.mkdtemp(prefix='copy-bench-', dir='/dev/shm')
    try:
        tmpfs_src = os.path.join(shm, 'src')
        shutil.copytree(src, tmpfs_src, symlinks=True)
        ratios = []
        for _ in range(rounds):
            times = {}
            for method in ('cp -a', 'engine'):
                dst = os.path.join(work, 'xdev-dst')
                shutil.rmtree(dst, ignore_errors=True)
                started = time.perf_counter()
                METHODS[method](tmpfs_src, dst)
                times[method] = time.perf_counter() - started
                shutil.rmtree(dst, ignore_errors=True)
            ratios.append(times['engine'] / times['cp -a'])
        print('tmpfs -> disk, large files: engine %.2fx cp -a (median of '
              '%d)' % (statistics.median(ratios), rounds))
    finally:
        shutil.rmtree(shm, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--scale', type=float, default=1.0)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--dir', default=None)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='copy-bench-', dir=args.dir)
    methods = [m for m in METHODS
               if m != 'rsync -a' or shutil.which('rsync')]
    try:
        trees = {}
        for name, build in (('small files', build_small),
                            ('large files', build_large),
                            ('mixed', build_mixed)):
            root = os.path.join(work, name.replace(' ', '_'))
            build(root, args.scale)
            tree_size(root)  # warm the cache
            trees[name] = root
        print('%-12s %-16s %9s %9s %10s %8s' % (
            'tree', 'method', 'seconds', 'MB/s', 'files/s', 'x cp -a'))
        for name, root in trees.items():
            files, total = tree_size(root)
            times = {m: [] for m in methods}
            for rnd in range(args.rounds):
                order = methods[rnd % len(methods):] + \
                    methods[:rnd % len(methods)]
                for method in order:
                    dst = os.path.join(work, 'dst')
                    shutil.rmtree(dst, ignore_errors=True)
                    started = time.perf_counter()
                    METHODS[method](root, dst)
                    times[method].append(time.perf_counter() - started)
                    shutil.rmtree(dst, ignore_errors=True)
            for method in methods:
                secs = statistics.median(times[method])
                ratio = statistics.median(
                    t / c for t, c in zip(times[method], times['cp -a'],
                                          strict=True))
                print('%-12s %-16s %9.2f %9.1f %10.0f %8.2f' % (
                    name, method, secs, total / secs / 1e6, files / secs,
                    ratio))
        if os.path.isdir('/dev/shm'):
            cross_filesystem(trees['large files'], work, args.rounds)
        resume_after_kill(trees['large files'], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
