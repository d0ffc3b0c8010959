"""POST .../action: action tables and their one dispatcher.

A resource's actions are a table, action name -> ``Action`` (handler,
body schema, version ranges). The body holds exactly one key, the
action's name; an unknown name is upstream's 400 "There is no such
action", a known one outside its versions (or an experimental one
without the experimental header) the bare 404.
"""

from manila_lite.api import microversion as mv
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import share_actions as schemas
from manila_lite.common import exceptions


class Action:
    """A table entry: handler, body schema and version range(s)."""

    def __init__(self, handler, schema, *, min_version=None,
                 max_version=None, experimental=False, ga_from=None,
                 ga_until=None):
        self.handler = handler
        self.schema = schema
        self.ranges = [mv.VersionRange(min_version, max_version,
                                       experimental)]
        if ga_from is not None:
            # Experimental up to just before ``ga_from``, GA after.
            self.ranges.append(mv.VersionRange(ga_from, ga_until))

    def matches(self, req_version):
        return any(r.matches(req_version) for r in self.ranges)


def admin_actions(reset_status, force_delete, *, since=None):
    """Upstream's admin actions of a resource served from ``since``:
    ``reset_status`` and ``force_delete``, named ``os-...`` up to 2.6
    and plainly from 2.7."""
    old = {'min_version': since, 'max_version': '2.6'}
    new = {'min_version': '2.7'}
    return {
        'os-reset_status': Action(reset_status, schemas.RESET_STATUS_2_0,
                                  **old),
        'reset_status': Action(reset_status, schemas.RESET_STATUS_2_7,
                               **new),
        'os-force_delete': Action(force_delete, schemas.FORCE_DELETE_2_0,
                                  **old),
        'force_delete': Action(force_delete, schemas.FORCE_DELETE_2_7,
                               **new),
    }


def dispatch(req, table, resource_id):
    name, body = common.action_of(req, table)
    entry = table[name]
    if not entry.matches(req.version):
        raise exceptions.VersionNotFoundForAPIMethod()
    validation.validate(body, entry.schema)
    return entry.handler(req, resource_id, body[name] or {})
