"""The docs follow the code: state-machine pictures from
common/states.py, and the reliability page's tests exist."""

import os
import re

from tools import states_graph

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def test_state_graphs_are_current():
    out = os.path.join(ROOT, 'doc', 'source', 'states')
    for name, text in states_graph.render_all().items():
        with open(os.path.join(out, name)) as f:
            assert f.read() == text, (
                '%s is stale: run python tools/states_graph.py' % name)


def test_every_state_appears():
    from manila_lite.common import states

    text = states_graph.render_all()['replica-state.dot']
    for state in states.REPLICA_STATES:
        assert '"%s"' % state in text


def test_reliability_page_names_tests_that_exist():
    """doc/source/reliability.rst cites ``tests/...py::test_name`` for
    every guarantee; each must be a test function in that file."""
    with open(os.path.join(ROOT, 'doc', 'source', 'reliability.rst')) as f:
        cited = re.findall(r'``(tests/[\w/]+\.py)::(\w+)``', f.read())
    assert len(cited) >= 20
    missing = []
    for path, name in cited:
        with open(os.path.join(ROOT, path)) as f:
            # A function, or one built by a decorator call (hypothesis).
            if not re.search(r'^(def %s\(|%s = )' % (name, name),
                             f.read(), re.M):
                missing.append('%s::%s' % (path, name))
    assert not missing, missing
