"""requirements.txt names what the package imports, and nothing else:
a library listed but never imported is a promise the code does not keep
(issue 19). The few that are loaded by name rather than imported say
why below."""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: Requirement -> why nothing imports it.
NOT_IMPORTED = {
    'pbr': 'setup.py builds the package with it',
    'redis': "tooz's redis driver, named by [coordination] backend_url",
    'PyMySQL': "SQLAlchemy's mysql+pymysql:// dialect, named by URL",
    'psycopg2-binary': "SQLAlchemy's postgresql:// dialect, named by URL",
}

#: Distribution name -> module name, where they differ by more than case
#: and dots.
MODULE = {
    'microversion-parse': 'microversion_parse',
}


def _requirements():
    names = []
    for line in (ROOT / 'requirements.txt').read_text().splitlines():
        line = line.split('#')[0].strip()
        if line:
            names.append(re.split(r'[<>=!~;\[ ]', line)[0])
    return names


def _imported():
    modules = set()
    for path in (ROOT / 'manila_lite').rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules.update(a.name.split('.')[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module.split('.')[0])
    return modules


def test_every_requirement_is_imported():
    imported = _imported()
    unused = [name for name in _requirements()
              if name not in NOT_IMPORTED
              and MODULE.get(name, name.lower().replace('.', '_'))
              not in imported]
    assert unused == []


def test_the_exceptions_are_still_requirements():
    assert set(NOT_IMPORTED) <= set(_requirements())
