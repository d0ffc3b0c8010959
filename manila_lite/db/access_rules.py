"""Access rule queries beyond db/api.py: the level change of 2.88."""

from manila_lite.common import states
from manila_lite.db import api as db
from manila_lite.db import models


def level_update(context, access_id, access_level):
    """Give an active rule ``access_level`` and queue it to be applied
    again. Returns False (nothing changed) when the rule is not active
    any more: a deny or another change won."""
    Rule = models.ShareAccessRule
    with db.writer(context) as session:
        return db._conditional_update(
            session, Rule, access_id,
            {'access_level': access_level,
             'state': states.ACCESS_STATE_QUEUED_TO_APPLY},
            (Rule.state == states.ACCESS_STATE_ACTIVE,))
