"""manila-lite-api: serve the v2 REST API."""

from manila_lite import cmd
from manila_lite.common import config
from manila_lite.common import service
from manila_lite.db import api as db


def main():
    conf = config.prepare_service()
    db.configure(conf)
    service.launch(conf, [], wsgi_server=cmd.wsgi_server(conf))
