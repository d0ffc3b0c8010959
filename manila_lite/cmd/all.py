"""manila-lite-all: the embedded deployment in one process.

API, scheduler, share and data services share oslo.messaging's in-process
transport and an SQLite database under ``state_path``; noauth on
127.0.0.1:8786. No configuration file is needed: out of the box two
``local`` backends (``local1`` in ``az1``, ``local2`` in ``az2``) with
two pools each, and a default share type (``default_share_type``, named
``dhss_false`` unless configured). The type is not named ``default`` so
that a user's first ``openstack share type create default false`` works
as it does on a fresh upstream deployment.
"""

import os

from oslo_log import log as logging

from manila_lite import cmd
from manila_lite import service
from manila_lite.common import config
from manila_lite.common import context
from manila_lite.db import api as db
from manila_lite.db import migration

LOG = logging.getLogger(__name__)

EMBEDDED_SHARE_TYPE = 'dhss_false'
#: What the local backends serve: a share copies its type's capabilities
#: and a capability the type does not name is off (as upstream).
EMBEDDED_SHARE_TYPE_SPECS = {
    'driver_handles_share_servers': 'False',
    'snapshot_support': 'True',
    'create_share_from_snapshot_support': 'True',
}


def set_embedded_defaults(conf):
    conf.set_default('transport_url', 'fake:/')
    conf.set_default('auth_strategy', 'noauth')


def prepare(conf):
    """Database at head, default share type present; returns the
    services to run."""
    os.makedirs(conf.state_path, exist_ok=True)
    config.embedded_defaults(conf)
    migration.upgrade(conf)
    db.configure(conf)
    if not conf.default_share_type:
        conf.set_default('default_share_type', EMBEDDED_SHARE_TYPE)
    db.share_type_ensure(context.get_admin_context(),
                         conf.default_share_type, EMBEDDED_SHARE_TYPE_SPECS,
                         description='Created by manila-lite-all')
    return ([cmd.scheduler_service(conf)] + cmd.share_services(conf)
            + [cmd.data_service(conf)])


def main():
    conf = config.prepare_service(pre_parse_hook=set_embedded_defaults)
    services = prepare(conf)
    server = cmd.wsgi_server(conf)
    LOG.info('manila-lite-all serving http://%s:%s/ (state in %s)',
             conf.osapi_share_listen, conf.osapi_share_listen_port,
             conf.state_path)
    service.launch(conf, services, wsgi_server=server)
