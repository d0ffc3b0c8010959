"""Every option of manila_lite, for oslo-config-generator (entry point
``oslo.config.opts = manila_lite = manila_lite.opts:list_opts``).

It lives above common/ because it names a driver's options too."""

from manila_lite.common import config
from manila_lite.share.drivers import local


def list_opts():
    return [
        ('DEFAULT', config.API_OPTS + config.SERVICE_OPTS
         + config.MESSAGE_OPTS),
        ('coordination', config.COORDINATION_OPTS),
        ('backend', config.BACKEND_OPTS + local.LOCAL_OPTS),
    ]
