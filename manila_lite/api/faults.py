"""The only error renderer of the API: exceptions become Manila faults.

A fault body is ``{"<faultName>": {"code": N, "message": "..."}}`` with
upstream's names; codes upstream leaves unnamed (406, 500, ...) render
as ``computeFault``. A domain exception's ``code`` decides the status;
its message reaches the user only when the exception is ``safe``,
otherwise a 500 is logged with its traceback and the user sees a
generic text (as upstream's fault middleware does). A database that
cannot be reached (oslo.db's ``DBConnectionError``: refused, reset,
gone away) is no bug of ours and passes: it answers 503
``serviceUnavailable``, logged as a warning without traceback.

:class:`FaultWrapper` is the WSGI middleware turning any exception from
the application into such a reply, and stamping the microversion
headers on every ``/v2`` reply, errors included.
"""

from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_serialization import jsonutils
import webob
import webob.exc

from manila_lite.api import microversion
from manila_lite.common import exceptions

LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}
DEFAULT_FAULT_NAME = 'computeFault'
GENERIC_500 = ('The server has either erred or is incapable of performing '
               'the requested operation.')
DB_UNAVAILABLE = ('The database is unavailable at the moment; please try '
                  'again later.')


def fault_body(code, message):
    name = FAULT_NAMES.get(code, DEFAULT_FAULT_NAME)
    body = {name: {'code': code, 'message': message}}
    if code == 413:
        body[name]['retryAfter'] = '0'
    return body


def render(code, message, headers=None):
    """A webob Response carrying the fault for ``code``."""
    resp = webob.Response(status=code, content_type='application/json',
                          charset='UTF-8')
    resp.body = jsonutils.dump_as_bytes(fault_body(code, message))
    if code == 413:
        resp.headers['Retry-After'] = '0'
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def describe(exc):
    """``(status, message)`` of any exception, logging what must be."""
    if isinstance(exc, exceptions.ManilaLiteException):
        code = exc.code or 500
        if exc.safe:
            message = exc.msg
            if isinstance(exc, exceptions.QuotaError):
                # Upstream's fault middleware prefixes quota errors
                # with the exception's class name.
                message = '%s: %s' % (type(exc).__name__, message)
            if code >= 500:
                LOG.warning('Request failed: %s', message)
            return code, message
        LOG.exception('Unexpected error while serving a request')
        return code, GENERIC_500 if code >= 500 else exc.msg
    if isinstance(exc, webob.exc.HTTPException):
        return exc.code, exc.explanation or exc.title
    if isinstance(exc, db_exc.DBConnectionError):
        # The connection was refused, reset or lost. Nothing was
        # acknowledged, and the request can be retried once the
        # database is back (oslo.db's pool reconnects on the next
        # checkout). The cause is logged, the user gets no details.
        LOG.warning('Database unavailable while serving a request: %s',
                    exc.inner_exception or exc)
        return 503, DB_UNAVAILABLE
    if isinstance(exc, RecursionError):
        # Pecan parses JSON bodies while routing: nesting deeper than
        # the parser's stack is the client's error, not ours.
        return 400, 'Malformed request body'
    LOG.exception('Unexpected error while serving a request')
    return 500, GENERIC_500


def from_exception(exc, headers=None):
    code, message = describe(exc)
    extra = dict(headers or {})
    if isinstance(exc, exceptions.MethodNotAllowed):
        extra['Allow'] = ', '.join(exc.kwargs.get('allowed', ()))
    return render(code, message, extra)


def as_fault(resp):
    """An error reply that middleware or pecan answered by itself (a body
    too large, one pecan could not decode) in Manila's format, same
    status; any other reply unchanged."""
    if resp.status_int < 400 or resp.content_type == 'application/json':
        return resp
    cls = webob.exc.status_map.get(resp.status_int)
    fault = render(resp.status_int, cls.title if cls else resp.status)
    for key in ('Allow', 'Retry-After', 'WWW-Authenticate'):
        if key in resp.headers:
            fault.headers[key] = resp.headers[key]
    return fault


class ErrorFormat:
    """Outer middleware: error replies of the layers outside
    :class:`FaultWrapper` (the body size limit) become faults too."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        resp = webob.Request(environ).get_response(self.application)
        return as_fault(resp)(environ, start_response)


class FaultWrapper:
    """Turn every exception below into a fault; add version headers.

    The negotiated version is left in the WSGI environ by the router
    (``microversion.ENVIRON_KEY``); a 406 carries the version that was
    asked for, as upstream echoes it.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        try:
            resp = req.get_response(self.application)
        except Exception as exc:  # noqa: BLE001 - this is the last line
            if isinstance(exc, exceptions.InvalidGlobalAPIVersion):
                environ[microversion.ENVIRON_KEY] = exc.kwargs['requested']
            elif isinstance(exc, exceptions.InvalidAPIVersion):
                # Nothing valid was asked for: report the default.
                environ[microversion.ENVIRON_KEY] = (
                    microversion.RequestVersion(microversion.MIN_VERSION))
            resp = from_exception(exc)
        else:
            resp = as_fault(resp)
        req_version = environ.get(microversion.ENVIRON_KEY)
        if req_version is not None:
            for key, value in microversion.response_headers(
                    req_version).items():
                resp.headers[key] = value
        return resp(environ, start_response)
