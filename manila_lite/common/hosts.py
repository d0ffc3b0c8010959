"""Share host names, as upstream Manila writes them: ``node@backend#pool``.

A share service is ``node@backend`` (its RPC server name and its row in
``services``); an instance lives on ``node@backend#pool``. Every module
splits and joins these names here, never by hand.
"""


def backend_of(host: str) -> str:
    """``node@backend#pool`` -> ``node@backend`` (unchanged without pool)."""
    return host.partition('#')[0]


def pool_of(host: str) -> str:
    """``node@backend#pool`` -> ``pool``; ``''`` without a pool."""
    return host.partition('#')[2]


def node_of(host: str) -> str:
    """``node@backend#pool`` -> ``node``."""
    return backend_of(host).partition('@')[0]


def backend_name_of(host: str) -> str:
    """``node@backend#pool`` -> ``backend``; ``''`` without a backend."""
    return backend_of(host).partition('@')[2]


def backend_host(node: str, backend: str) -> str:
    """``node``, ``backend`` -> ``node@backend``."""
    return '%s@%s' % (node, backend)


def pool_host(backend_host: str, pool: str) -> str:
    """``node@backend``, ``pool`` -> ``node@backend#pool``."""
    return '%s#%s' % (backend_host, pool)


def has_pool(host: str) -> bool:
    """Whether ``host`` names a pool (``...#pool``)."""
    return '#' in host
