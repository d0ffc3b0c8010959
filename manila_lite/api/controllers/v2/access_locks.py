"""Access rules under resource locks (2.82+), for the access handlers.

``allow_access`` may ask for a deletion lock on the new rule (which
also locks its share's deletion) and a visibility lock; ``deny_access``
is refused while deletion locks hold the rule, unless the caller asks to
``unrestrict`` it and may lift every one of them; the rule lists and
the rule's show mask a visibility-locked rule's ``access_to`` and
``access_key`` for whoever may not bypass the lock.
"""

import dataclasses

from manila_lite.api import microversion as mv
from manila_lite.api import validation
from manila_lite.common import exceptions
from manila_lite.share import lock_api


@dataclasses.dataclass(frozen=True)
class Requested:
    deletion: bool
    visibility: bool
    reason: str | None


def requested(req, body):
    """The locks an allow_access body asks for (None below 2.82 or
    when it asks for none)."""
    if req.version < mv.GATE_ACCESS_LOCKS:
        return None
    wanted = Requested(
        deletion=validation.to_bool(body.get('lock_deletion', False)),
        visibility=validation.to_bool(body.get('lock_visibility', False)),
        reason=body.get('lock_reason'))
    if wanted.reason is not None and (
            not isinstance(wanted.reason, str)
            or len(wanted.reason) > lock_api.MAX_LOCK_REASON):
        raise exceptions.Invalid(
            "'lock_reason' can contain a maximum of 1023 characters.")
    if not (wanted.deletion or wanted.visibility):
        if wanted.reason:
            raise exceptions.Invalid(
                'Lock reason can only be specified when locking the '
                'visibility or the deletion of an access rule.')
        return None
    return wanted


def place(req, rule, wanted):
    if wanted is None:
        return
    share = req.share_api.share_get(req.ctx, rule.share_id)
    req.share_api.locks.lock_new_rule(
        req.ctx, req.authorize, rule, share, deletion=wanted.deletion,
        visibility=wanted.visibility, reason=wanted.reason)


def check_deny(req, share_id, body):
    req.share_api.locks.ensure_rule_deletable(
        req.ctx, req.authorize, share_id, body['access_id'],
        unrestrict=validation.to_bool(body.get('unrestrict', False)))


def restricted(req, rules):
    """Ids of the rules whose access_to/access_key the caller may not
    see."""
    return lock_api.LockAPI.restricted_rules(
        req.ctx, req.authorize, [rule.id for rule in rules])
