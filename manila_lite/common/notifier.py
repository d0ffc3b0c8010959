"""Versioned notifications sent with oslo.messaging's Notifier.

Every payload carries ``payload_version`` so consumers can tell shapes
apart; event types follow upstream's ``share.<action>.<phase>`` naming
(``share.ensure.start``, ``share.create.end``, ...). Whether and where
they go is ``[oslo_messaging_notifications] driver`` (``noop`` unless
configured, like every OpenStack service).
"""

from oslo_log import log as logging

from manila_lite.common import rpc

LOG = logging.getLogger(__name__)

PAYLOAD_VERSION = '1.0'


class Notifier:
    def __init__(self, conf, publisher_id):
        self._notifier = None
        self._conf = conf
        self._publisher_id = publisher_id

    def _get(self):
        if self._notifier is None:
            self._notifier = rpc.get_notifier(self._conf, self._publisher_id)
        return self._notifier

    def info(self, ctx, event_type, payload):
        self._send('info', ctx, event_type, payload)

    def error(self, ctx, event_type, payload):
        self._send('error', ctx, event_type, payload)

    def _send(self, priority, ctx, event_type, payload):
        body = dict(payload, payload_version=PAYLOAD_VERSION)
        try:
            getattr(self._get(), priority)(ctx, event_type, body)
        except Exception:
            # A lost notification must never fail the operation itself.
            LOG.exception('Could not send notification %s', event_type)
