"""manila-lite-data: run the data service."""

from manila_lite import cmd
from manila_lite import service
from manila_lite.common import config
from manila_lite.db import api as db


def main():
    conf = config.prepare_service()
    db.configure(conf)
    service.launch(conf, [cmd.data_service(conf)])
