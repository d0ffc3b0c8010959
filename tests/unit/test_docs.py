"""The state-machine pictures in the docs follow common/states.py."""

import os

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
