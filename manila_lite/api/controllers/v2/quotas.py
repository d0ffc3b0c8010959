"""/quota-sets (2.7+; /os-quota-sets below), /quota-class-sets and
/limits: upstream's quota API.

A quota set is a project's, a user's (``?user_id=``) or a share type's
(``?share_type=``, 2.39+) limits; ``detail`` (2.25+) adds what the
scope uses. Updates are checked as upstream checks them (keys the
version knows, integers of -1 or more, not below what is used, a user's
or a share type's not above the project's unless ``force``), with its
messages.
"""

from oslo_utils import strutils

from manila_lite import quota
from manila_lite.api import microversion as mv
from manila_lite.api import routing
from manila_lite.api import validation
from manila_lite.api.controllers.v2 import common
from manila_lite.api.schemas import quotas as schemas
from manila_lite.api.views import quotas as views
from manila_lite.common import exceptions
from manila_lite.db import api as db
from manila_lite.db import quotas as quota_db

GATE_QUOTA_DETAIL = mv.parse('2.25')
GATE_SHARE_TYPE_QUOTAS = mv.parse('2.39')
#: Keys a version must reach before an update may set them.
_KEY_GATES = (
    (views.GATE_SHARE_GROUP_QUOTAS, ('share_groups',
                                     'share_group_snapshots'), '2.40'),
    (views.GATE_REPLICA_QUOTAS, ('share_replicas', 'replica_gigabytes'),
     '2.53'),
    (views.GATE_PER_SHARE_GIGABYTES, ('per_share_gigabytes',), '2.62'),
    (views.GATE_BACKUP_QUOTAS, ('backups', 'backup_gigabytes'), '2.80'),
    (views.GATE_ENCRYPTION_KEYS_QUOTA, ('encryption_keys',), '2.90'),
)
_NON_QUOTA_KEYS = ('tenant_id', 'id', 'force', 'share_type')


def _bad(message):
    return exceptions.Invalid(message)


def _scope(req):
    """``(user_id, share_type_id)`` from the query, checked."""
    user_id = req.params.get('user_id') or None
    share_type = req.params.get('share_type') or None
    for value in (user_id, share_type):
        if value is not None and len(value) > 255:
            raise _bad('Query values must be at most 255 characters.')
    if share_type and req.version < GATE_SHARE_TYPE_QUOTAS:
        raise _bad("'share_type' key is not supported by this microversion. "
                   "Use 2.39 or greater microversion to be able to use "
                   "'share_type' quotas.")
    if user_id and share_type:
        raise _bad("'user_id' and 'share_type' values are mutually "
                   "exclusive")
    share_type_id = None
    if share_type:
        try:
            share_type_id = db.share_type_get_by_id_or_name(
                req.ctx, share_type).id
        except exceptions.ShareTypeNotFound:
            raise exceptions.NotFound(
                "Share type with name or id '%s' not found."
                % share_type) from None
    return user_id, share_type_id


def _target(tenant_id):
    return {'project_id': tenant_id}


def _show(req, tenant_id, *, detail):
    req.authorize('quota_set:show', _target(tenant_id))
    user_id, share_type_id = _scope(req)
    values = quota.detail(req.conf, req.ctx, tenant_id, user_id=user_id,
                          share_type_id=share_type_id)
    if not detail:
        values = {k: v['limit'] for k, v in values.items()}
    return routing.reply(views.quota_set(
        req, values, tenant_id, share_type=bool(share_type_id)))


@mv.api_version('2.0')
def show(req, tenant_id):
    return _show(req, tenant_id, detail=False)


@mv.api_version('2.25')
def detail(req, tenant_id):
    return _show(req, tenant_id, detail=True)


@mv.api_version('2.0')
def defaults(req, tenant_id):
    req.authorize('quota_set:show', _target(tenant_id))
    return routing.reply(views.quota_set(
        req, quota.defaults(req.conf, req.ctx), tenant_id))


def _validate_limit(key, value, minimum, maximum, force):
    """Upstream's bounds: -1 (unlimited) or more; without ``force`` not
    below ``minimum`` nor above a finite ``maximum``."""
    if value < -1:
        raise _bad('Quota limit must be -1 or greater.')
    if (value < minimum and not force
            and (maximum != -1 or value != -1)):
        raise _bad('Quota limit must be greater than %s.' % minimum)
    if maximum != -1 and value > maximum and not force:
        raise _bad('Quota limit must be less than %s.' % maximum)


def _as_int(key, value):
    if isinstance(value, bool):
        value = None
    try:
        return int(value)
    except (ValueError, TypeError):
        raise _bad("Quota '%s' for %s should be integer." % (value, key)
                   ) from None


def _checked_body(req, body, share_type_id):
    """``({key: int}, force)`` of an update body, as upstream checks it."""
    for gate, keys, version in _KEY_GATES:
        if req.version < gate:
            for key in keys:
                if body.get(key):
                    raise _bad(
                        "'%(key)s' key is not supported by this "
                        "microversion. Use %(v)s or greater microversion "
                        "to be able to use '%(key)s' quotas."
                        % {'key': key, 'v': version})
    if share_type_id and (body.get('share_groups')
                          or body.get('share_group_snapshots')):
        raise _bad('Share type quotas cannot constrain share groups and '
                   'share group snapshots.')
    bad, force, values = [], False, {}
    for key, value in body.items():
        if key == 'share_networks' and share_type_id:
            raise _bad("'share_networks' quota cannot be set for share "
                       "type. It can be set only for project or user.")
        if key not in quota.RESOURCES and key not in _NON_QUOTA_KEYS:
            bad.append(key)
        elif key == 'force':
            force = strutils.bool_from_string(value)
        elif key not in _NON_QUOTA_KEYS and (value or value == 0):
            values[key] = _as_int(key, value)
    if bad:
        raise _bad('Bad key(s) %s in quota_set.' % ','.join(bad))
    return values, force


@mv.api_version('2.0')
def update(req, tenant_id):
    req.authorize('quota_set:update', _target(tenant_id))
    user_id, share_type_id = _scope(req)
    body = validation.validate(common.body_of(req), schemas.UPDATE)
    values, force = _checked_body(req, body.get('quota_set', {}),
                                  share_type_id)
    scope = dict(user_id=user_id, share_type_id=share_type_id)
    used = quota.detail(req.conf, req.ctx, tenant_id, **scope)
    bounds = quota.settable(req.conf, req.ctx, tenant_id, **scope)
    for key, value in values.items():
        if share_type_id and key not in quota.TYPE_RESOURCES:
            continue
        if not force and value >= 0 and used[key]['limit'] >= 0:
            consumed = used[key]['in_use'] + used[key]['reserved']
            if consumed > value:
                raise _bad('Quota value %(value)s for %(key)s is smaller '
                           'than already used and reserved %(used)s.'
                           % {'value': value, 'key': key, 'used': consumed})
        _validate_limit(key, value, *bounds[key], force)
    for key, value in values.items():
        quota_db.quota_set(req.ctx, tenant_id, key, value, **scope)
    limits = quota.limits(req.conf, req.ctx, tenant_id, **scope)
    return routing.reply(views.quota_set(
        req, limits, share_type=bool(share_type_id)))


@mv.api_version('2.0')
def delete(req, tenant_id):
    req.authorize('quota_set:delete', _target(tenant_id))
    user_id, share_type_id = _scope(req)
    quota_db.quota_destroy_all(req.ctx, tenant_id, user_id=user_id,
                               share_type_id=share_type_id)
    return routing.reply(status=202)


# --- quota class sets --------------------------------------------------------
@mv.api_version('2.0')
def class_show(req, class_name):
    req.authorize('quota_class_set:show')
    if not req.ctx.is_admin and class_name != getattr(
            req.ctx, 'quota_class', None):
        raise exceptions.NotAuthorized()
    return routing.reply(views.quota_class_set(
        req, quota.class_limits(req.conf, req.ctx, class_name), class_name))


@mv.api_version('2.0')
def class_update(req, class_name):
    req.authorize('quota_class_set:update')
    if len(class_name) > 255:
        raise _bad('Quota class name must be at most 255 characters.')
    body = validation.validate(common.body_of(req), schemas.CLASS_UPDATE)
    for key, value in body['quota_class_set'].items():
        if key in quota.RESOURCES:
            value = _as_int(key, value)
            if value < -1:
                raise _bad('Quota limit must be -1 or greater.')
            quota_db.quota_class_set(req.ctx, class_name, key, value)
    return routing.reply(views.quota_class_set(
        req, quota.class_limits(req.conf, req.ctx, class_name)))


# --- limits ------------------------------------------------------------------
def limits(req):
    """The caller's project's limits and what it uses."""
    return routing.reply(views.limits(req, quota.detail(
        req.conf, req.ctx, req.ctx.project_id)))
