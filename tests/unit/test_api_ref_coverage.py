"""The api-ref (api-ref/source/*.inc) documents every call the API serves.

* every route of ``ROUTES`` and each of its methods has a
  ``.. rest_method:: METHOD /v2/...`` section (path shapes compared,
  placeholder names ignored), and no section documents a call that is
  not served;
* every share action and every replica action is named, as
  ``"name"``, in a section of ``POST .../action`` (in its text or in a
  sample it includes);
* every ``.inc`` file is included from index.rst, and every sample is
  shown by some section.
"""

import json
import os
import re

import pytest

from manila_lite.api.controllers.v2 import ROUTES
from manila_lite.api.controllers.v2 import share_actions
from manila_lite.api.controllers.v2 import share_instances
from manila_lite.api.controllers.v2 import share_replicas
from manila_lite.api.controllers.v2 import snapshot_instances

SOURCE = os.path.join(os.path.dirname(__file__), '..', '..', 'api-ref',
                      'source')
SAMPLES = os.path.join(SOURCE, 'samples')

_METHOD_RE = re.compile(r'^\.\. rest_method::\s+(\w+)\s+(\S+)\s*$')
_INCLUDE_RE = re.compile(r'^\.\. literalinclude::\s+(\S+)\s*$')


def shape(path):
    """The path with every ``{placeholder}`` as ``{}``."""
    return tuple('{}' if p.startswith('{') else p for p in path.split('/'))


def inc_files():
    return sorted(n for n in os.listdir(SOURCE) if n.endswith('.inc'))


def sections():
    """``[(method, path, text)]``: each rest_method with the text up to
    the next one, the samples it includes appended."""
    out = []
    for name in inc_files():
        with open(os.path.join(SOURCE, name)) as f:
            lines = f.read().splitlines()
        current = None
        for line in lines:
            m = _METHOD_RE.match(line)
            if m:
                current = [m.group(1), m.group(2), []]
                out.append(current)
                continue
            if current is None:
                continue
            current[2].append(line)
            inc = _INCLUDE_RE.match(line)
            if inc:
                with open(os.path.join(SOURCE, inc.group(1))) as f:
                    current[2].append(f.read())
    return [(m, p, '\n'.join(t)) for m, p, t in out]


def served():
    """``{(method, shape)}`` of every call ROUTES serves."""
    return {(method, shape('/v2' + route.template))
            for route in ROUTES for method in route.methods}


def test_every_route_has_a_section():
    documented = {(m, shape(p)) for m, p, _ in sections()}
    missing = sorted((m, '/'.join(s)) for m, s in served() - documented)
    assert not missing, 'routes without an api-ref section: %s' % missing


def test_every_section_is_served():
    known = served() | {('GET', shape('/'))}
    stale = sorted((m, p) for m, p, _ in sections()
                   if (m, shape(p)) not in known)
    assert not stale, 'api-ref sections of calls not served: %s' % stale


def _action_sections_text(prefix):
    """The text of every ``POST <prefix>.../action`` section."""
    return '\n'.join(t for m, p, t in sections()
                     if m == 'POST' and p.startswith(prefix)
                     and p.endswith('/action'))


def test_every_share_action_has_a_section():
    text = _action_sections_text('/v2/shares/')
    missing = sorted(a for a in share_actions.ACTIONS
                     if '"%s"' % a not in text)
    assert not missing, 'share actions without an api-ref section: %s' % (
        missing,)


def test_every_replica_action_has_a_section():
    text = _action_sections_text('/v2/share-replicas/')
    missing = sorted(a for a in share_replicas.ACTIONS
                     if '"%s"' % a not in text)
    assert not missing, 'replica actions without an api-ref section: %s' % (
        missing,)


@pytest.mark.parametrize('prefix,table', [
    ('/v2/share_instances/', share_instances.ACTIONS),
    ('/v2/snapshot-instances/', snapshot_instances.INSTANCE_ACTIONS),
    ('/v2/snapshots/', snapshot_instances.SNAPSHOT_ACTIONS),
])
def test_every_admin_action_has_a_section(prefix, table):
    text = _action_sections_text(prefix)
    missing = sorted(a for a in table if '"%s"' % a not in text)
    assert not missing, 'actions of %s without an api-ref section: %s' % (
        prefix, missing)


def test_every_inc_is_included():
    with open(os.path.join(SOURCE, 'index.rst')) as f:
        index = f.read()
    included = set(re.findall(r'^\.\. include::\s+(\S+)\s*$', index,
                              re.MULTILINE))
    assert set(inc_files()) == included


def test_every_sample_is_shown_and_parses():
    shown = set()
    for name in inc_files():
        with open(os.path.join(SOURCE, name)) as f:
            for line in f:
                m = _INCLUDE_RE.match(line.rstrip('\n'))
                if m:
                    shown.add(os.path.normpath(m.group(1)))
    samples = set()
    for name in os.listdir(SAMPLES):
        if name.endswith('.json'):
            with open(os.path.join(SAMPLES, name)) as f:
                json.load(f)
            samples.add(os.path.join('samples', name))
    assert not samples - shown, 'samples no section shows: %s' % sorted(
        samples - shown)
