"""/share-backups (2.80+, experimental as upstream): list, detail, show,
create, update, delete, and the ``restore`` and admin ``reset_status``
actions. The data service runs backups and restores (see
``share/backup_api.py`` and ``data/backup.py``)."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import share_backups as schemas
from manila_lite.api.views import share_backups as views
from manila_lite.common import exceptions
from manila_lite.db import backups as backup_db

#: Every handler's versions: upstream serves backups as experimental.
backups_api = mv.api_version('2.80', experimental=True)

_NAMES = {'name': 'name', 'description': 'description'}


def _api(req):
    return req.share_api.backups


def _list(req, render):
    req.authorize('share_backup:get_all')
    params = req.params
    filters = {}
    for key in backup_db.FILTER_KEYS:
        if key in params:
            filters[key] = params[key]
    for key in ('name~', 'description~'):
        if key in params:
            filters[key] = params[key]
    sort_key = params.get('sort_key', 'created_at')
    sort_dir = params.get('sort_dir', 'desc')
    if sort_key not in backup_db.SORT_KEYS:
        raise exceptions.InvalidInput(
            reason='Wrong sorting key provided - %s.' % sort_key)
    if sort_dir not in ('asc', 'desc'):
        raise exceptions.InvalidInput(
            reason='Wrong sorting data provided: sort key is %s'
                   % sort_dir)
    limit, offset = common.pagination(req)
    backups = _api(req).get_all(
        req.ctx, filters=filters, limit=limit, offset=offset,
        sort_key=sort_key, sort_dir=sort_dir,
        all_tenants=bool(common.query_bool(params, 'all_tenants', False)))
    return routing.reply(render(req, backups))


@backups_api
def index(req):
    return _list(req, views.index)


@backups_api
def detail(req):
    return _list(req, views.detail_list)


@backups_api
def show(req, backup_id):
    req.authorize('share_backup:get')
    return routing.reply(views.show(req, _api(req).get(req.ctx, backup_id)))


def _share_backup(req):
    body = req.json()
    if not isinstance(body, dict) or not isinstance(
            body.get('share_backup'), dict):
        raise exceptions.UnprocessableEntity(
            "Body does not contain 'share_backup' information.")
    return body


@backups_api
def create(req):
    body = _share_backup(req)
    req.authorize('share_backup:create')
    if not body['share_backup'].get('share_id'):
        raise exceptions.Invalid(
            "'share_id' is missing from the request body.")
    item = validation.validate(body, schemas.CREATE,
                               req.version)['share_backup']
    backup = _api(req).create(
        req.ctx, item['share_id'], name=item.get('name'),
        description=item.get('description'),
        backup_options=item.get('backup_options'))
    return routing.reply(views.show(req, backup), status=202)


@backups_api
def update(req, backup_id):
    body = _share_backup(req)
    req.authorize('share_backup:update')
    item = validation.validate(body, schemas.UPDATE,
                               req.version)['share_backup']
    backup = _api(req).update(req.ctx, backup_id, **item)
    # 200: what upstream answers (its 202 decorator does not reach the
    # versioned method), and what manila-tempest-plugin expects.
    return routing.reply(views.show(req, backup))


@backups_api
def delete(req, backup_id):
    req.authorize('share_backup:delete')
    _api(req).delete(req.ctx, backup_id)
    return routing.reply(status=202)


# --- actions -------------------------------------------------------------
def restore(req, backup_id, body):
    req.authorize('share_backup:restore')
    target = body if isinstance(body, str) else body.get('target_share_id')
    restored = _api(req).restore(req.ctx, backup_id, target_share_id=target)
    return routing.reply(views.restore(req, restored), status=202)


def reset_status(req, backup_id, body):
    req.authorize('share_backup:reset_status')
    _api(req).reset_status(req.ctx, backup_id, body['status'])
    return routing.reply(status=202)


ACTIONS = {
    'restore': (restore, schemas.RESTORE),
    'reset_status': (reset_status, schemas.RESET_STATUS),
}


@backups_api
def action(req, backup_id):
    name, body = common.action_of(req, ACTIONS)
    handler, schema = ACTIONS[name]
    validation.validate(body, schema, req.version)
    return handler(req, backup_id, body[name] or {})
