"""POST .../action for the admin resources (share instances,
snapshots, snapshot instances): one dispatcher over a table of
``share_actions.Action`` entries, with the same answers as the share
action table: an unknown name is a 400 "There is no such action", a
known one outside its versions the bare 404."""

from manila_lite.api import validation
from manila_lite.common import exceptions


def dispatch(req, table, resource_id):
    body = req.json()
    if not isinstance(body, dict) or len(body) != 1:
        raise exceptions.MalformedRequestBody('Malformed request body')
    name = next(iter(body))
    entry = table.get(name)
    if entry is None:
        raise exceptions.Invalid('There is no such action: %s' % name)
    if not entry.matches(req.version):
        raise exceptions.VersionNotFoundForAPIMethod()
    validation.validate(body, entry.schema)
    return entry.handler(req, resource_id, body[name] or {})
