"""Access rules, API side. Reading a rule checks its share with
``share_get`` (``shares``) of the composed ``API``."""

import ipaddress

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.share import access_values
from manila_lite.share import recycle
from manila_lite.share.api import base

#: Instance statuses in which no access rule is added or denied (as
#: upstream's INVALID_SHARE_INSTANCE_STATUSES_FOR_ACCESS_RULE_UPDATES;
#: a promotion in flight too).
_ACCESS_REFUSING_STATUSES = states.TRANSITIONAL_STATUSES | {
    states.STATUS_REPLICATION_CHANGE}


def _access_target(access_type, access_to):
    """What a rule grants to, for duplicate checks: an IP rule's
    network, so ``10.0.0.1`` and ``10.0.0.1/32`` are one (as
    upstream)."""
    if access_type == 'ip':
        try:
            return access_type, ipaddress.ip_network(access_to,
                                                     strict=False)
        except ValueError:
            pass
    return access_type, access_to


class AccessAPI(base.Base):
    @staticmethod
    def _validate_access(access_type, access_to, access_level):
        if access_level not in states.ACCESS_LEVELS:
            raise exceptions.InvalidShareAccess(
                reason='access_level must be rw or ro')
        access_values.validate(access_type, access_to)

    @staticmethod
    def _check_instances_take_access(share, error_ok, message):
        """Upstream's rule: every instance (replicas and migration copies
        too) has a host and is in no transitional state; ``error`` is
        refused too unless ``error_ok`` (from 2.74).

        :raises: InvalidShare with upstream's ``message``
        """
        refused = _ACCESS_REFUSING_STATUSES
        if not error_ok:
            refused = refused | {states.STATUS_ERROR}
        if any(not i.host or i.status in refused for i in share.instances):
            raise exceptions.InvalidShare(message=message)

    def access_allow(self, ctx, share_id, *, access_type, access_to,
                     access_level=states.ACCESS_LEVEL_RW, metadata=None,
                     error_ok=False):
        """``error_ok``: an instance in ``error`` does not refuse the
        rule (upstream from 2.74)."""
        share = self.own_share(ctx, share_id, 'share:allow_access')
        recycle.refuse_if_soft_deleted(share, 'allow access for')
        self._validate_access(access_type, access_to, access_level)
        wanted = _access_target(access_type, access_to)
        for rule in db.access_get_all_by_share(ctx, share_id):
            if _access_target(rule.access_type, rule.access_to) == wanted:
                raise exceptions.ShareAccessExists(access_type=access_type,
                                                   access=access_to)
        self._check_instances_take_access(
            share, error_ok,
            'New access rules cannot be applied while the share or any of '
            'its replicas or migration copies lacks a valid host or is in '
            'an invalid state.')
        rule = db.access_create(ctx, dict(
            share_id=share_id, access_type=access_type,
            access_to=access_to, access_level=access_level,
            state=states.ACCESS_STATE_QUEUED_TO_APPLY), metadata)
        self.sync_access(ctx, share)
        return rule

    def sync_access(self, ctx, share):
        for instance in share.instances:
            if not instance.host:
                continue
            db.access_rules_status_transition(ctx, instance.id, event='sync')
            self.cast('update_access', self.share_rpcapi.update_access,
                       ctx, instance.host, instance.id)

    def access_deny(self, ctx, share_id, access_id, *, error_ok=False):
        """``error_ok`` as for :meth:`access_allow`."""
        share = self.own_share(ctx, share_id, 'share:deny_access')
        recycle.refuse_if_soft_deleted(share, 'deny access for')
        rule = db.access_get(ctx, access_id)
        if rule.share_id != share_id:
            raise exceptions.AccessRuleNotFound(access_id=access_id)
        self._check_instances_take_access(
            share, error_ok,
            'Access rules cannot be denied while the share, any of its '
            'replicas or migration copies lacks a valid host or is in an '
            'invalid state.')
        db.access_transition(ctx, access_id, event='deny')
        self.sync_access(ctx, share)

    def access_list(self, ctx, share_id, *, metadata=None):
        """``metadata``: only the rules holding all these items."""
        self.share_get(ctx, share_id)
        return db.access_get_all_by_share(ctx, share_id, metadata=metadata)

    @staticmethod
    def _rule_if(ctx, access_id, share_check):
        """The rule, if ``share_check(ctx, share_id)`` passes for its
        share; a hidden share hides the rule too (404)."""
        rule = db.access_get(ctx, access_id)
        try:
            share_check(ctx, rule.share_id)
        except exceptions.ShareNotFound:
            raise exceptions.AccessRuleNotFound(access_id=access_id) from None
        return rule

    def access_get(self, ctx, access_id):
        return self._rule_if(ctx, access_id, self.share_get)

    def own_access(self, ctx, access_id):
        """The rule, if the caller may change it (its share is theirs)."""
        return self._rule_if(ctx, access_id, self.own_share)

    def access_metadata_update(self, ctx, access_id, metadata):
        """Add or overwrite the given keys (the others stay); returns the
        given ones, as upstream does."""
        self.own_access(ctx, access_id)
        return db.access_metadata_update(ctx, access_id, metadata)

    def access_metadata_delete(self, ctx, access_id, key):
        self.own_access(ctx, access_id)
        db.access_metadata_delete(ctx, access_id, key)
