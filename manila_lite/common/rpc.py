"""oslo.messaging plumbing: transports, clients, servers, serializer.

One RPC transport per process (the in-process ``fake:`` driver only
connects clients and servers sharing the same transport object, which is
what the all-in-one relies on). Servers use the ``threading`` executor;
nothing here imports eventlet. Messages carry the request context as a
dict and plain ids as arguments: receivers reload state from the DB.
"""

import threading
import time

import kombu.exceptions
import oslo_messaging as messaging
from oslo_messaging.rpc import dispatcher

from manila_lite.common import context as ml_context
from manila_lite.common import hosts

#: What a cast raises when the message bus cannot take the message:
#: oslo.messaging's own errors, and the rabbit driver's connection error
#: once ``rpc_cast_timeout`` is spent.
CAST_ERRORS = (messaging.MessagingException,
               kombu.exceptions.OperationalError, OSError)

_LOCK = threading.Lock()
_TRANSPORT = None
_NOTIFICATION_TRANSPORT = None


class RequestContextSerializer(messaging.NoOpSerializer):
    """Send the context as a dict; entities are already plain values."""

    def serialize_context(self, context):
        return context.to_dict()

    def deserialize_context(self, context):
        return ml_context.RequestContext.from_dict(context)


def get_transport(conf):
    global _TRANSPORT
    with _LOCK:
        if _TRANSPORT is None:
            _TRANSPORT = messaging.get_rpc_transport(conf)
        return _TRANSPORT


def get_notification_transport(conf):
    global _NOTIFICATION_TRANSPORT
    with _LOCK:
        if _NOTIFICATION_TRANSPORT is None:
            _NOTIFICATION_TRANSPORT = (
                messaging.get_notification_transport(conf))
        return _NOTIFICATION_TRANSPORT


def cleanup():
    """Drop the process's transports (tests, and service shutdown)."""
    global _TRANSPORT, _NOTIFICATION_TRANSPORT
    with _LOCK:
        for transport in (_TRANSPORT, _NOTIFICATION_TRANSPORT):
            if transport is not None:
                transport.cleanup()
        _TRANSPORT = _NOTIFICATION_TRANSPORT = None


#: Seconds between two attempts of one cast while the bus refuses it.
CAST_RETRY_PAUSE = 0.25


class BoundedCastClient:
    """An RPC client whose casts give up after ``timeout`` seconds.

    oslo.messaging's own ``retry=N`` counts reconnections, and the time
    they take depends on the driver's sleeps (``kombu_reconnect_delay``,
    ``rabbit_retry_interval``, backoff) and on a heartbeat thread
    holding the connection while it reconnects: measured 2 to 5 s for
    one retry with the broker down. Here every attempt is a single try
    (``retry=0``: a refused connection fails at once) and this loop
    tries again until the deadline, so the time a cast may take is one
    option. A retry after a failed attempt also reconnects a pooled
    connection the broker closed while the broker is back.
    """

    def __init__(self, client, timeout):
        self._client = client
        self._timeout = timeout

    def prepare(self, **kwargs):
        return _BoundedCast(self._client.prepare(retry=0, **kwargs),
                            self._timeout)


class _BoundedCast:
    def __init__(self, cctxt, timeout):
        self._cctxt = cctxt
        self._timeout = timeout

    def cast(self, ctxt, method, **kwargs):
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                return self._cctxt.cast(ctxt, method, **kwargs)
            except CAST_ERRORS:
                if time.monotonic() + CAST_RETRY_PAUSE >= deadline:
                    raise
            time.sleep(CAST_RETRY_PAUSE)


def get_client(conf, topic, version, server=None):
    """A client whose casts give up after ``rpc_cast_timeout`` seconds
    instead of waiting for the bus forever."""
    target = messaging.Target(topic=topic, server=server, version=version)
    return BoundedCastClient(
        messaging.get_rpc_client(get_transport(conf), target,
                                 serializer=RequestContextSerializer()),
        conf.rpc_cast_timeout)


def get_server(conf, target, endpoints):
    return messaging.get_rpc_server(
        get_transport(conf), target, endpoints, executor='threading',
        serializer=RequestContextSerializer(),
        access_policy=dispatcher.DefaultRPCAccessPolicy)


def get_notifier(conf, publisher_id):
    return messaging.Notifier(get_notification_transport(conf),
                              publisher_id=publisher_id,
                              serializer=RequestContextSerializer())


def server_of(host):
    """RPC server name of a share host: ``host@backend`` without pool."""
    return hosts.backend_of(host)
