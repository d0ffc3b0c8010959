"""manila-lite-share: run one share manager per enabled backend."""

import sys

from manila_lite import cmd
from manila_lite import service
from manila_lite.common import config
from manila_lite.common import coordination
from manila_lite.db import api as db


def main():
    conf = config.prepare_service()
    if not conf.enabled_share_backends:
        sys.exit('enabled_share_backends is empty: nothing to serve')
    db.configure(conf)
    try:
        service.launch(conf, cmd.share_services(conf))
    finally:
        coordination.stop()
