"""Resource lock representations (upstream's fields, unchanged since
2.81)."""

from manila_lite.api import views


def item(req, lock):
    return {
        'id': lock.id,
        'user_id': lock.user_id,
        'project_id': lock.project_id,
        'lock_context': lock.lock_context,
        'resource_type': lock.resource_type,
        'resource_id': lock.resource_id,
        'resource_action': lock.resource_action,
        'lock_reason': lock.lock_reason,
        'created_at': views.isotime(lock.created_at),
        'updated_at': views.isotime(lock.updated_at),
        'links': req.link('resource-locks', lock.id),
    }


def show(req, lock):
    return {'resource_lock': item(req, lock)}


def index(req, locks, *, count=None, next_link=None):
    body = {'resource_locks': [item(req, lock) for lock in locks]}
    if count:
        body['count'] = count
    if next_link:
        body['resource_locks_links'] = [{'rel': 'next', 'href': next_link}]
    return body
