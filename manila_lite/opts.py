"""Every option of manila_lite, for oslo-config-generator (entry point
``oslo.config.opts = manila_lite = manila_lite.opts:list_opts``).

It lives above common/ because it names a driver's options too."""

from oslo_config import cfg

from manila_lite.common import config
from manila_lite.share.drivers import local


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    default: list[cfg.Opt] = [
        *config.API_OPTS, *config.SERVICE_OPTS, *config.MESSAGE_OPTS]
    coordination: list[cfg.Opt] = [*config.COORDINATION_OPTS]
    backend: list[cfg.Opt] = [*config.BACKEND_OPTS, *local.LOCAL_OPTS]
    return [
        ('DEFAULT', default),
        ('coordination', coordination),
        ('quota', [*config.QUOTA_OPTS]),
        ('backend', backend),
    ]
