"""``openstack share migration job show``: the data copy job of a
host-assisted migration, as the data service records it (bytes and
files copied, rate, an estimate of the time left, the file being
copied). The figures come from the migration progress call's
``details``, which manila_lite fills from its copy job table."""

from osc_lib import utils
from osc_lib.command import command

UNITS = ('B', 'KiB', 'MiB', 'GiB', 'TiB')


def human(count):
    value = float(count or 0)
    for unit in UNITS:
        if value < 1024 or unit == UNITS[-1]:
            return ('%d %s' % (value, unit) if unit == 'B'
                    else '%.1f %s' % (value, unit))
        value /= 1024


def eta(details):
    """Seconds left at the current rate, or None when unknown."""
    rate = details.get('rate_bytes_per_second') or 0
    total = details.get('bytes_total')
    if not rate or total is None:
        return None
    return max(0, int(round((total - (details.get('bytes_done') or 0))
                            / rate)))


def describe(body):
    """The rows shown for a migration progress reply."""
    details = body.get('details') or {}
    left = eta(details)
    return {
        'task_state': body.get('task_state'),
        'total_progress': '%s%%' % (body.get('total_progress') or 0),
        'bytes': '%s / %s' % (human(details.get('bytes_done')),
                              human(details.get('bytes_total'))),
        'files': '%s / %s' % (details.get('files_done', 0),
                              details.get('files_total', 0)),
        'rate': '%s/s' % human(details.get('rate_bytes_per_second')),
        'eta_seconds': '' if left is None else left,
        'current_file': details.get('current_file_path') or '',
    }


class ShowCopyJob(command.ShowOne):
    """Show the data copy job of a share's host-assisted migration."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('share', help='Name or ID of the share.')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.share
        share = utils.find_resource(client.shares, parsed_args.share)
        _resp, body = client.shares.migration_get_progress(share)
        rows = describe(body or {})
        return tuple(rows), tuple(rows.values())
