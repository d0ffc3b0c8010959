"""Console commands. Each ``main`` parses configuration, then builds and
runs its services with ``manila_lite.service.launch``."""

from manila_lite import service
from manila_lite.common import hosts
from manila_lite.common import states


def scheduler_service(conf):
    from manila_lite.scheduler import manager

    return service.Service(conf, binary=states.BINARY_SCHEDULER,
                           topic=conf.scheduler_topic, host=conf.host,
                           manager=manager.SchedulerManager(conf))


def share_services(conf):
    """One service per enabled backend, host ``<host>@<backend>``."""
    from manila_lite.share import manager

    services = []
    for backend in conf.enabled_share_backends:
        host = hosts.backend_host(conf.host, backend)
        mgr = manager.ShareManager(conf, host, backend)
        services.append(service.Service(
            conf, binary=states.BINARY_SHARE, topic=conf.share_topic,
            host=host, manager=mgr,
            availability_zone=mgr.availability_zone))
    return services


def data_service(conf):
    from manila_lite.data import manager

    return service.Service(
        conf, binary=states.BINARY_DATA, topic=conf.data_topic,
        host=conf.host, manager=manager.DataManager(conf, conf.host))


def wsgi_server(conf):
    from manila_lite.api import app
    from manila_lite.api import server

    return server.make_server(conf, app.build_app(conf))
