"""Share types, API side (extra specs and access lists too)."""

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import share_type_access as type_access
from manila_lite.share.api import base


class ShareTypesAPI(base.Base):
    def share_type_create(self, ctx, *, name, extra_specs, is_public=True,
                          description=None):
        specs = {k: str(v) for k, v in (extra_specs or {}).items()}
        dhss = specs.get('driver_handles_share_servers')
        if dhss is None:
            raise exceptions.InvalidShareType(
                reason='Required extra specification '
                       'driver_handles_share_servers is missing')
        if str(dhss).strip().lower() not in ('true', 'false'):
            raise exceptions.InvalidShareType(
                reason='driver_handles_share_servers must be a boolean, '
                       'got %r' % dhss)
        rtype = specs.get('replication_type')
        if rtype is not None and rtype not in states.REPLICATION_TYPES:
            raise exceptions.InvalidShareType(
                reason='replication_type must be one of %s'
                       % ', '.join(sorted(states.REPLICATION_TYPES)))
        return db.share_type_create(
            ctx, {'name': name, 'description': description,
                  'is_public': bool(is_public)}, specs)

    def share_type_list(self, ctx, *, is_public=True):
        """``is_public`` True: the public types and the private ones
        shared with the caller's project; False: private ones; None:
        all. Only admins choose; others always get True."""
        if not ctx.is_admin:
            is_public = True
        return type_access.share_type_get_all(
            ctx, is_public=is_public, project_id=ctx.project_id)

    def share_type_get(self, ctx, id_or_name):
        """A private type is NotFound for a project it is not shared
        with (admins see all)."""
        stype = db.share_type_get_by_id_or_name(ctx, id_or_name)
        if not (stype.is_public or ctx.is_admin
                or type_access.is_shared_with(ctx, stype.id,
                                              ctx.project_id)):
            raise exceptions.ShareTypeNotFound(share_type_id=id_or_name)
        return stype

    def share_type_get_default(self, ctx):
        name = self.conf.default_share_type or 'default'
        try:
            return db.share_type_get_by_name(ctx, name)
        except exceptions.ShareTypeNotFound:
            raise exceptions.DefaultShareTypeNotConfigured() from None

    def share_type_update(self, ctx, type_id, *, name=None,
                          description=None, is_public=None):
        values = {}
        if name is not None:
            values['name'] = name
        if description is not None:
            # An empty description unsets it, as upstream.
            values['description'] = description or None
        if is_public is not None:
            values['is_public'] = bool(is_public)
        db.share_type_get(ctx, type_id)
        if not values:
            return db.share_type_get(ctx, type_id)
        return db.share_type_update(ctx, type_id, values)

    def share_type_delete(self, ctx, type_id):
        db.share_type_destroy(ctx, db.share_type_get_by_id_or_name(
            ctx, type_id).id)

    def share_type_extra_specs_set(self, ctx, type_id, specs):
        if 'driver_handles_share_servers' in specs and str(
                specs['driver_handles_share_servers']).lower() not in (
                    'true', 'false'):
            raise exceptions.InvalidShareType(
                reason='driver_handles_share_servers must be a boolean')
        return db.share_type_extra_specs_set(ctx, type_id, specs)

    def share_type_extra_spec_delete(self, ctx, type_id, key):
        if key == 'driver_handles_share_servers':
            raise exceptions.InvalidShareType(
                reason='driver_handles_share_servers cannot be deleted')
        db.share_type_extra_spec_delete(ctx, type_id, key)

    def resolve_type(self, ctx, share_type):
        if share_type:
            return self.share_type_get(ctx, share_type)
        try:
            return self.share_type_get_default(ctx)
        except exceptions.DefaultShareTypeNotConfigured:
            raise exceptions.InvalidShareType(
                reason='no share type given and no default share type is '
                       'configured') from None
