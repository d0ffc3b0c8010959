"""Share type access: the projects that may use a private share type.

``GET /types/{id}/share_type_access`` (``os-share-type-access`` up to
2.6) lists them; ``POST /types/{id}/action`` with ``addProjectAccess``
or ``removeProjectAccess`` changes them. As upstream: public types have
no access list (404) and cannot be changed (409); a project must look
like a UUID (400); a duplicate is 409, an absent one 404.
"""

from oslo_utils import uuidutils

from manila_lite.api import routing
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


def _private_type(req, share_type_id):
    stype = _type(req, share_type_id)
    if stype.is_public:
        raise exceptions.Conflict(
            'Type access modification is not applicable to public share '
            'type.')
    return stype


def add_project_access(req, share_type_id, body):
    req.authorize('share_type:add_project_access')
    project = _project(body, 'addProjectAccess')
    stype = _private_type(req, share_type_id)
    access_db.add(req.ctx, stype.id, project)
    return routing.reply(status=202)


def remove_project_access(req, share_type_id, body):
    req.authorize('share_type:remove_project_access')
    project = _project(body, 'removeProjectAccess')
    stype = _private_type(req, share_type_id)
    access_db.remove(req.ctx, stype.id, project)
    return routing.reply(status=202)


ACTIONS = {
    'addProjectAccess': add_project_access,
    'removeProjectAccess': remove_project_access,
}


def action(req, share_type_id):
    body = req.json()
    if not isinstance(body, dict) or len(body) != 1:
        raise exceptions.MalformedRequestBody('Malformed request body')
    name = next(iter(body))
    if name not in ACTIONS:
        raise exceptions.Invalid('There is no such action: %s' % name)
    return ACTIONS[name](req, share_type_id, body)
