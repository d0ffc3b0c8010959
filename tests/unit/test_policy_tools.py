"""oslo.policy's command-line tools work with manila_lite's policies
(registered in code, found through the ``oslo.policy.policies`` entry
point): oslopolicy-policy-generator writes the effective policy and
oslopolicy-checker evaluates it for a Keystone token."""

import json
import os
import subprocess
import sys

import pytest

BIN = os.path.dirname(sys.executable)


def _token(roles, project='proj-a'):
    return {'token': {
        'methods': ['password'],
        'roles': [{'id': r, 'name': r} for r in roles],
        'project': {'id': project, 'name': project,
                    'domain': {'id': 'default', 'name': 'Default'}},
        'user': {'id': 'u1', 'name': 'u1',
                 'domain': {'id': 'default', 'name': 'Default'}},
        'issued_at': '2026-01-01T00:00:00.000000Z',
        'expires_at': '2099-01-01T00:00:00.000000Z'}}


@pytest.fixture(scope='module')
def effective(tmp_path_factory):
    out = tmp_path_factory.mktemp('policy') / 'policy.yaml'
    subprocess.run([os.path.join(BIN, 'oslopolicy-policy-generator'),
                    '--namespace', 'manila_lite', '--output-file',
                    str(out)], check=True, capture_output=True)
    return out


def _check(tmp_path, policy, roles, rule):
    access = tmp_path / ('%s.json' % '-'.join(roles))
    access.write_text(json.dumps(_token(roles)))
    result = subprocess.run(
        [os.path.join(BIN, 'oslopolicy-checker'), '--policy', str(policy),
         '--access', str(access), '--rule', rule],
        check=True, capture_output=True, text=True)
    return result.stdout.strip()


def test_generator_writes_every_rule(effective):
    text = effective.read_text()
    for rule in ('share:migration_start', 'share_replica:promote',
                 'share:create', 'service:ensure_shares'):
        assert '"%s":' % rule in text, rule


@pytest.mark.parametrize('roles,rule,verdict', [
    (['member', 'reader'], 'share:create', 'passed'),
    (['member', 'reader'], 'share:migration_start', 'failed'),
    (['reader'], 'share:create', 'failed'),
    (['admin', 'member', 'reader'], 'share:migration_start', 'passed'),
])
def test_checker_evaluates_tokens(tmp_path, effective, roles, rule,
                                  verdict):
    assert _check(tmp_path, effective, roles, rule) == '%s: %s' % (
        verdict, rule)
