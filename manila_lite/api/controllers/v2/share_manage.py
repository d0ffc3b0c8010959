"""Manage and unmanage (administrators): ``POST /shares/manage``
(``/os-share-manage`` up to 2.6), the ``unmanage`` share action (2.7+)
and ``POST /os-share-unmanage/{id}/unmanage`` (up to 2.6). The checks
and their answers are upstream's; see share/manage.py for what this
deployment can and cannot do."""

from manila_lite.api import routing
from manila_lite.common import exceptions
from manila_lite.share import manage


def manage_share(req):
    req.authorize('share:manage')
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get('share'),
                                                    dict):
        raise exceptions.UnprocessableEntity(
            'Share entity not found in request body')
    manage.check_manage(req.share_api, req.ctx, body['share'])


def unmanage_share(req, share_id, body=None):
    req.authorize('share:unmanage')
    manage.unmanage(req.share_api, req.ctx, share_id)
    return routing.reply(status=202)
