"""The pecan root: version discovery and the hand-off to v2 handlers.

``GET /`` answers 300 with the versions list and no microversion
headers; ``GET /v2/`` answers 200 with the same body plus the version
headers; ``/v2`` redirects to ``/v2/`` (all as upstream). Every other
``/v2/...`` path is negotiated (microversion headers), matched against
``controllers.v2.ROUTES`` and served by one plain handler function.
"""

import pecan
import webob.exc

from manila_lite.api import auth
from manila_lite.api import microversion
from manila_lite.api import routing
from manila_lite.api.controllers import v2
from manila_lite.common import exceptions

ROUTE_KEY = 'manila_lite.route'
_LITERALS = routing.literal_segments(v2.ROUTES)
# Upstream's fixed "updated" stamp of the v2 API.
V2_UPDATED = '2015-08-27T11:33:21Z'


def version_document(request):
    """Upstream's versions body: one CURRENT v2 entry."""
    base = request.application_url.rstrip('/')
    return {'versions': [{
        'id': 'v2.0',
        'status': 'CURRENT',
        'version': str(microversion.MAX_VERSION),
        'min_version': str(microversion.MIN_VERSION),
        'updated': V2_UPDATED,
        'links': [
            {'rel': 'describedby', 'type': 'text/html',
             'href': 'http://docs.openstack.org/'},
            {'rel': 'self', 'href': base + '/v2/'},
        ],
        'media-types': [
            {'base': 'application/json',
             'type': 'application/vnd.openstack.share+json;version=1'},
        ],
    }]}


def _versions_all(req):
    if req.request.method not in ('GET', 'HEAD'):
        raise exceptions.MethodNotAllowed(method=req.request.method,
                                          allowed=['GET'])
    return routing.reply(version_document(req.request), status=300)


def _versions_v2(req):
    if req.request.method not in ('GET', 'HEAD'):
        raise exceptions.MethodNotAllowed(method=req.request.method,
                                          allowed=['GET'])
    return routing.reply(version_document(req.request))


def _redirect_v2(req):
    return webob.exc.HTTPFound(
        location=req.request.application_url.rstrip('/') + '/v2/')


class RootController:

    @pecan.expose()
    def _route(self, args, request):
        # Handlers build their own responses (JSON or empty): skip
        # pecan's Accept negotiation, which knows only its renderers.
        request.pecan['content_type'] = 'application/json'
        path = request.path_info
        environ = request.environ
        # No id or name holds a NUL, and PostgreSQL refuses one in any
        # string it is sent: it never reaches a query.
        if '\x00' in path:
            raise exceptions.NotFound('The resource could not be found.')
        if '\x00' in request.query_string or '%00' in request.query_string:
            raise exceptions.InvalidInput(
                reason='a query value contains a NUL character')
        if path in ('', '/'):
            environ[ROUTE_KEY] = (_versions_all, {}, None)
            return self.serve, []
        segments = [s for s in path.split('/')[1:]]
        if segments[0] != 'v2':
            raise exceptions.NotFound('The resource could not be found.')
        if path == '/v2':
            environ[ROUTE_KEY] = (_redirect_v2, {}, None)
            return self.serve, []
        environ[microversion.ENVIRON_KEY] = microversion.negotiate(
            request.headers)
        if path == '/v2/':
            environ[ROUTE_KEY] = (_versions_v2, {}, None)
            return self.serve, []
        # An empty segment (``/shares/``, ``/types//extra_specs``)
        # matches no route: 404, as upstream (an empty id is no id).
        segments = segments[1:]
        route, params, project = routing.resolve(
            v2.ROUTES, segments, environ.get(auth.CONTEXT_KEY))
        handler = routing.pick_handler(
            route, request.method, environ[microversion.ENVIRON_KEY],
            params, _LITERALS)
        environ[ROUTE_KEY] = (handler, params, project)
        return self.serve, []

    @pecan.expose('json')
    def serve(self, *args, **kwargs):
        request = pecan.request
        handler, params, project = request.environ[ROUTE_KEY]
        req = routing.ApiRequest(
            request, ctx=request.environ.get(auth.CONTEXT_KEY),
            version=request.environ.get(microversion.ENVIRON_KEY),
            conf=request.conf, share_api=request.share_api,
            project_in_url=project)
        return handler(req, **params)
