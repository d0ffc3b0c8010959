"""Build the WSGI application of manila-lite-api in one function."""

import gc

from oslo_middleware import healthcheck
from oslo_middleware import request_id
from oslo_middleware import sizelimit
import pecan

from manila_lite.api import auth
from manila_lite.api import faults
from manila_lite.api import hooks
from manila_lite.api.controllers import root


def _default_share_api(conf):
    # Imported here: building the share API pulls in oslo.messaging,
    # which unit tests of the HTTP edge may replace.
    from manila_lite.share import api as share_api

    return share_api.API(conf)


class _RequestId(request_id.RequestId):
    # Upstream sends the request id under Nova's old header name too, and
    # manila-tempest-plugin's client asserts it on every success.
    compat_headers = ['x-compute-request-id']


class _Pecan(pecan.Pecan):
    def _handle_empty_response_body(self, state):
        # Pecan turns an empty 200 into a 204; upstream answers some
        # calls (metadata delete) with an empty 200, and every handler
        # here sets its status on purpose.
        pass


def build_app(conf, share_api=None):
    """Return the WSGI app serving the v2 API for ``conf``.

    ``share_api`` defaults to ``manila_lite.share.api.API(conf)``.
    """
    if share_api is None:
        share_api = _default_share_api(conf)

    app = _Pecan(
        root.RootController(),
        hooks=[hooks.ConfigHook(conf), hooks.ServiceAPIHook(share_api)],
        force_canonical=False,
        guess_content_type_from_ext=False,
        debug=False,
    )

    # Read the pipeline inside-out: a request travels from the bottom
    # of this list to the top.
    #
    # 4. FaultWrapper, right around pecan: any exception from routing,
    #    version negotiation, validation, policy or the service API
    #    becomes Manila's fault JSON (500s are logged with traceback),
    #    and every /v2 reply, errors included, gets the microversion
    #    headers. It sits inside auth so it sees the request context.
    app = faults.FaultWrapper(app)
    # 3. Authentication (noauth or keystonemiddleware) builds the
    #    RequestContext; version discovery bypasses it, as upstream.
    app = auth.wrap(conf, app)
    # 2. Body size limit (oslo.middleware, upstream's 112 KiB default
    #    via [oslo_middleware] max_request_body_size), before anything
    #    reads the body; chunked bodies are limited while being read.
    app = sizelimit.RequestBodySizeLimiter(app, conf)
    # 1b. Its 413 (and any other plain-text error of these outer layers)
    #     in Manila's fault format.
    app = faults.ErrorFormat(app)
    # 1. Request id outermost, so every reply (auth failures and
    #    faults included) carries x-openstack-request-id (and
    #    x-compute-request-id) and the context can record it.
    app = _RequestId(app)
    # 0. /healthcheck (oslo.middleware, options in [healthcheck]) answers
    #    load balancers without authentication, as upstream mounts it.
    return _HealthcheckRoute(app, healthcheck.Healthcheck(None, conf))


class _HealthcheckRoute:
    PATH = '/healthcheck'

    def __init__(self, app, health):
        self.app = app
        self.health = health

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '').rstrip('/') == self.PATH:
            return self.health(environ, start_response)
        return self.app(environ, start_response)


def freeze_heap():
    """Exempt everything alive now from the garbage collector.

    Called once an API process has built its app: the modules, the
    config, the ORM mappings and the policy rules live as long as the
    process, yet every full collection would walk them again. A list of
    a thousand shares allocates enough to trigger such collections, so
    without this their cost lands on a few unlucky requests (the p99).
    """
    gc.collect()
    gc.freeze()
