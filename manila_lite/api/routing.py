"""The request each handler receives, and the v2 route matcher.

Handlers are plain functions ``handler(req, **path_params)`` listed in
one table (``controllers/v2/__init__.py:ROUTES``), as placement lists
its URL surface. :class:`ApiRequest` bundles what a handler may use:
the context, the negotiated version, the config, the share service API,
the parsed JSON body, policy checks and link helpers.

Every v2 path is served with and without a leading ``{project_id}``
segment (upstream routes both); a project id that is not the caller's
is upstream's 400 "Malformed request url".
"""

import re

from oslo_serialization import jsonutils
import webob

from manila_lite.api import microversion
from manila_lite.api import policy
from manila_lite.common import exceptions

_PARAM_RE = re.compile(r'\{(\w+)\}')
JSON_TYPES = ('application/json',)


class Route:
    """One path template and its method -> handler table.

    ``min_version``/``max_version`` bound the whole URL (``os-services``
    below 2.7, ``services`` from 2.7); each handler may narrow further
    with ``microversion.api_version``.
    """

    def __init__(self, template, methods, *, min_version=None,
                 max_version=None):
        self.template = template
        self.methods = dict(methods)
        self.version_range = microversion.VersionRange(min_version,
                                                       max_version)
        pattern = _PARAM_RE.sub(r'(?P<\1>[^/]+)', template)
        self.regex = re.compile('^%s$' % pattern)

    def match(self, path):
        m = self.regex.match(path)
        return m.groupdict() if m else None


def match(routes, path):
    """``(route, params)`` for ``path`` or ``(None, None)``."""
    for route in routes:
        params = route.match(path)
        if params is not None:
            return route, params
    return None, None


def resolve(routes, segments, ctx):
    """Find the route for the path segments after ``/v2``.

    :returns: ``(route, params, project_id_in_url)``
    :raises: NotFound, Invalid (project id of someone else)
    """
    route, params = match(routes, '/' + '/'.join(segments))
    if route is not None:
        return route, params, None
    if len(segments) >= 2:
        route, params = match(routes, '/' + '/'.join(segments[1:]))
        if route is not None:
            project_id = segments[0]
            if ctx is not None and project_id != ctx.project_id:
                raise exceptions.Invalid('Malformed request url')
            return route, params, project_id
    raise exceptions.NotFound('The resource could not be found.')


def literal_segments(routes):
    """Every fixed segment of the table's templates (``detail``,
    ``extra_specs``, ``action``...)."""
    return frozenset(
        part for route in routes for part in route.template.split('/')
        if part and not _PARAM_RE.search(part))


def pick_handler(route, method, req_version, params=None,
                 literals=frozenset()):
    """The handler for ``method`` at this version, or the right error.

    A method the route does not serve is a 405, unless a path parameter
    holds one of the table's ``literals``: that path is an empty segment
    collapsed by the client (``/types//extra_specs`` sent as
    ``/types/extra_specs``), so it is a 404 as any empty segment is.
    """
    handler = route.methods.get(method)
    if handler is None:
        if any(v in literals for v in (params or {}).values()):
            raise exceptions.NotFound('The resource could not be found.')
        raise exceptions.MethodNotAllowed(
            method=method, allowed=sorted(route.methods))
    if not route.version_range.matches(req_version):
        raise exceptions.VersionNotFoundForAPIMethod()
    microversion.check(handler, req_version)
    return handler


def _holds_nul(value):
    """Whether a NUL is in any key or string of a parsed JSON body
    (PostgreSQL refuses one in every string it is sent)."""
    if isinstance(value, str):
        return '\x00' in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class ApiRequest:
    """What a handler gets: one object instead of globals."""

    def __init__(self, request, *, ctx, version, conf, share_api,
                 project_in_url=None):
        self.request = request
        self.ctx = ctx
        self.version = version
        self.conf = conf
        self.share_api = share_api
        self.project_in_url = project_in_url
        self._host_admin = None

    @property
    def params(self):
        return self.request.GET

    def json(self):
        """The parsed JSON body, ``None`` when there is none.

        :raises: InvalidContentType (415) for a non-JSON content type,
                 MalformedRequestBody (400) for unparsable JSON
        """
        raw = self.request.body
        if not raw:
            return None
        ctype = self.request.content_type
        if ctype and ctype not in JSON_TYPES and not ctype.endswith('+json'):
            raise exceptions.InvalidContentType(content_type=ctype)
        try:
            body = jsonutils.loads(raw)
        except (ValueError, RecursionError):
            # RecursionError: nesting deeper than the parser's stack.
            raise exceptions.MalformedRequestBody(
                'Malformed request body') from None
        if b'\\u0000' in raw and _holds_nul(body):
            raise exceptions.InvalidInput(
                reason='a string of the body contains a NUL character')
        return body

    def authorize(self, action, target=None):
        policy.authorize(self.conf, self.ctx, action, target)

    def is_host_admin(self):
        # Views ask once per row; the answer cannot change within a
        # request, and a policy check costs about half a millisecond.
        if self._host_admin is None:
            self._host_admin = policy.check_is_host_admin(self.conf,
                                                          self.ctx)
        return self._host_admin

    def link(self, collection, item_id):
        """Upstream's self and bookmark links of one resource."""
        base = self.request.application_url.rstrip('/')
        project = self.ctx.project_id if self.ctx else ''
        return [
            {'rel': 'self',
             'href': '%s/v2/%s/%s/%s' % (base, project, collection,
                                          item_id)},
            {'rel': 'bookmark',
             'href': '%s/%s/%s/%s' % (base, project, collection, item_id)},
        ]


def reply(body=None, status=200, headers=None):
    """A JSON response (or an empty one when ``body`` is None)."""
    resp = webob.Response(status=status)
    if body is not None:
        resp.content_type = 'application/json'
        resp.charset = 'UTF-8'
        resp.body = jsonutils.dump_as_bytes(body)
    else:
        resp.content_type = None
        resp.body = b''
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp
