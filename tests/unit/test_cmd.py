"""The console commands: manila-lite-manage as an operator runs it (a
real process on a real SQLite file) and the all-in-one's start-up."""

import datetime
import os
import subprocess
import sys

from oslo_utils import timeutils

from manila_lite.common import context
from manila_lite.db import api as db_api
from manila_lite.db import migration

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def manage(config_file, *args):
    result = subprocess.run(
        [sys.executable, '-c',
         'from manila_lite.cmd.manage import main; main()',
         '--config-file', str(config_file), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_manage_db_sync_version_and_service_list(conf, tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'db' / 'm.sqlite')
    config_file = tmp_path / 'manila-lite.conf'
    config_file.write_text(
        '[DEFAULT]\nstate_path = %s\nhost = node9\n'
        '[database]\nconnection = %s\n' % (tmp_path / 'state', url))

    assert manage(config_file, 'db', 'version').strip() == 'None'
    out = manage(config_file, 'db', 'sync')
    assert migration.head() in out
    assert manage(config_file, 'db', 'version').strip() == \
        migration.head()

    db_api.configure(conf, url)
    try:
        db_api.service_create_or_update(
            context.get_admin_context(), host='node9@local1',
            binary='manila-share', topic='manila-share',
            availability_zone='az1')
    finally:
        db_api.dispose()
    lines = manage(config_file, 'service', 'list').splitlines()
    assert lines[0].split()[:5] == ['Host', 'Binary', 'Zone', 'Status',
                                    'State']
    row = lines[1].split()
    # Just registered, so its heartbeat is fresh: up.
    assert row[:5] == ['node9@local1', 'manila-share', 'az1', 'enabled',
                       'up']

    # A service that stopped heartbeating long ago goes with cleanup;
    # the live one stays.
    db_api.configure(conf, url)
    try:
        ctx = context.get_admin_context()
        stale = db_api.service_create_or_update(
            ctx, host='node9@gone', binary='manila-share',
            topic='manila-share', availability_zone='az1')
        db_api.service_update(ctx, stale.id, {
            'updated_at': timeutils.utcnow() - datetime.timedelta(hours=1),
            'created_at': timeutils.utcnow() - datetime.timedelta(hours=2)})
    finally:
        db_api.dispose()
    out = manage(config_file, 'service', 'cleanup')
    assert 'node9@gone' in out and 'node9@local1' not in out
    hosts = [line.split()[0] for line in
             manage(config_file, 'service', 'list').splitlines()[1:]]
    assert hosts == ['node9@local1']


def test_manage_without_command_fails(tmp_path):
    result = subprocess.run(
        [sys.executable, '-c',
         'from manila_lite.cmd.manage import main; main()',
         '--config-file', os.devnull],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


def test_all_in_one_default_type_leaves_default_name_free(conf, db):
    from manila_lite.cmd import all as all_cmd
    from manila_lite.share import api as share_api

    all_cmd.prepare(conf)
    ctx = context.get_admin_context()
    api = share_api.API(conf)
    stype = api.share_type_get_default(ctx)
    assert stype.name == conf.default_share_type == 'dhss_false'
    specs = {s.spec_key: s.spec_value for s in stype.extra_specs}
    assert specs == {'driver_handles_share_servers': 'False',
                     'snapshot_support': 'True',
                     'create_share_from_snapshot_support': 'True'}
    # ``openstack share type create default false``, a new user's first
    # command, must not collide with the embedded type.
    db.share_type_create(ctx, {'name': 'default'},
                         {'driver_handles_share_servers': 'False'})
    assert api.share_type_get_default(ctx).name == 'dhss_false'
    # A second start finds everything in place.
    all_cmd.prepare(conf)
    assert len(db.share_type_get_all(ctx)) == 2
