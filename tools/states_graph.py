"""Write the state machines of manila_lite/common/states.py as Graphviz
dot files (doc/source/states/*.dot), for the docs.

    python tools/states_graph.py [OUTPUT_DIR]

tests/unit/test_docs.py fails when the committed files differ from what
this produces, so the pictures follow the tables.
"""

import os
import sys

from manila_lite.common import states

MACHINES = {
    'share-instance-status': ('Share instance status', states.STATUS_NEXT),
    'migration-task-state': ('Share migration task_state',
                             states.TASK_STATE_NEXT),
    'replica-state': ('Share replica replica_state',
                      states.REPLICA_STATE_NEXT),
    'copy-job-state': ('Data copy job state', states.JOB_NEXT),
    'share-backup-status': ('Share backup status',
                            states.BACKUP_STATUS_NEXT),
}


def dot(title, table):
    lines = ['digraph "%s" {' % title, '  rankdir=LR;',
             '  node [shape=box, style=rounded, fontsize=10];',
             '  label="%s"; labelloc=t;' % title]
    for old in sorted(table, key=lambda s: (s is None, str(s))):
        for new in sorted(table[old], key=str):
            if new == old:
                continue
            lines.append('  "%s" -> "%s";' % (old or 'none', new or 'none'))
    lines.append('}')
    return '\n'.join(lines) + '\n'


def render_all():
    return {name + '.dot': dot(title, table)
            for name, (title, table) in MACHINES.items()}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else os.path.join(
        os.path.dirname(__file__), '..', 'doc', 'source', 'states')
    os.makedirs(out, exist_ok=True)
    for name, text in render_all().items():
        with open(os.path.join(out, name), 'w') as f:
            f.write(text)


if __name__ == '__main__':
    main()
