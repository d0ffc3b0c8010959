"""Authentication middlewares: they put a RequestContext in the environ.

``noauth`` (development, the all-in-one, tests): ``X-Auth-Token:
user:project`` (or ``user`` alone, project = user) authenticates as
that user and project with the roles admin, member and reader, as
upstream's noauth grants admin. Only in this mode an ``X-Roles`` header
(comma separated) narrows those roles, so role-based policies can be
exercised without Keystone.

``keystone``: keystonemiddleware's auth_token validates the token
(options from ``[keystone_authtoken]``) and :class:`KeystoneContext`
builds the context from the headers it sets.

Version discovery (``/``, ``/v2``, ``/v2/``) needs no authentication:
:func:`wrap` lets those paths bypass the auth middleware.
"""

from keystonemiddleware import auth_token
import webob
import webob.dec

from manila_lite.api import faults
from manila_lite.common import context

CONTEXT_KEY = 'manila_lite.context'
DISCOVERY_PATHS = frozenset({'', '/', '/v2', '/v2/'})
NOAUTH_ROLES = ('admin', 'member', 'reader')


def _request_id(environ):
    return environ.get('openstack.request_id')


class NoAuthMiddleware:
    """``user:project`` tokens, admin unless X-Roles narrows the roles."""

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        token = req.headers.get('X-Auth-Token', '').strip()
        if not token:
            return faults.render(401, 'Authentication required: send '
                                      'X-Auth-Token: user:project.')
        user_id, _sep, project_id = token.partition(':')
        project_id = project_id or user_id
        roles = list(NOAUTH_ROLES)
        if 'X-Roles' in req.headers:
            wanted = {r.strip().lower()
                      for r in req.headers['X-Roles'].split(',')}
            roles = [r for r in roles if r in wanted]
        req.environ[CONTEXT_KEY] = context.RequestContext(
            user_id=user_id, project_id=project_id, roles=roles,
            request_id=_request_id(req.environ), auth_token=token)
        return req.get_response(self.application)


class KeystoneContext:
    """Build the context from the headers auth_token has set."""

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        if req.headers.get('X-Identity-Status', 'Confirmed') != 'Confirmed':
            return faults.render(401, 'Authentication required.')
        user_id = req.headers.get('X-User-Id', req.headers.get('X-User'))
        project_id = req.headers.get('X-Project-Id',
                                     req.headers.get('X-Tenant-Id'))
        if not user_id or not project_id:
            return faults.render(401, 'Authentication required.')
        roles = [r.strip() for r in req.headers.get('X-Roles', '').split(',')
                 if r.strip()]
        req.environ[CONTEXT_KEY] = context.RequestContext(
            user_id=user_id, project_id=project_id, roles=roles,
            user_name=req.headers.get('X-User-Name'),
            project_name=req.headers.get('X-Project-Name'),
            request_id=_request_id(req.environ),
            auth_token=req.headers.get('X-Auth-Token'))
        return req.get_response(self.application)


def keystone_pipeline(conf, application):
    # auth_token reads [keystone_authtoken] from our ConfigOpts.
    return auth_token.AuthProtocol(
        KeystoneContext(application),
        {'oslo_config_config': conf, 'oslo_config_project': 'manila-lite'})


class DiscoveryBypass:
    """Route version discovery around authentication, as upstream."""

    def __init__(self, authenticated, unauthenticated):
        self.authenticated = authenticated
        self.unauthenticated = unauthenticated

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '') in DISCOVERY_PATHS:
            return self.unauthenticated(environ, start_response)
        return self.authenticated(environ, start_response)


def wrap(conf, application):
    """``application`` behind the configured ``auth_strategy``."""
    if conf.auth_strategy == 'keystone':
        authed = keystone_pipeline(conf, application)
    else:
        authed = NoAuthMiddleware(application)
    return DiscoveryBypass(authed, application)
