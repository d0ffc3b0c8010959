"""Poll until a resource reaches a state, or fail with what it reached."""

import time

from tests.api import exceptions


def wait_for(show, resource_id, key, field, wanted, timeout, interval=0.5,
             errors=('error',)):
    """``show(resource_id)`` until ``body[key][field]`` is one of
    ``wanted`` (a value or a tuple); ``wanted=None`` waits for a 404.
    A status in ``errors`` ends the wait at once."""
    if not isinstance(wanted, tuple):
        wanted = (wanted,)
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        status, body = show(resource_id)
        if status == 404 and None in wanted:
            return None
        if status == 200:
            value = body[key].get(field)
            if value in wanted:
                return body[key]
            if field == 'status' and value in errors:
                raise exceptions.ResourceError(
                    '%s %s went to %s: %s' % (key, resource_id, value, body))
        time.sleep(interval)
    raise exceptions.WaitTimeout('%s %s: %s never became %s within %ss; '
                                 'last reply %s' % (key, resource_id, field,
                                                    wanted, timeout, body))
