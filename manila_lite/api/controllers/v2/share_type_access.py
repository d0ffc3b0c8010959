"""Share type access: the projects that may use a private share type.

``GET /types/{id}/share_type_access`` (``os-share-type-access`` up to
2.6) lists them; ``POST /types/{id}/action`` with ``addProjectAccess``
or ``removeProjectAccess`` changes them. As upstream: public types have
no access list (404) and cannot be changed (409); a project must look
like a UUID (400); a duplicate is 409, an absent one 404.
"""

from oslo_utils import uuidutils

from manila_lite.api import routing
from manila_lite.api.controllers.v2 import common
from manila_lite.api.views import share_types as views
from manila_lite.common import exceptions
from manila_lite.db import api as db
from manila_lite.db import share_type_access as access_db


def _type(req, share_type_id):
    # Admin-only calls: any type, by id or name.
    return db.share_type_get_by_id_or_name(req.ctx, share_type_id)


def index(req, share_type_id):
    req.authorize('share_type:list_project_access')
    stype = _type(req, share_type_id)
    if stype.is_public:
        raise exceptions.NotFound(
            'Access list not available for public share types.')
    return routing.reply(views.access_list(
        stype.id, access_db.projects(req.ctx, stype.id)))


def _project(body, name):
    inner = body.get(name)
    if not isinstance(inner, dict):
        raise exceptions.MalformedRequestBody('Malformed request body')
    project = inner.get('project')
    if not isinstance(project, str) or not uuidutils.is_uuid_like(project):
        raise exceptions.Invalid(
            'Bad project format: project is not in proper format (%s)'
            % project)
    return project


#: Action name -> its policy (share_type:...) and its change.
ACTIONS = {
    'addProjectAccess': ('add_project_access', access_db.add),
    'removeProjectAccess': ('remove_project_access', access_db.remove),
}


def action(req, share_type_id):
    name, body = common.action_of(req, ACTIONS)
    policy, change = ACTIONS[name]
    req.authorize('share_type:' + policy)
    project = _project(body, name)
    stype = _type(req, share_type_id)
    if stype.is_public:
        raise exceptions.Conflict(
            'Type access modification is not applicable to public share '
            'type.')
    change(req.ctx, stype.id, project)
    return routing.reply(status=202)
