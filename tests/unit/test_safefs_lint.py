"""Share content is reached only through ``manila_lite.data.safefs``.

Code that walks a share's files by path string (``os.walk``,
``os.stat`` or ``shutil`` on joined paths, ``open()``) follows any
symlink the share's users plant, so the modules handling share content
may not call such functions at all: ``safefs`` opens every component
with ``O_NOFOLLOW | O_DIRECTORY`` from a directory descriptor, and
gives the service's own bookkeeping files helpers of their own. This
test reads those modules' syntax trees, as the pygrep hook does for
status literals.
"""

import ast
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

#: Modules that read, write or remove share content.
SHARE_CONTENT_MODULES = tuple(sorted(
    'manila_lite/data/copy/' + name
    for name in os.listdir(os.path.join(REPO, 'manila_lite/data/copy'))
    if name.endswith('.py'))) + (
    'manila_lite/share/drivers/local/__init__.py',
    'manila_lite/share/drivers/local/driver.py',
    'manila_lite/share/drivers/local/exports.py',
    'manila_lite/share/drivers/local/layout.py',
    'manila_lite/share/drivers/local/migration.py',
    'manila_lite/share/drivers/local/replication.py',
    'manila_lite/share/drivers/local_tree.py',
    'manila_lite/share/replication.py',
    'manila_lite/share/migration.py',
)

_OS_PATH_WALKERS = frozenset({
    'walk', 'fwalk', 'scandir', 'listdir', 'open', 'stat', 'lstat',
    'chmod', 'lchmod', 'chown', 'lchown', 'utime', 'unlink', 'remove',
    'rmdir', 'removedirs', 'mkdir', 'makedirs', 'rename', 'renames',
    'replace', 'symlink', 'link', 'readlink', 'mknod', 'mkfifo',
    'listxattr', 'getxattr', 'setxattr', 'removexattr', 'truncate',
    'access', 'chdir', 'chroot', 'opendir'})
_OS_PATH_PROBES = frozenset({
    'exists', 'lexists', 'isdir', 'isfile', 'islink', 'ismount',
    'samefile', 'getsize', 'getmtime', 'getatime', 'getctime',
    'realpath'})
_BANNED_MODULES = frozenset({'shutil', 'tempfile', 'glob', 'pathlib',
                             'io'})


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return '.'.join(reversed(parts))
    return None


def violations(source, filename='<source>'):
    """``[(line, what)]`` of path-walking calls and imports."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split('.')[0] in _BANNED_MODULES:
                    found.append((node.lineno, 'import ' + alias.name))
        elif isinstance(node, ast.ImportFrom):
            module = (node.module or '').split('.')[0]
            if module in _BANNED_MODULES | {'os', 'posix'}:
                found.append((node.lineno, 'from %s import' % node.module))
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name is None:
                continue
            parts = name.split('.')
            if name in ('open', 'io.open', 'builtins.open'):
                found.append((node.lineno, name + '()'))
            elif len(parts) == 2 and parts[0] == 'os' and \
                    parts[1] in _OS_PATH_WALKERS:
                found.append((node.lineno, name + '()'))
            elif parts[:2] == ['os', 'path'] and len(parts) == 3 and \
                    parts[2] in _OS_PATH_PROBES:
                found.append((node.lineno, name + '()'))
            elif parts[0] in _BANNED_MODULES:
                found.append((node.lineno, name + '()'))
    return found


@pytest.mark.parametrize('module', SHARE_CONTENT_MODULES)
def test_share_content_goes_through_safefs(module):
    path = os.path.join(REPO, module)
    with open(path) as f:
        found = violations(f.read(), path)
    assert not found, (
        '%s calls path-walking functions; use manila_lite.data.safefs '
        '(directory descriptors, never a symlink followed): %s'
        % (module, ', '.join('line %d: %s' % v for v in found)))


@pytest.mark.parametrize('snippet', [
    'import os\nfor d, ds, fs in os.walk(root): pass',
    'import os\nos.stat(os.path.join(root, rel))',
    'import os\nos.open(root + "/" + rel, os.O_RDONLY)',
    'import shutil\nshutil.copy2(a, b)',
    'with open(path) as f: pass',
    'import os\nos.path.isdir(path)',
    'from os import walk',
    'import os\nos.chmod(name, 0o600, dir_fd=fd)',
])
def test_the_lint_catches_path_walking(snippet):
    assert violations(snippet)


def test_the_lint_lets_descriptor_calls_through():
    assert not violations(
        'import os\n'
        'os.fstat(fd); os.fchmod(fd, 0o600); os.close(fd)\n'
        'os.copy_file_range(a, b, 10); os.path.join(a, b)\n'
        'safefs.open_read(dir_fd, name)\n')
