"""Access rule queries beyond db/api.py: the level change of 2.88."""

from manila_lite.db import api as db
from manila_lite.db import models


def level_update(context, access_id, access_level):
    """Give an active rule ``access_level`` and queue it to be applied
    again. Returns False (nothing changed) when the rule is not active
    any more: a deny or another change won."""
    return db._transition(
        context, models.ShareAccessRule, 'state', access_id, db._UNSET,
        event='level_change', sources=None,
        values={'access_level': access_level}, quiet=True)
