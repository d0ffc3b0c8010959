"""The layers of ARCHITECTURE.md, read from the import statements of
every module in manila_lite/ (top level or inside a function alike):
common imports nothing of ours above it, db only common, the copy engine
no service, the HTTP edge and the component "api" modules never a
driver, a manager or a service flow, and the services never the API
side. A new module falls into the group of its longest listed prefix."""

import ast
import importlib
import pathlib

import manila_lite

PACKAGE = pathlib.Path(manila_lite.__file__).parent

#: Module prefix -> layer group (longest prefix wins).
GROUPS = {
    'manila_lite.common': 'common',
    'manila_lite.db': 'db',
    # db/api.py re-exports these (one module per aggregate); they sit
    # behind it and never import it (see test_db_api_is_the_surface).
    'manila_lite.db.engine': 'db',
    'manila_lite.db.transition': 'db',
    'manila_lite.db.services': 'db',
    'manila_lite.db.share_types': 'db',
    'manila_lite.db.shares': 'db',
    'manila_lite.db.replicas': 'db',
    'manila_lite.db.snapshots': 'db',
    'manila_lite.db.access': 'db',
    'manila_lite.db.jobs': 'db',
    # Quota accounting: conditional updates beside the inserts they pay
    # for, inside the caller's transaction.
    'manila_lite.quota': 'db',
    'manila_lite.policies': 'policies',
    'manila_lite.osc': 'osc',
    # The copy engine: a library with no RPC and no database.
    'manila_lite.data.copy': 'copy_engine',
    'manila_lite.data.safefs': 'copy_engine',
    'manila_lite.data.poolfs': 'copy_engine',
    # Helpers of share/scheduler/data that both sides use: RPC clients,
    # validation of values, the scheduler's read-only pool view.
    'manila_lite.share': 'shared',
    'manila_lite.scheduler': 'shared',
    'manila_lite.data': 'shared',
    # Component "api" modules: state check, intent, cast; no driver.
    # (share/*_api.py too: see group_of.)
    # share/api/: the public base and one module per resource.
    'manila_lite.share.api': 'component_api',
    'manila_lite.share.manage': 'component_api',
    'manila_lite.share.recycle': 'component_api',
    'manila_lite.share.groups': 'component_api',
    # What runs inside a service: managers, drivers and their flows.
    'manila_lite.share.manager': 'service',
    'manila_lite.share.driver': 'service',
    # share/drivers/local/: the local driver's package.
    'manila_lite.share.drivers': 'service',
    'manila_lite.share.ensure': 'service',
    'manila_lite.share.migration': 'service',
    'manila_lite.share.recovery': 'service',
    'manila_lite.share.replication': 'service',
    'manila_lite.share.resize': 'service',
    'manila_lite.share.purge': 'service',
    'manila_lite.scheduler.manager': 'service',
    'manila_lite.scheduler.share_groups': 'service',
    'manila_lite.data.manager': 'service',
    'manila_lite.data.jobs': 'service',
    'manila_lite.data.access': 'service',
    'manila_lite.data.backup': 'service',
    # Backup stores run inside the data service.
    'manila_lite.backup': 'service',
    'manila_lite.service': 'service',
    # The HTTP edge.
    'manila_lite.api': 'api',
    # Entry points put the house together.
    'manila_lite': 'entry',
    'manila_lite.cmd': 'entry',
    'manila_lite.wsgi': 'entry',
    'manila_lite.opts': 'entry',
}

#: Layer group -> the groups it may import.
ALLOWED = {
    'common': {'common'},
    'db': {'common', 'db'},
    'policies': {'common', 'policies'},
    'osc': {'common', 'osc'},
    'copy_engine': {'common', 'copy_engine'},
    'shared': {'common', 'db', 'shared'},
    'component_api': {'common', 'db', 'shared', 'component_api'},
    'service': {'common', 'db', 'copy_engine', 'shared', 'service'},
    'api': {'common', 'db', 'policies', 'shared', 'component_api', 'api'},
    'entry': set(GROUPS.values()),
}


def group_of(module):
    parts = module.split('.')
    if parts[:2] == ['manila_lite', 'share'] and len(parts) > 2 and (
            parts[2].endswith('_api')):
        return 'component_api'
    for n in range(len(parts), 0, -1):
        group = GROUPS.get('.'.join(parts[:n]))
        if group is not None:
            return group
    return None


def _modules():
    for path in sorted(PACKAGE.rglob('*.py')):
        parts = path.relative_to(PACKAGE.parent).with_suffix('').parts
        if parts[-1] == '__init__':
            parts = parts[:-1]
        yield '.'.join(parts), path


def _imports(path):
    """``(line, imported module)`` of every import of ours in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            # ``from a.b import c``: c is a module or a name of a.b;
            # group_of's longest prefix places a.b.c right either way.
            names = ['%s.%s' % (node.module, alias.name)
                     for alias in node.names]
        else:
            continue
        for name in names:
            if name == 'manila_lite' or name.startswith('manila_lite.'):
                yield node.lineno, name


def violations():
    found = []
    for module, path in _modules():
        group = group_of(module)
        for line, target in _imports(path):
            target_group = group_of(target)
            if target_group not in ALLOWED[group]:
                found.append('%s:%d (%s) imports %s (%s)' % (
                    module, line, group, target, target_group))
    return found


def test_every_module_has_a_layer():
    assert [m for m, _path in _modules() if group_of(m) is None] == []


def test_no_module_imports_a_layer_above_it():
    assert violations() == []


#: The modules db/api.py re-exports: below it, never importing it.
BEHIND_DB_API = [m for m in GROUPS if m.startswith('manila_lite.db.')]


def test_db_api_is_the_surface():
    """db/api.py imports the aggregate modules to re-export them, so
    none of them imports db.api back (an import cycle), and each of
    their public functions is reachable as ``db.api.<name>``."""
    from manila_lite.db import api

    paths = dict(_modules())
    found = []
    for module in BEHIND_DB_API:
        for line, target in _imports(paths[module]):
            if target == 'manila_lite.db.api':
                found.append('%s:%d' % (module, line))
        loaded = importlib.import_module(module)
        tree = ast.parse(paths[module].read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not (
                    node.name.startswith('_')):
                if getattr(api, node.name, None) is not getattr(
                        loaded, node.name):
                    found.append('%s.%s not in db.api' % (module,
                                                           node.name))
    assert found == []


def test_the_checker_sees_an_upward_import(tmp_path):
    """The rules bite: a module of common importing db, or of the API
    importing a driver, is reported."""
    assert 'db' not in ALLOWED[group_of('manila_lite.common.service')]
    assert group_of('manila_lite.share.drivers.local') == 'service'
    assert 'service' not in ALLOWED[group_of(
        'manila_lite.api.controllers.v2.shares')]
    assert 'component_api' not in ALLOWED[group_of(
        'manila_lite.share.migration')]
    assert group_of('manila_lite.share.migration_api') == 'component_api'
    assert group_of('manila_lite.share.rpcapi') == 'shared'
    probe = tmp_path / 'probe.py'
    probe.write_text('def f():\n    from manila_lite.db import api\n')
    assert list(_imports(probe)) == [(2, 'manila_lite.db.api')]


def _private_uses_of_share_api(path):
    """``(line, name)`` of every ``<...>share_api._name`` in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Attribute)
                and node.attr.startswith('_')
                and not node.attr.startswith('__')):
            continue
        owner = node.value
        name = (owner.attr if isinstance(owner, ast.Attribute)
                else getattr(owner, 'id', None))
        if name == 'share_api':
            yield node.lineno, node.attr


def test_component_apis_use_only_the_public_base():
    """Migration, replicas and the other component APIs call the share
    API's public base (own_share, cast, check_zone, the RPC clients),
    never its private members."""
    found = ['%s:%d %s' % (module, line, name)
             for module, path in _modules()
             for line, name in _private_uses_of_share_api(path)]
    assert found == []


def test_the_private_use_checker_bites(tmp_path):
    probe = tmp_path / 'probe.py'
    probe.write_text('def f(self):\n'
                     '    self.share_api._own_share(1)\n'
                     '    share_api._cast(2)\n'
                     '    self.share_api.cast(3)\n')
    assert list(_private_uses_of_share_api(probe)) == [
        (2, '_own_share'), (3, '_cast')]
