"""Shares: create, list, list detail, show, update, delete."""

from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import shares as schemas
from manila_lite.api.views import shares as views
from manila_lite.common import exceptions

SORT_KEYS = frozenset({'created_at', 'updated_at', 'id', 'name', 'size',
                       'status', 'share_proto', 'project_id',
                       'availability_zone', 'host', 'share_type_id'})

# Query parameter -> service API filter key, and the first version
# that honours it (upstream ignores the others below their version).
_FILTERS = [
    ('name', 'name', None),
    ('status', 'status', None),
    ('host', 'host', None),
    ('share_type_id', 'share_type_id', None),
    ('snapshot_id', 'snapshot_id', None),
    ('share_proto', 'share_proto', None),
    ('project_id', 'project_id', None),
    ('export_location_id', 'export_location_id', mv.parse('2.35')),
    ('export_location_path', 'export_location_path', mv.parse('2.35')),
    ('name~', 'name~', mv.GATE_LIKE_FILTERS),
    ('description~', 'description~', mv.GATE_LIKE_FILTERS),
    ('description', 'description', mv.GATE_LIKE_FILTERS),
    ('share_server_id', 'share_server_id', None),
    ('share_group_id', 'share_group_id', mv.GATE_SHARE_GROUP_FIELDS),
    ('availability_zone', 'availability_zone',
     mv.GATE_SHARE_LIST_AZ_FILTER),
]


def _filters(req):
    params = req.params
    filters = {}
    for param, key, gate in _FILTERS:
        if param in params and (gate is None or req.version >= gate):
            filters[key] = params[param]
    if 'host' in filters:
        req.authorize('share:list_by_host')
    if 'share_server_id' in filters:
        req.authorize('share:list_by_share_server_id')
    if 'share_type' in params and 'share_type_id' not in filters:
        filters['share_type_id'] = params['share_type']
    all_tenants = common.query_bool(params, 'all_tenants', False)
    if all_tenants:
        filters['all_tenants'] = True
    is_public = common.query_bool(params, 'is_public')
    # Upstream's is_public adds other projects' public shares to the
    # caller's; an admin listing all tenants sees those already (and
    # python-manilaclient sends both when it looks a share up by name).
    if is_public is not None and not (all_tenants and req.ctx.is_admin):
        filters['is_public'] = is_public
    if req.version >= mv.GATE_SOFT_DELETE:
        soft = common.query_bool(params, 'is_soft_deleted')
        if soft is not None:
            filters['is_soft_deleted'] = soft
    if 'metadata' in params:
        # Strings only: other keys or values (tuples, numbers, lists)
        # would reach the query and fail there.
        filters['metadata'] = common.query_metadata(params)
    return filters


def _list(req, *, detail):
    req.authorize('share:get_all')
    filters = _filters(req)
    limit, offset = common.pagination(req)
    sort_key = req.params.get('sort_key', 'created_at')
    sort_dir = req.params.get('sort_dir', 'desc')
    if sort_key not in SORT_KEYS:
        raise exceptions.InvalidInput(reason='Wrong sorting key provided '
                                             '- %s.' % sort_key)
    if sort_dir not in ('asc', 'desc'):
        raise exceptions.InvalidInput(reason='Wrong sorting data provided: '
                                             'sort key is %s' % sort_dir)
    shares = req.share_api.share_list(
        req.ctx, filters=filters, limit=limit, offset=offset,
        sort_key=sort_key, sort_dir=sort_dir)
    count = None
    if (req.version >= mv.GATE_WITH_COUNT
            and common.query_bool(req.params, 'with_count', False)):
        count = len(req.share_api.share_list(req.ctx, filters=filters))
    link = common.next_link(req, 'shares', len(shares), limit, offset)
    return routing.reply(views.index(req, shares, detail=detail,
                                     count=count, next_link=link))


def index(req):
    return _list(req, detail=False)


def detail(req):
    return _list(req, detail=True)


def show(req, share_id):
    req.authorize('share:get')
    return routing.reply(views.show(req, req.share_api.share_get(
        req.ctx, share_id)))


def _check_protocol(req, proto):
    enabled = [p.upper() for p in req.conf.enabled_share_protocols]
    if proto.upper() not in enabled:
        raise exceptions.InvalidInput(
            reason='Invalid share protocol provided: %s. It is either '
                   'disabled or unsupported. Available protocols: %s'
                   % (proto, ', '.join(enabled)))
    return proto.upper()


# Fields later microversions accept that no driver here can honour:
# taking them and creating a plain share instead would mislead (an
# unencrypted share for a caller who asked for encryption), so they are
# refused before anything is created.
_UNSUPPORTED = {
    'encryption_key_ref': 'Share encryption is not supported by any '
                          'back end of this deployment; omit '
                          'encryption_key_ref.',
    'mount_point_name': 'Custom mount point names are not supported by '
                        'any back end of this deployment; omit '
                        'mount_point_name.',
}


def _refuse_unsupported(body):
    for field, reason in _UNSUPPORTED.items():
        if body.get(field) is not None:
            raise exceptions.InvalidInput(reason=reason)


def create(req):
    req.authorize('share:create')
    body = validation.validate(common.body_of(req), schemas.CREATE,
                               req.version)['share']
    _refuse_unsupported(body)
    is_public = validation.to_bool(body.get('is_public', False))
    if is_public:
        req.authorize('share:create_public_share')
    share = req.share_api.share_create(
        req.ctx,
        size=validation.to_int(body['size']),
        share_proto=_check_protocol(req, body['share_proto']),
        name=body.get('name', body.get('display_name')),
        description=body.get('description',
                             body.get('display_description')),
        share_type=body.get('share_type') or body.get('volume_type'),
        availability_zone=body.get('availability_zone'),
        metadata=body.get('metadata'),
        is_public=is_public,
        snapshot_id=body.get('snapshot_id'),
        share_network_id=body.get('share_network_id'),
        scheduler_hints=body.get('scheduler_hints'),
        type_zones_apply=req.version >= mv.GATE_SHARE_TYPE_ZONES,
        share_group_id=(body.get('share_group_id')
                        if req.version >= mv.GATE_SHARE_GROUP_FIELDS
                        else None))
    return routing.reply(views.show(req, share))


def update(req, share_id):
    req.authorize('share:update')
    body = validation.validate(common.body_of(req), schemas.UPDATE,
                               req.version)['share']
    fields = {}
    if 'name' in body or 'display_name' in body:
        fields['name'] = body.get('name', body.get('display_name'))
    if 'description' in body or 'display_description' in body:
        fields['description'] = body.get(
            'description', body.get('display_description'))
    if 'is_public' in body:
        fields['is_public'] = validation.to_bool(body['is_public'])
        if fields['is_public']:
            req.authorize('share:set_public_share')
    share = req.share_api.share_update(req.ctx, share_id, **fields)
    return routing.reply(views.show(req, share))


def _check_group_param(req, share_id):
    """Upstream asks for the group of a share in one as a parameter
    of its delete (400 otherwise)."""
    share = req.share_api.share_get(req.ctx, share_id)
    if not share.share_group_id:
        return
    given = req.params.get('share_group_id')
    if not given:
        raise exceptions.InvalidInput(reason=(
            "Must provide 'share_group_id' as a request parameter when "
            "deleting a share in a share group."))
    if given != share.share_group_id:
        raise exceptions.InvalidInput(reason=(
            "The specified 'share_group_id' does not match the share "
            "group id of the share."))


def delete(req, share_id):
    req.authorize('share:delete')
    _check_group_param(req, share_id)
    req.share_api.share_delete(req.ctx, share_id)
    return routing.reply(status=202)
