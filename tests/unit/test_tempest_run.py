"""The judge of tests/tempest/run.py: known failures, 5xx, the list."""

import os

import pytest

from tests.tempest import run

CLS = 'manila_tempest_tests.tests.api.test_shares.SharesNFSTest'


def _results(**statuses):
    return {'%s.%s' % (CLS, name): {'status': status, 'reason': ''}
            for name, status in statuses.items()}


def test_known_failures_file_parses(tmp_path):
    path = tmp_path / 'known.txt'
    path.write_text('# header comment\n\n'
                    '%s.test_a  # quotas: issue 17\n'
                    'setUpClass (%s)  # backups\n' % (CLS, CLS))
    assert run.read_known(str(path)) == {
        CLS + '.test_a': 'quotas: issue 17',
        'setUpClass (%s)' % CLS: 'backups'}


def test_repository_list_is_well_formed():
    known = run.read_known()
    for test, reason in known.items():
        assert reason, 'no reason for %s' % test
        assert test.startswith(('manila_tempest_tests.', 'setUpClass (')), (
            test)
        assert '[' not in test, 'drop the [id-...] suffix: %s' % test


def test_plain_id_drops_tempest_attributes():
    assert run.plain_id(CLS + '.test_a[id-1234,gate]') == CLS + '.test_a'
    assert run.plain_id(CLS + '.test_a') == CLS + '.test_a'


def test_unlisted_failure_is_unexpected():
    results = _results(test_a='fail', test_b='success', test_c='skip')
    unexpected, fixed = run.judge(results, {}, set(results))
    assert unexpected == [CLS + '.test_a']
    assert fixed == []


def test_listed_failure_is_expected_and_listed_pass_is_not():
    results = _results(test_a='fail', test_b='success')
    known = {CLS + '.test_a': 'r', CLS + '.test_b': 'r'}
    unexpected, fixed = run.judge(results, known, set(results))
    assert unexpected == []
    assert fixed == [CLS + '.test_b']


def test_listed_test_outside_a_filtered_run_is_not_judged():
    results = _results(test_b='success')
    known = {CLS + '.test_a': 'r'}
    assert run.judge(results, known, set(results)) == ([], [])


def test_listed_skip_is_stale():
    results = _results(test_a='skip')
    known = {CLS + '.test_a': 'r'}
    assert run.judge(results, known, set(results)) == ([], [CLS + '.test_a'])


def test_listed_set_up_class_is_stale_once_its_tests_run_and_fail():
    """A class that sets up but whose tests all fail: its setUpClass
    line is stale (the tests' own lines judge them)."""
    setup = 'setUpClass (%s)' % CLS
    known = {setup: 'r', CLS + '.test_a': 'r'}
    results = _results(test_a='fail')
    assert run.judge(results, known, set(results)) == ([], [setup])


def test_listed_set_up_class_passes_when_a_test_of_its_class_passes():
    setup = 'setUpClass (%s)' % CLS
    known = {setup: 'r'}
    failed = {setup: {'status': 'fail', 'reason': ''}}
    assert run.judge(failed, known, set()) == ([], [])
    passed = _results(test_a='success')
    assert run.judge(passed, known, set(passed)) == ([], [setup])
    skipped = {setup: {'status': 'skip', 'reason': ''}}
    assert run.judge(skipped, known, set()) == ([], [setup])


def test_server_errors_reads_the_request_log(tmp_path):
    log = tmp_path / 'api.log'
    log.write_text(
        '2026-11-27 INFO manila_lite.api.server [-] 127.0.0.1 '
        '""GET /v2/shares HTTP/1.1" 200 12"\n'
        '2026-11-27 INFO manila_lite.api.server [-] 127.0.0.1 '
        '""POST /v2/shares/x/action HTTP/1.1" 500 99"\n'
        '2026-11-27 INFO manila_lite.api.server [-] 127.0.0.1 '
        '""GET /v2/x HTTP/1.1" 404 5"\n'
        '2026-11-27 ERROR something "GET /v2/y HTTP/1.1" 503 1\n')
    errors = run.server_errors(str(log))
    assert len(errors) == 2
    assert '500' in errors[0] and '/v2/shares/x/action' in errors[0]
    assert '503' in errors[1]


def test_failure_reason_gets_the_last_error_request(tmp_path):
    log = tmp_path / 'tempest.log'
    log.write_text(
        'INFO rest_client [req-1 ] Request (SharesNFSTest:test_a): 200 GET '
        'http://127.0.0.1:1/v2/shares 0.01s\n'
        'INFO rest_client [req-2 ] Request (SharesNFSTest:test_a): 404 GET '
        'http://127.0.0.1:1/v2/scheduler-stats/pools 0.01s\n'
        'INFO rest_client [req-3 ] Request (SharesNFSTest:setUpClass): 400 '
        'POST http://127.0.0.1:1/v2/types 0.01s\n')
    results = _results(test_a='fail', test_b='fail')
    results['setUpClass (%s)' % CLS] = {'status': 'fail', 'reason': 'x'}
    run.add_last_errors(results, str(log))
    assert results[CLS + '.test_a']['reason'] == (
        ' [last error: 404 GET /v2/scheduler-stats/pools]')
    assert results[CLS + '.test_b']['reason'] == ''
    assert results['setUpClass (%s)' % CLS]['reason'] == (
        'x [last error: 400 POST /v2/types]')


def test_tempest_conf_switches_on_what_the_local_driver_serves(tmp_path):
    class Keystone:
        url = 'http://127.0.0.1:5000'

    class Deployment:
        workdir = str(tmp_path)

    text = run.tempest_conf(Keystone(), Deployment(),
                            ('2.99', 'NFS_CIFS', 'readable'))
    for line in ('max_api_microversion = 2.99',
                 'capability_storage_protocol = NFS_CIFS',
                 'backend_replication_type = readable',
                 'backend_names = local1,local2',
                 'multi_backend = True',
                 'run_replication_tests = True',
                 'run_host_assisted_migration_tests = True',
                 'run_driver_assisted_migration_tests = True',
                 'run_migration_with_preserve_snapshots_tests = True',
                 'run_revert_to_snapshot_tests = True',
                 'run_shrink_tests = True',
                 'uri_v3 = http://127.0.0.1:5000/v3'):
        assert line + '\n' in text


def test_selection_matches_the_listed_modules_only():
    base = 'manila_tempest_tests.tests.api.'
    assert run.SELECTION.match(base + 'test_shares.SharesNFSTest.test_a')
    assert run.SELECTION.match(base + 'admin.test_migration.M.test_a')
    assert not run.SELECTION.match(base + 'test_share_groups.G.test_a')
    # test_shares is selected, test_shares_x only when listed.
    assert not run.SELECTION.match(base + 'test_share_networks.N.test_a')
    assert not run.SELECTION.match(base + 'admin.test_share_manage.M.t')


def test_venv_is_complete_only_with_the_same_package_list(tmp_path,
                                                          monkeypatch):
    from tests.functional import venvs

    venv = str(tmp_path / 'venv')
    calls = []

    def run(argv, **kwargs):
        calls.append(argv)
        if argv[1:3] == ['-m', 'venv']:
            os.makedirs(os.path.join(argv[3], 'bin'))
            open(os.path.join(argv[3], 'bin', 'pip'), 'w').close()

    monkeypatch.setattr(venvs.subprocess, 'run', run)
    assert not venvs.installed(venv, ('a==1',))
    venvs.install(venv, ('b==2', 'a==1'))
    # A fresh venv, then pip with the packages; the stamp names them.
    assert calls[0][1:3] == ['-m', 'venv']
    assert calls[1][-2:] == ['b==2', 'a==1']
    assert venvs.installed(venv, ('a==1', 'b==2'))
    calls.clear()
    venvs.install(venv, ('a==1', 'b==2'))
    assert calls == []
    # A longer list completes the venv.
    assert not venvs.installed(venv, ('a==1', 'b==2', 'c==3'))
    venvs.install(venv, ('a==1', 'b==2', 'c==3'))
    # pip only: the venv is there.
    assert len(calls) == 1 and calls[0][-3:] == ['a==1', 'b==2', 'c==3']


def test_missing_service_skips_locally_and_fails_under_ci(monkeypatch,
                                                         capsys):
    monkeypatch.setattr(run.infra, 'reachable', lambda addr: False)
    monkeypatch.setattr(run, 'run', lambda args: pytest.fail('ran'))
    monkeypatch.delenv('CI', raising=False)
    assert run.main([]) == 0
    assert 'skipped: RabbitMQ is not reachable' in capsys.readouterr().out
    monkeypatch.setenv('CI', 'true')
    assert run.main([]) == 1
    assert 'RabbitMQ is not reachable' in capsys.readouterr().err
