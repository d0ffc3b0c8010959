"""The request context passed from the API through RPC to every service.

It carries who is asking (user, project, roles) and, through oslo.db's
``transaction_context_provider``, the database session of the current
transaction. It is serialized over RPC by ``common.rpc``.
"""

from oslo_context import context as o_context
from oslo_db.sqlalchemy import enginefacade


@enginefacade.transaction_context_provider
class RequestContext(o_context.RequestContext):
    """A RequestContext with manila_lite's admin notion.

    ``is_admin`` follows the ``admin`` role (as upstream's
    ``context_is_admin`` default); a context built by a service for its
    own work is admin via :func:`get_admin_context`.
    """

    def __init__(self, is_admin=None, **kwargs):
        super().__init__(is_admin=bool(is_admin), **kwargs)
        if is_admin is None:
            self.is_admin = 'admin' in (self.roles or [])

    def to_dict(self):
        values = super().to_dict()
        values['is_admin'] = self.is_admin
        return values

    @classmethod
    def from_dict(cls, values):
        return cls(
            user_id=values.get('user_id') or values.get('user'),
            project_id=(values.get('project_id')
                        or values.get('project_name')
                        or values.get('tenant')),
            roles=values.get('roles') or [],
            is_admin=values.get('is_admin'),
            request_id=values.get('request_id'),
            global_request_id=values.get('global_request_id'),
            read_only=values.get('read_only', False),
            show_deleted=values.get('show_deleted', False),
            auth_token=values.get('auth_token'),
        )

    def elevated(self):
        ctx = self.__class__.from_dict(self.to_dict())
        ctx.is_admin = True
        if 'admin' not in ctx.roles:
            ctx.roles = list(ctx.roles) + ['admin']
        return ctx


def get_admin_context():
    return RequestContext(user_id=None, project_id=None, roles=['admin'],
                          is_admin=True, overwrite=False)
