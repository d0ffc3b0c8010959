"""Small helpers the v2 handlers share: query parsing, pagination."""

import ast

from oslo_utils import strutils
from oslo_utils import timeutils

from manila_lite.common import exceptions

#: Largest value of the database's INTEGER columns (upstream's
#: ``DB_MAX_INT``): an offset beyond it makes the query itself fail.
DB_MAX_INT = 0x7FFFFFFF


def query_bool(params, key, default=None):
    """A boolean query parameter; a bare ``?key`` means true.

    :raises: InvalidInput for a value that is not boolean-like
    """
    if key not in params:
        return default
    value = params[key]
    if value == '':
        return True
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exceptions.InvalidInput(
            reason="Invalid value '%s' for %s" % (value, key)) from None


def query_metadata(params, key='metadata'):
    """A metadata filter as a dict, ``None`` when not given.

    Two spellings: a dict literal (``{'k': 'v'}``, what
    python-manilaclient sends for shares) and ``k:v,k2:v2`` (what it
    sends for share replicas).

    :raises: InvalidInput for anything else
    """
    if key not in params:
        return None
    text = params[key].strip()
    if text.startswith('{'):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = None
        if isinstance(value, dict) and all(
                isinstance(k, str) and isinstance(v, str)
                for k, v in value.items()):
            return value
    elif text:
        pairs = [item.partition(':') for item in text.split(',')]
        if all(k and sep for k, sep, _v in pairs):
            return {k: v for k, _sep, v in pairs}
    raise exceptions.InvalidInput(
        reason="%s must be key:value[,key:value...] or a dict such as "
               "{'k': 'v'}" % key)


def query_int(params, key, *, minimum=0):
    if key not in params:
        return None
    try:
        value = int(params[key])
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise exceptions.InvalidInput(
            reason='%s param must be an integer of at least %d'
                   % (key, minimum))
    return value


def query_time(params, key):
    """An ISO 8601 time query parameter as naive UTC, None when absent.

    :raises: Invalid with upstream's message for anything else
    """
    text = params.get(key)
    if text is None:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(text))
    except ValueError:
        raise exceptions.Invalid('Invalid value specified for the query '
                                 'key: %s' % key) from None


def pagination(req):
    """``(limit, offset)`` from the query, limit capped by config.

    An offset the database cannot hold (over ``DB_MAX_INT``) is a 400
    with upstream's message. So is such a limit (issue 17: both bounded
    by the database's range), with the same message shape; upstream
    caps it like any other limit over ``osapi_max_limit``, which a
    limit within the range still is, and no upstream client sends more.
    """
    limit = query_int(req.params, 'limit')
    if limit is not None and limit > DB_MAX_INT:
        raise exceptions.Invalid('limit must be <= %d' % DB_MAX_INT)
    offset = None
    if 'offset' in req.params:
        try:
            offset = strutils.validate_integer(
                req.params['offset'], 'offset', 0, DB_MAX_INT)
        except ValueError as exc:
            # Upstream's bare message, as its HTTPBadRequest gives it.
            raise exceptions.Invalid(str(exc)) from None
    cap = req.conf.osapi_max_limit
    limit = cap if limit is None else min(limit, cap)
    return limit, offset


def limited(req, items):
    """One page of ``items``, a list the database did not page (upstream's
    ``common.limited``): ``offset`` and ``limit`` as ``pagination``
    reads them, a zero limit meaning the configured cap."""
    limit, offset = pagination(req)
    offset = offset or 0
    return items[offset:offset + (limit or req.conf.osapi_max_limit)]


def next_link(req, collection, count, limit, offset):
    """Upstream's "next" link when a page came back full."""
    if not limit or count < limit:
        return None
    params = dict(req.params)
    params['offset'] = str((offset or 0) + count)
    params['limit'] = str(limit)
    query = '&'.join('%s=%s' % kv for kv in sorted(params.items()))
    base = req.request.path_url.rsplit('/' + collection, 1)[0]
    return '%s/%s?%s' % (base, collection, query)


def body_of(req):
    """The JSON body; a missing one is validated like an empty object."""
    body = req.json()
    return {} if body is None else body


def action_of(req, known):
    """``(name, body)`` of an ``.../action`` request: the body holds
    exactly one key (400 "Malformed request body" otherwise), a name in
    ``known`` (upstream's 400 "There is no such action" otherwise)."""
    body = req.json()
    if not isinstance(body, dict) or len(body) != 1:
        raise exceptions.MalformedRequestBody('Malformed request body')
    name = next(iter(body))
    if name not in known:
        raise exceptions.Invalid('There is no such action: %s' % name)
    return name, body
