"""Pecan hooks: each puts one thing on the request.

``ConfigHook`` the ConfigOpts, ``ServiceAPIHook`` the share service API
(built once per application). The request context is built by the auth
middleware (``api/auth.py``) and read from the environ.
"""

from pecan import hooks


class ConfigHook(hooks.PecanHook):
    def __init__(self, conf):
        self.conf = conf

    def before(self, state):
        state.request.conf = self.conf


class ServiceAPIHook(hooks.PecanHook):
    def __init__(self, share_api):
        self.share_api = share_api

    def before(self, state):
        state.request.share_api = self.share_api
