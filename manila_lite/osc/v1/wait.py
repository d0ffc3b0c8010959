"""``openstack share migration wait`` and ``openstack share replica
wait``: block until a migration or a replica reaches a state, drawing a
progress bar on stderr (the migration's percentage, the replica's state
and sync lag), and fail on an error state or a timeout.

A writable host-assisted migration also shows its passes: the pass
number, what the last finished pass changed, the estimated read-only
window of the final pass and, once ``migration_complete`` made the
source read-only, how long it has been (or was) so. Each pass keeps a
line of its own.
"""

import sys
import time

from osc_lib import exceptions
from osc_lib import utils
from osc_lib.command import command

from manila_lite.common import states
from manila_lite.osc.v1 import jobs

#: Where a migration stops by itself (phase 1 done, or the end).
MIGRATION_STOPS = {states.TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE,
                   states.TASK_STATE_DATA_COPYING_COMPLETED,
                   states.TASK_STATE_MIGRATION_SUCCESS,
                   states.TASK_STATE_MIGRATION_CANCELLED}
MIGRATION_ERRORS = {states.TASK_STATE_MIGRATION_ERROR,
                    states.TASK_STATE_DATA_COPYING_ERROR}


def bar(fraction, width=30):
    done = int(round(max(0.0, min(1.0, fraction)) * width))
    return '[%s%s] %3d%%' % ('#' * done, '.' * (width - done),
                             int(round(fraction * 100)))


def passes(details):
    """A writable migration's passes in words ('' for any other)."""
    number = details.get('pass')
    if number is None:
        return ''
    text = '%spass %d' % ('final ' if details.get('final_pass') else '',
                          number)
    if 'final_window_seconds' in details:
        return '%s; read-only window %.2f s' % (
            text, details['final_window_seconds'])
    if 'readonly_seconds' in details:
        return '%s; read-only for %.2f s' % (text,
                                             details['readonly_seconds'])
    if 'files_changed_last_pass' in details:
        text += '; last pass changed %d files, %s' % (
            details['files_changed_last_pass'],
            jobs.human(details.get('bytes_changed_last_pass')))
    if 'estimated_final_window_seconds' in details:
        text += '; final window ~%.2f s' % (
            details['estimated_final_window_seconds'])
    return text


class _Wait(command.Command):
    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--timeout', type=float, default=3600,
                            help='Seconds to wait before failing.')
        parser.add_argument('--interval', type=float, default=1.0,
                            help='Seconds between polls.')
        return parser

    def _draw(self, text):
        sys.stderr.write('\r' + text)
        sys.stderr.flush()

    def _poll(self, parsed_args, step):
        deadline = time.monotonic() + parsed_args.timeout
        while True:
            done = step()
            if done:
                sys.stderr.write('\n')
                return
            if time.monotonic() > deadline:
                sys.stderr.write('\n')
                raise exceptions.CommandError('timed out')
            time.sleep(parsed_args.interval)


class WaitMigration(_Wait):
    """Wait for a share migration to end its current phase."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('share', help='Name or ID of the share.')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.share
        share = utils.find_resource(client.shares, parsed_args.share)

        seen = []

        def step():
            current = client.shares.get(share.id)
            task = getattr(current, 'task_state', None)
            _resp, body = client.shares.migration_get_progress(current)
            percent = (body or {}).get('total_progress') or 0
            details = (body or {}).get('details') or {}
            if seen and details.get('pass') not in (None, seen[-1]):
                # A new pass: the last one's line stays.
                sys.stderr.write('\n')
            seen.append(details.get('pass'))
            text = passes(details)
            self._draw('%s %s%s' % (bar(percent / 100.0), task,
                                    ' | ' + text if text else ''))
            if task in MIGRATION_ERRORS:
                sys.stderr.write('\n')
                raise exceptions.CommandError('migration failed: %s' % task)
            return task in MIGRATION_STOPS

        self._poll(parsed_args, step)


class WaitReplica(_Wait):
    """Wait for a share replica to reach a replica state."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('replica', help='ID of the share replica.')
        parser.add_argument('--state', default=states.REPLICA_STATE_IN_SYNC,
                            choices=sorted(states.REPLICA_STATES - {
                                states.REPLICA_STATE_ERROR}),
                            help='replica_state to wait for (in_sync).')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.share
        steps = (states.REPLICA_STATE_OUT_OF_SYNC,
                 states.REPLICA_STATE_IN_SYNC)

        def step():
            replica = client.share_replicas.get(parsed_args.replica)
            state = replica.replica_state
            status = replica.status
            lag = getattr(replica, 'sync_lag_seconds', None)
            fraction = 1.0 if state in (states.REPLICA_STATE_ACTIVE,
                                        parsed_args.state) else (
                (steps.index(state) + 1) / 3.0 if state in steps else 0.0)
            self._draw('%s %s/%s%s' % (bar(fraction), status, state,
                                       '' if lag is None else
                                       ' (data %ss old)' % lag))
            if states.STATUS_ERROR in (status, state):
                sys.stderr.write('\n')
                raise exceptions.CommandError('replica is in error')
            return (state == parsed_args.state
                    and status == states.STATUS_AVAILABLE)

        self._poll(parsed_args, step)
