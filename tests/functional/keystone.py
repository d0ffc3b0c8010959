"""A real Keystone on 127.0.0.1 for the functional and API tests.

Keystone comes from the package registry into a virtualenv of its own
(``MANILA_LITE_KEYSTONE_VENV``, default
``~/.cache/manila_lite-keystone/venv``): its dependencies must not mix
with ours. ``.ci/run`` installs it before the tests
(``python -m tests.functional.keystone install``); a test run that finds
it missing installs it too, under a file lock so parallel workers wait
for one install.

:class:`Keystone` sets up one server: SQLite (or, given ``db_url``, a
MariaDB database: under tests/tempest's concurrency SQLite answers 500
"database is locked"), ``db_sync``, ``fernet_setup``,
``credential_setup``, ``bootstrap``, served by uwsgi with keep-alive,
then two projects and the users the RBAC matrix needs:

==========  ===========================================
admin       the bootstrap admin (role admin, project admin)
member      role member (implies reader) in project A
reader      role reader in project A
other       role member in project B
==========  ===========================================
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.functional import deployment as deployment_mod
from tests.functional import venvs

VENV = os.environ.get(
    'MANILA_LITE_KEYSTONE_VENV',
    os.path.expanduser('~/.cache/manila_lite-keystone/venv'))
# PyMySQL for a Keystone whose own database is on MariaDB (the tempest
# run: on SQLite, concurrent token requests answer 500 "database is
# locked").
PACKAGES = ('keystone==30.0.0', 'uWSGI==2.0.31', 'PyMySQL')
PASSWORD = 'manila-lite-secret'
ROLE_USERS = {
    # name: (project key, role)
    'member': ('A', 'member'),
    'reader': ('A', 'reader'),
    'other': ('B', 'member'),
}


def _bin(name):
    return venvs.bin_path(VENV, name)


def installed():
    return venvs.installed(VENV, PACKAGES)


def install():
    """Create Keystone's virtualenv unless it is there (idempotent).
    uWSGI compiles: a few minutes at most on two cores."""
    venvs.install(VENV, PACKAGES, timeout=900)


class KeystoneError(Exception):
    pass


class Keystone:
    """One Keystone server with its own database and keys in ``workdir``."""

    def __init__(self, workdir, db_url=None):
        self.workdir = workdir
        # None: SQLite in workdir. A MariaDB URL (an empty database)
        # for servers that take concurrent load.
        self.db_url = db_url or 'sqlite:///%s' % os.path.join(
            workdir, 'keystone.db')
        self.port = deployment_mod.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.conf = os.path.join(workdir, 'keystone.conf')
        self.proc = None
        self.projects = {}
        self.users = {}
        self._admin_token = None

    # --- lifecycle -----------------------------------------------------------
    def start(self):
        install()
        os.makedirs(self.workdir, exist_ok=True)
        keys = {n: os.path.join(self.workdir, n)
                for n in ('fernet', 'credential')}
        for path in keys.values():
            os.makedirs(path, exist_ok=True)
        with open(self.conf, 'w') as f:
            f.write('\n'.join([
                '[DEFAULT]',
                'log_file = %s' % os.path.join(self.workdir, 'keystone.log'),
                '[database]',
                'connection = %s' % self.db_url,
                # bcrypt's fewest rounds: every user created and every
                # token issued hashes a password, at about a second each
                # with the default 12 on a busy 2-core machine (two
                # thirds of a tempest run's time went to Keystone).
                '[identity]',
                'password_hash_rounds = 4',
                '[token]',
                'provider = fernet',
                # Tokens outlive the slowest run: a session-wide admin
                # token of the default hour expired (401) in a CI run
                # slowed past an hour by a loaded machine.
                'expiration = 14400',
                '[fernet_tokens]',
                'key_repository = %s' % keys['fernet'],
                '[fernet_receipts]',
                'key_repository = %s' % keys['fernet'],
                '[credential]',
                'key_repository = %s' % keys['credential'],
            ]) + '\n')
        user = ['--keystone-user', str(os.getuid()),
                '--keystone-group', str(os.getgid())]
        self._manage('db_sync')
        self._manage('fernet_setup', *user)
        self._manage('credential_setup', *user)
        self._manage('bootstrap', '--bootstrap-password', PASSWORD,
                     '--bootstrap-admin-url', self.url + '/v3',
                     '--bootstrap-public-url', self.url + '/v3',
                     '--bootstrap-internal-url', self.url + '/v3',
                     '--bootstrap-region-id', 'RegionOne')
        log = open(os.path.join(self.workdir, 'uwsgi.log'), 'ab')
        env = dict(os.environ, OS_KEYSTONE_CONFIG_FILES=self.conf)
        self.proc = subprocess.Popen(
            [_bin('uwsgi'), '--http', '127.0.0.1:%d' % self.port,
             '--http-keepalive', '--module', 'keystone.wsgi.api:application',
             '--master', '--processes', '2', '--threads', '2',
             '--need-app', '--die-on-term', '--lazy-apps'],
            stdout=log, stderr=subprocess.STDOUT, env=env)
        self._wait()
        self._populate()
        return self

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def _manage(self, *args):
        subprocess.run([_bin('keystone-manage'), '--config-file', self.conf,
                        *args], check=True, capture_output=True, timeout=300)

    def _wait(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise KeystoneError('uwsgi exited: see %s' % self.workdir)
            try:
                with urllib.request.urlopen(self.url + '/v3', timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        raise KeystoneError('Keystone never answered on %s' % self.url)

    # --- REST ----------------------------------------------------------------
    def _call(self, method, path, body=None, anonymous=False):
        headers = {'Content-Type': 'application/json'}
        if self._admin_token and not anonymous:
            headers['X-Auth-Token'] = self._admin_token
        req = urllib.request.Request(
            self.url + '/v3' + path, method=method, headers=headers,
            data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.headers, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raise KeystoneError('%s %s: %s %s' % (
                method, path, err.code, err.read()[:500])) from None

    def _authenticate(self, user, scope):
        """(token, token body) for ``user`` scoped to ``scope``."""
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': user, 'domain': {'id': 'default'},
                'password': PASSWORD}}},
            'scope': {'project': scope}}}
        headers, reply = self._call('POST', '/auth/tokens', body,
                                    anonymous=True)
        return headers['X-Subject-Token'], reply['token']

    def token(self, user, project_id=None):
        """A project-scoped token for ``user`` (a name of :attr:`users`
        or ``admin``); its own project unless ``project_id``."""
        if project_id is None:
            project_id = (self.projects['admin'] if user == 'admin'
                          else self.projects[ROLE_USERS[user][0]])
        return self._authenticate(user, {'id': project_id})[0]

    def _id_of(self, collection, name):
        _, body = self._call('GET', '/%s?name=%s' % (collection, name))
        return body[collection][0]['id']

    def _populate(self):
        self._admin_token, reply = self._authenticate(
            'admin', {'name': 'admin', 'domain': {'id': 'default'}})
        self.projects['admin'] = reply['project']['id']
        self.users['admin'] = reply['user']['id']
        for key in ('A', 'B'):
            _, reply = self._call('POST', '/projects', {'project': {
                'name': 'project-%s' % key, 'domain_id': 'default'}})
            self.projects[key] = reply['project']['id']
        for name, (key, role) in ROLE_USERS.items():
            _, reply = self._call('POST', '/users', {'user': {
                'name': name, 'domain_id': 'default', 'password': PASSWORD,
                'default_project_id': self.projects[key]}})
            self.users[name] = reply['user']['id']
            self._call('PUT', '/projects/%s/users/%s/roles/%s' % (
                self.projects[key], self.users[name],
                self._id_of('roles', role)))

    def register_share_service(self, url):
        """Put ``url`` in the catalog as the ``sharev2`` endpoint (the
        only one: an earlier registration is replaced)."""
        _, body = self._call('GET', '/services?type=sharev2')
        for service in body['services']:
            self._call('DELETE', '/services/%s' % service['id'])
        _, body = self._call('POST', '/services', {'service': {
            'type': 'sharev2', 'name': 'manilav2', 'enabled': True}})
        for interface in ('public', 'internal', 'admin'):
            self._call('POST', '/endpoints', {'endpoint': {
                'service_id': body['service']['id'], 'interface': interface,
                'url': url, 'region_id': 'RegionOne'}})

    def authtoken_options(self):
        """``[keystone_authtoken]`` lines for a service of ours."""
        return [
            '[keystone_authtoken]',
            'www_authenticate_uri = %s/v3' % self.url,
            'auth_url = %s/v3' % self.url,
            'auth_type = password',
            'username = admin',
            'password = %s' % PASSWORD,
            'project_name = admin',
            'user_domain_id = default',
            'project_domain_id = default',
        ]


def start_or_skip(workdir):
    """A started :class:`Keystone`; when it cannot be installed or
    started the test fails under ``CI=true`` and is skipped elsewhere
    (a machine without the package registry)."""
    import pytest

    try:
        return Keystone(workdir).start()
    except (OSError, subprocess.SubprocessError, KeystoneError) as err:
        message = 'Keystone unavailable: %s' % err
        if os.environ.get('CI', '').lower() == 'true':
            pytest.fail(message)
        pytest.skip(message)


def protect(deployment, keystone):
    """Put ``deployment`` (not yet started) behind ``keystone``: the API
    validates tokens with keystonemiddleware, and ``request()`` sends
    the admin's real token unless told otherwise."""
    deployment.auth_strategy = 'keystone'
    deployment.extra_conf = keystone.authtoken_options()
    deployment.admin_token = keystone.token('admin')


def main(argv):
    if argv[1:] == ['install']:
        install()
        return 0
    print('usage: python -m tests.functional.keystone install',
          file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
