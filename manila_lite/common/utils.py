"""Small pure helpers shared by services and the API."""

import datetime

from oslo_utils import timeutils


def service_is_up(service, down_time, now=None):
    """Whether a service heartbeated within ``down_time`` seconds.

    A cleanly stopped service is down at once, as upstream reports it.
    """
    if service.stopped:
        return False
    last = service.updated_at or service.created_at
    if last is None:
        return False
    now = now or timeutils.utcnow()
    return now - last <= datetime.timedelta(seconds=down_time)


def is_true(value):
    """Interpret an extra-spec or query value as a boolean."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text.startswith('<is>'):
        text = text[4:].strip()
    return text in ('true', '1', 'yes', 'on', 't', 'y')
