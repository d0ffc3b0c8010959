"""manila-lite-api: serve the v2 REST API.

With ``osapi_share_workers`` > 1, ``api.workers`` forks that many
processes serving one socket, each running ``serve``.
"""

import functools

from manila_lite import service
from manila_lite.api import app
from manila_lite.api import server
from manila_lite.api import workers
from manila_lite.common import config
from manila_lite.db import api as db


def serve(conf, sock=None):
    """Run one API process until SIGTERM or SIGINT.

    In a worker this runs after the fork: the database engine and the
    RPC transport that the app creates belong to this process alone.
    """
    db.configure(conf)
    wsgi_app = app.build_app(conf)
    app.freeze_heap()
    service.launch(conf, [], wsgi_server=server.make_server(
        conf, wsgi_app, sock=sock))


def main():
    conf = config.prepare_service()
    if conf.osapi_share_workers > 1:
        workers.run(conf, functools.partial(serve, conf))
    else:
        serve(conf)
