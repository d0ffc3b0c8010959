"""``application``: the v2 API for gunicorn, uwsgi and other WSGI servers.

::

    MANILA_LITE_CONFIG_FILES=/etc/manila-lite/manila-lite.conf \
        gunicorn --workers 4 --threads 16 --bind 0.0.0.0:8786 \
        manila_lite.wsgi.api:application

The WSGI server owns the command line, so configuration files come from
``MANILA_LITE_CONFIG_FILES`` (comma-separated) instead of
``--config-file``; unset, the files ``manila-lite-api`` would find by
default (``~/.manila-lite/``, ``~/``, ``/etc/manila-lite/``, ``/etc/``).

Importing this module only parses the configuration and sets up logging,
so a bad file fails the worker's boot. The application itself, with the
database engine and the oslo.messaging transport, is built on the first
request, in the process serving it: oslo.messaging transports are not
fork-safe (rabbit only survives a fork if it never connected), and
servers that import the app in a master and fork workers from it
(``gunicorn --preload``, uwsgi without ``--lazy-apps``) would otherwise
share one transport and one connection pool between all workers. Each
worker process thus gets its own application, whichever the server.
"""

import os
import threading

from oslo_config import cfg

from manila_lite.common import config

#: Comma-separated configuration files, read in order.
CONFIG_FILES_ENV = 'MANILA_LITE_CONFIG_FILES'


def config_files(environ=os.environ):
    files = [f.strip() for f in environ.get(CONFIG_FILES_ENV, '').split(',')]
    return [f for f in files if f] or cfg.find_config_files(
        project='manila-lite', prog='manila-lite-api')


class _LazyApplication:
    """Builds the real application once per process, at its first call."""

    def __init__(self, conf):
        self.conf = conf
        self._app = None
        self._lock = threading.Lock()

    def _build(self):
        from manila_lite.api import app
        from manila_lite.db import api as db

        db.configure(self.conf)
        built = app.build_app(self.conf)
        app.freeze_heap()
        return built

    def __call__(self, environ, start_response):
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = self._build()
        return self._app(environ, start_response)


# argv=[]: the command line is the WSGI server's, not ours.
application = _LazyApplication(config.prepare_service(
    argv=[], default_config_files=config_files()))
