"""Write the state machines of manila_lite/common/states.py (the graphs
derived from its event tables) as Graphviz dot files
(doc/source/states/*.dot), for the docs.

    python tools/states_graph.py [OUTPUT_DIR]

tests/unit/test_docs.py fails when the committed files differ from what
this produces, so the pictures follow the tables.
"""

import argparse
import os

from manila_lite.common import states

MACHINES = {
    'share-instance-status': ('Share instance status',
                              states.INSTANCE_EVENTS),
    'migration-task-state': ('Share migration task_state',
                             states.TASK_EVENTS),
    'replica-state': ('Share replica replica_state', states.REPLICA_EVENTS),
    'copy-job-state': ('Data copy job state', states.JOB_EVENTS),
    'snapshot-instance-status': ('Snapshot instance status',
                                 states.SNAPSHOT_EVENTS),
    'access-rule-state': ('Access rule state', states.ACCESS_EVENTS),
    'access-rules-status': ('Share instance access_rules_status',
                            states.ACCESS_RULES_EVENTS),
    'share-backup-status': ('Share backup status', states.BACKUP_EVENTS),
    'share-group-status': ('Share group status', states.SHARE_GROUP_EVENTS),
    'snapshot-access-state': ('Snapshot access rule state',
                              states.SNAPSHOT_ACCESS_EVENTS),
}


def _name(state):
    if state == states.ANY:
        return '(any)'
    return state or 'none'


def dot(title, events):
    """One edge per (event, source, target), labelled with the event;
    ``ANY`` is drawn as the node ``(any)``."""
    lines = ['digraph "%s" {' % title, '  rankdir=LR;',
             '  node [shape=box, style=rounded, fontsize=10];',
             '  edge [fontsize=8];',
             '  label="%s"; labelloc=t;' % title]
    for name in sorted(events):
        event = events[name]
        sources = ([states.ANY] if event.sources == states.ANY
                   else sorted(event.sources, key=str))
        targets = ([states.ANY] if event.targets == states.ANY
                   else sorted(event.targets, key=str))
        for old in sources:
            for new in targets:
                if new == old and new != states.ANY:
                    continue
                lines.append('  "%s" -> "%s" [label="%s"];'
                             % (_name(old), _name(new), name))
    lines.append('}')
    return '\n'.join(lines) + '\n'


def render_all():
    return {name + '.dot': dot(title, events)
            for name, (title, events) in MACHINES.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        'output_dir', nargs='?',
        default=os.path.join(os.path.dirname(__file__), '..', 'doc',
                             'source', 'states'),
        help='where the .dot files go (default: doc/source/states)')
    out = parser.parse_args(argv).output_dir
    os.makedirs(out, exist_ok=True)
    for name, text in render_all().items():
        with open(os.path.join(out, name), 'w') as f:
            f.write(text)


if __name__ == '__main__':
    main()
