"""Repository rules that CI relies on."""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _read(*parts):
    with open(os.path.join(ROOT, *parts)) as f:
        return f.read()


def test_ci_runs_the_readme_test_command():
    readme = _read('README.rst')
    commands = re.findall(r'^    (\.venv/bin/python -m pytest .*)$', readme,
                          re.M)
    assert len(commands) == 1
    ci_lines = [line.strip() for line in _read('.ci', 'run').splitlines()]
    assert commands[0] in ci_lines


def test_quick_start_is_two_commands():
    readme = _read('README.rst')
    section = readme.split('Quick start\n===========\n')[1].split(
        '\nTry it')[0]
    blocks = re.findall(r'^    \S.*$', section, re.M)
    assert len(blocks) == 2


def test_lint_forbids_eventlet(tmp_path):
    bad = tmp_path / 'bad.py'
    bad.write_text('import eventlet\n')
    ruff = os.path.join(os.path.dirname(sys.executable), 'ruff')
    result = subprocess.run(
        [ruff, 'check', '--config', os.path.join(ROOT, 'pyproject.toml'),
         str(bad)], capture_output=True, text=True)
    assert result.returncode != 0
    assert 'TID251' in result.stdout


def test_no_module_imports_eventlet():
    for dirpath, _dirs, files in os.walk(os.path.join(ROOT, 'manila_lite')):
        for name in files:
            if name.endswith('.py'):
                text = _read(dirpath, name)
                assert not re.search(r'^\s*(import|from)\s+eventlet', text,
                                     re.M), name


def _generate(module, func, generator_conf, tmp_path):
    out = tmp_path / 'sample'
    result = subprocess.run(
        [sys.executable, '-c', 'from %s import %s; %s()'
         % (module, func, func), '--config-file',
         os.path.join(ROOT, 'etc', 'manila-lite', generator_conf),
         '--output-file', str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return out.read_text()


def test_config_sample_is_generated_and_current(tmp_path):
    fresh = _generate('oslo_config.generator', 'main',
                      'manila-lite-config-generator.conf', tmp_path)
    assert fresh == _read('etc', 'manila-lite', 'manila-lite.conf.sample'), (
        'run tox -e genconfig')


def test_policy_sample_is_generated_and_current(tmp_path):
    fresh = _generate('oslo_policy.generator', 'generate_sample',
                      'manila-lite-policy-generator.conf', tmp_path)
    assert fresh == _read('etc', 'manila-lite', 'policy.yaml.sample'), (
        'run tox -e genpolicy')


def test_every_migration_is_packaged():
    # pbr's data_files take no wildcard inside a directory, so each
    # revision is listed; a missing one would break an installed
    # (non-editable) manila-lite-manage db sync.
    setup_cfg = _read('setup.cfg')
    versions = os.path.join(ROOT, 'alembic', 'versions')
    for name in os.listdir(versions):
        if name.endswith('.py'):
            assert 'alembic/versions/%s' % name in setup_cfg, name


def test_entry_points_load():
    from importlib import metadata

    wanted = {
        'console_scripts': {'manila-lite-%s' % c for c in (
            'api', 'scheduler', 'share', 'data', 'all', 'manage')},
        'manila_lite.share.drivers': {'local', 'fake'},
        'oslo.config.opts': {'manila_lite'},
        'oslo.policy.policies': {'manila_lite'},
        'oslo.policy.enforcer': {'manila_lite'},
    }
    for group, names in wanted.items():
        found = {ep.name: ep for ep in metadata.entry_points(group=group)
                 if ep.name in names}
        assert set(found) == names, group
        for ep in found.values():
            assert callable(ep.load()), ep
