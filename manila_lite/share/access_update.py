"""Changing an existing access rule's level (``update_access``, 2.88).

The rule takes the new level and is queued again (``queued_to_apply``),
and its share's instances resync, as for a new rule: the share service
hands the driver the whole rule set, the rule back to ``active``.
"""

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import access_rules as access_db
from manila_lite.db import api as db


def update_level(share_api, ctx, access_id, access_level):
    """:raises: AccessRuleNotFound (hidden or absent), InvalidShare
    (share not available), InvalidShareAccess (rule not active)"""
    rule = share_api.own_access(ctx, access_id)
    share = share_api.own_share(ctx, rule.share_id)
    if share.status != states.STATUS_AVAILABLE:
        raise exceptions.InvalidShare(
            reason='share status must be available to change access')
    if rule.access_level == access_level:
        return rule
    if not access_db.level_update(ctx, access_id, access_level):
        raise exceptions.InvalidShareAccess(
            reason='access rule %s is %s; only an active rule can be '
                   'updated' % (access_id, db.access_get(
                       ctx, access_id).state))
    share_api.sync_access(ctx, share)
    return db.access_get(ctx, access_id)
