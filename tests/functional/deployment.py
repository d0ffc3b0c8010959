"""A multi-process deployment for functional tests.

api, scheduler, two share services (backend ``local1`` in ``az1`` and
``local2`` in ``az2``) and the data service run as separate OS
processes, talking over the machine's RabbitMQ (a private
``control_exchange`` per deployment, so runs never see each other's
messages) with the database on MariaDB or PostgreSQL.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

from tests.functional import infra

COMMANDS = {
    'api': 'manila_lite.cmd.api',
    'scheduler': 'manila_lite.cmd.scheduler',
    'share1': 'manila_lite.cmd.share',
    'share2': 'manila_lite.cmd.share',
    'data': 'manila_lite.cmd.data',
    # A second data service (its own host name, from data2.conf) for
    # the scale-out test.
    'data2': 'manila_lite.cmd.data',
    # A second API process on its own port (api2.conf), for races.
    'api2': 'manila_lite.cmd.api',
}


def command(module, args):
    """argv running ``module``'s main: the installed console script when
    there is one (so the entry points are exercised too), else the
    module through this interpreter."""
    script = os.path.join(os.path.dirname(sys.executable),
                          'manila-lite-' + module.rsplit('.', 1)[1])
    if os.path.exists(script):
        return [script, *args]
    return [sys.executable, '-c',
            'import sys; from %s import main; sys.argv[1:] = %r; main()'
            % (module, list(args))]


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Deployment:
    def __init__(self, workdir, db_url):
        self.workdir = workdir
        self.db_url = db_url
        self.port = free_port()
        self.port2 = free_port()
        self.host = 'fn-%s' % uuid.uuid4().hex[:6]
        self.tag = uuid.uuid4().hex[:12]
        self.procs = {}
        self.logs = {}
        self.base_conf = os.path.join(workdir, 'manila-lite.conf')
        self.url = 'http://127.0.0.1:%d' % self.port
        # Keystone deployments (tests/functional/keystone.py) change these
        # two: auth_strategy with its extra_conf lines, and the token
        # request() sends by default.
        self.auth_strategy = 'noauth'
        self.extra_conf = []
        self.admin_token = 'admin:admin'
        # A private broker's URL (tests/functional/test_infra_faults.py);
        # None means the machine's RabbitMQ.
        self.transport_url = None

    def write_config(self):
        pools = {}
        for backend in ('local1', 'local2'):
            pools[backend] = ','.join(
                '%s:%s' % (p, os.path.join(self.workdir, backend, p))
                for p in ('pool1', 'pool2'))
        text = '\n'.join([
            '[DEFAULT]',
            'host = %s' % self.host,
            'state_path = %s' % os.path.join(self.workdir, 'state'),
            'transport_url = %s' % (self.transport_url
                                    or infra.rabbit_url()),
            # RabbitMQ names a topic's queue after the topic alone, whatever
            # the exchange: private topics keep parallel deployments apart.
            'control_exchange = manila_lite_%s' % self.tag,
            'scheduler_topic = manila-scheduler-%s' % self.tag,
            'share_topic = manila-share-%s' % self.tag,
            'data_topic = manila-data-%s' % self.tag,
            'osapi_share_listen = 127.0.0.1',
            'osapi_share_listen_port = %d' % self.port,
            'auth_strategy = %s' % self.auth_strategy,
            'report_interval = 1',
            'periodic_interval = 1',
            'service_down_time = 15',
            'replica_state_update_interval = 1',
            'enabled_share_backends = local1,local2',
            '[coordination]',
            # Flows of one share take a lock every share service sees.
            'backend_url = %s' % infra.redis_url(),
            '[oslo_messaging_notifications]',
            'driver = messagingv2',
            'topics = notifications-%s' % self.tag,
            '[database]',
            'connection = %s' % self.db_url,
            '[local1]',
            'share_driver = local',
            'backend_availability_zone = az1',
            'local_pools = %s' % pools['local1'],
            '[local2]',
            'share_driver = local',
            'backend_availability_zone = az2',
            'local_pools = %s' % pools['local2'],
            *self.extra_conf,
        ]) + '\n'
        with open(self.base_conf, 'w') as f:
            f.write(text)
        with open(os.path.join(self.workdir, 'api2.conf'), 'w') as f:
            f.write('[DEFAULT]\nosapi_share_listen_port = %d\n'
                    % self.port2)
        with open(os.path.join(self.workdir, 'data2.conf'), 'w') as f:
            f.write('[DEFAULT]\nhost = %s-data2\n' % self.host)
        for name, backend in (('share1', 'local1'), ('share2', 'local2')):
            with open(os.path.join(self.workdir, name + '.conf'), 'w') as f:
                f.write('[DEFAULT]\nenabled_share_backends = %s\n'
                        % backend)

    def _argv(self, name):
        argv = ['--config-file', self.base_conf]
        extra = os.path.join(self.workdir, name + '.conf')
        if os.path.exists(extra):
            argv += ['--config-file', extra]
        return argv

    def client_conf(self):
        """A ConfigOpts reading this deployment's config file, for tests
        that talk to its database or message bus directly."""
        from oslo_config import cfg

        from manila_lite.common import config

        conf = cfg.ConfigOpts()
        config.register_opts(conf)
        conf(['--config-file', self.base_conf], project='manila-lite',
             default_config_files=[])
        return conf

    def manage(self, *args):
        return subprocess.run(
            command('manila_lite.cmd.manage',
                    ['--config-file', self.base_conf, *args]),
            capture_output=True, text=True, timeout=120, check=True)

    def start(self, name):
        log = open(os.path.join(self.workdir, name + '.log'), 'ab')
        self.logs[name] = log.name
        self.procs[name] = subprocess.Popen(
            command(COMMANDS[name], self._argv(name)), stdout=log,
            stderr=subprocess.STDOUT)

    def start_all(self):
        self.write_config()
        self.manage('db', 'sync')
        for name in COMMANDS:
            if name not in ('data2', 'api2'):
                self.start(name)
        self.wait_api()
        self.wait_services(4)

    def renice(self, name, value=19):
        """Lower service ``name``'s CPU priority, every thread of it: a
        test pacing the service with SIGSTOP/SIGCONT then keeps the upper
        hand on a loaded machine (threads started later inherit it)."""
        pid = self.procs[name].pid
        for tid in os.listdir('/proc/%d/task' % pid):
            try:
                os.setpriority(os.PRIO_PROCESS, int(tid), value)
            except ProcessLookupError:
                pass  # a thread that ended meanwhile

    def stop(self, name, sig=signal.SIGTERM):
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def stop_all(self):
        for name in list(self.procs):
            self.stop(name)
        # pytest shows a test's captured output only when it fails: the
        # services' logs then come with the failure at no cost otherwise.
        if self.logs:
            print(self.dump_logs())

    def dump_logs(self):
        out = []
        for name, path in self.logs.items():
            with open(path, errors='replace') as f:
                out.append('==== %s ====\n%s' % (name, f.read()[-6000:]))
        return '\n'.join(out)

    # --- HTTP ----------------------------------------------------------------
    def request(self, method, path, body=None, *, version='2.98',
                token=None, headers=None, base=None):
        # token: None sends admin_token, '' sends none.
        token = self.admin_token if token is None else token
        hdrs = {'X-Auth-Token': token} if token else {}
        if version is not None:
            hdrs['X-OpenStack-Manila-API-Version'] = version
        hdrs.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs['Content-Type'] = 'application/json'
        req = urllib.request.Request((base or self.url) + path, data=data,
                                     method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw) if raw else None
            except ValueError:
                return err.code, raw

    def wait_api(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.procs['api'].poll() is not None:
                raise AssertionError('api died:\n' + self.dump_logs())
            try:
                status, _ = self.request('GET', '/')
                if status == 300:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError('api never answered:\n' + self.dump_logs())

    def wait_services(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        body = None
        while time.monotonic() < deadline:
            status, body = self.request('GET', '/v2/services')
            if status == 200:
                up = [s for s in body['services'] if s['state'] == 'up']
                if len(up) >= count:
                    return body['services']
            time.sleep(0.3)
        raise AssertionError('services not up: %s\n%s'
                             % (body, self.dump_logs()))

    def wait_for(self, path, key, field, wanted, timeout=60):
        deadline = time.monotonic() + timeout
        body = None
        while time.monotonic() < deadline:
            status, body = self.request('GET', path)
            if wanted is None and status == 404:
                return None
            if status == 200 and body[key][field] == wanted:
                return body[key]
            time.sleep(0.2)
        raise AssertionError('%s %s never became %s: %s\n%s' % (
            path, field, wanted, body, self.dump_logs()))
