"""Share types and their extra specs under /types."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import share_types as schemas
from manila_lite.api.views import share_types as views
from manila_lite.common import exceptions
from manila_lite.share import size_limits
from manila_lite.share import type_zones


def _default(req):
    try:
        return req.share_api.share_type_get_default(req.ctx)
    except exceptions.DefaultShareTypeNotConfigured:
        return None


def index(req):
    req.authorize('share_type:index')
    public = True
    if req.ctx.is_admin:
        # Only admins filter (others get the public types and those
        # shared with their project, as upstream).
        is_public = req.params.get('is_public', 'true').lower()
        if is_public in ('all', 'none'):
            public = None
        else:
            public = common.query_bool({'is_public': is_public},
                                       'is_public')
    stypes = req.share_api.share_type_list(req.ctx, is_public=public)
    if req.version >= mv.GATE_SHARE_TYPE_SPECS_FILTER:
        wanted = common.query_metadata(req.params, 'extra_specs')
        if wanted:
            stypes = [t for t in stypes if type_zones.matches(
                {s.spec_key: s.spec_value for s in t.extra_specs}, wanted)]
    return routing.reply(views.index(req, stypes, _default(req)))


def show(req, share_type_id):
    req.authorize('share_type:show')
    stype = req.share_api.share_type_get(req.ctx, share_type_id)
    return routing.reply(views.show(req, stype, _default(req)))


def default(req):
    req.authorize('share_type:default')
    stype = req.share_api.share_type_get_default(req.ctx)
    return routing.reply(views.show(req, stype, stype))


def _checked_specs(specs):
    """Spec values as strings; upstream's 400 for an empty one, one
    over 255 characters or a size limit that is no size (keys are
    bounded by the schema)."""
    for key, value in specs.items():
        if (isinstance(value, str) and not 0 < len(value) < 256
                or size_limits.invalid_spec(key, value)):
            raise exceptions.Invalid(
                'Invalid extra_spec: %s: %s' % (key, value))
    return type_zones.sanitize({k: str(v) for k, v in specs.items()})


def _is_public(body):
    for key in ('share_type_access:is_public',
                'os-share-type-access:is_public'):
        if key in body:
            return validation.to_bool(body[key])
    return None


def create(req):
    req.authorize('share_type:create')
    body = validation.validate(common.body_of(req), schemas.CREATE,
                               req.version)
    body = body.get('share_type', body.get('volume_type'))
    specs = _checked_specs(body['extra_specs'])
    if (req.version < mv.GATE_CREATE_FROM_SNAPSHOT_SUPPORT
            and 'snapshot_support' not in specs):
        # Required until 2.24: upstream fills it in.
        specs['snapshot_support'] = 'True'
    is_public = _is_public(body)
    stype = req.share_api.share_type_create(
        req.ctx, name=body['name'], extra_specs=specs,
        is_public=True if is_public is None else is_public,
        description=body.get('description'))
    return routing.reply(views.show(req, stype, _default(req)))


@mv.api_version('2.50')
def update(req, share_type_id):
    req.authorize('share_type:update')
    body = validation.validate(common.body_of(req), schemas.UPDATE,
                               req.version)['share_type']
    stype = req.share_api.share_type_update(
        req.ctx, share_type_id, name=body.get('name'),
        description=body.get('description'), is_public=_is_public(body))
    return routing.reply(views.show(req, stype, _default(req)))


def delete(req, share_type_id):
    req.authorize('share_type:delete')
    req.share_api.share_type_delete(req.ctx, share_type_id)
    return routing.reply(status=202)


# --- extra specs -------------------------------------------------------------
def extra_specs_index(req, share_type_id):
    req.authorize('share_types_extra_spec:index')
    stype = req.share_api.share_type_get(req.ctx, share_type_id)
    return routing.reply(views.extra_specs(
        (s.spec_key, s.spec_value) for s in stype.extra_specs))


def extra_specs_create(req, share_type_id):
    req.authorize('share_types_extra_spec:create')
    body = validation.validate(common.body_of(req),
                               schemas.EXTRA_SPECS_SET)
    specs = _checked_specs(body['extra_specs'])
    req.share_api.share_type_extra_specs_set(req.ctx, share_type_id, specs)
    return routing.reply(views.extra_specs(specs))


def extra_spec_show(req, share_type_id, key):
    req.authorize('share_types_extra_spec:show')
    stype = req.share_api.share_type_get(req.ctx, share_type_id)
    for spec in stype.extra_specs:
        if spec.spec_key == key:
            return routing.reply({key: spec.spec_value})
    raise exceptions.ShareTypeExtraSpecsNotFound(
        share_type_id=share_type_id, extra_specs_key=key)


def extra_spec_update(req, share_type_id, key):
    req.authorize('share_types_extra_spec:update')
    body = validation.validate(common.body_of(req),
                               schemas.EXTRA_SPEC_UPDATE)
    if key not in body:
        raise exceptions.Invalid('Request body and URI mismatch')
    specs = _checked_specs({key: body[key]})
    req.share_api.share_type_extra_specs_set(req.ctx, share_type_id, specs)
    return routing.reply(specs)


#: Specs that cannot be deleted (403); snapshot_support until 2.24.
UNDELETABLE_SPECS = frozenset({'driver_handles_share_servers'})


def extra_spec_delete(req, share_type_id, key):
    req.authorize('share_types_extra_spec:delete')
    req.share_api.share_type_get(req.ctx, share_type_id)
    if key in UNDELETABLE_SPECS or (
            key == 'snapshot_support'
            and req.version < mv.GATE_CREATE_FROM_SNAPSHOT_SUPPORT):
        raise exceptions.NotAuthorized(
            "Extra spec '%s' can't be deleted." % key)
    req.share_api.share_type_extra_spec_delete(req.ctx, share_type_id, key)
    return routing.reply(status=202)
