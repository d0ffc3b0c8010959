"""The share lock holds across processes and threads (tooz, file locks
by default): a flow of a share waits while another process runs one."""

import subprocess
import sys
import threading

from manila_lite.common import coordination

HOLDER = '''
import sys
from oslo_config import cfg
from manila_lite.common import config, coordination
conf = cfg.ConfigOpts()
config.register_opts(conf)
conf([], project='manila-lite', default_config_files=[])
conf.set_override('state_path', sys.argv[1])
with coordination.lock(conf, 'share-x'):
    print('held', flush=True)
    sys.stdin.readline()
'''


def _acquire_in_thread(conf, name, release):
    acquired = threading.Event()

    def run():
        with coordination.lock(conf, name):
            acquired.set()
            release.wait(30)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return acquired, thread


def test_a_lock_held_by_another_process_is_waited_for(conf):
    holder = subprocess.Popen(
        [sys.executable, '-c', HOLDER, conf.state_path],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == 'held\n'
        release = threading.Event()
        release.set()
        acquired, thread = _acquire_in_thread(conf, 'share-x', release)
        assert not acquired.wait(0.5)
        # Another share's lock is free meanwhile.
        other, other_thread = _acquire_in_thread(conf, 'share-y', release)
        assert other.wait(30)
        holder.stdin.write('\n')
        holder.stdin.flush()
        assert acquired.wait(30)
        thread.join(30)
        other_thread.join(30)
    finally:
        holder.kill()
        holder.wait()


def test_two_threads_of_one_process_take_turns(conf):
    release = threading.Event()
    first, first_thread = _acquire_in_thread(conf, 'share-z', release)
    assert first.wait(30)
    done = threading.Event()
    done.set()
    second, second_thread = _acquire_in_thread(conf, 'share-z', done)
    assert not second.wait(0.5)
    release.set()
    assert second.wait(30)
    first_thread.join(30)
    second_thread.join(30)
