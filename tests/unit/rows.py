"""Test set-up only: put a row in a state (and other values) directly.

The code under test changes state columns only through the events of
``common/states.py`` (``db.api`` refuses them in its generic updates);
a test preparing a scenario (a share left ``migrating`` by a dead
service, a rule queued for deny) writes the row as a crash would have
left it. Same call shape as the ``db.api`` updates they replace.
"""

import sqlalchemy as sa

from manila_lite.db import api as db_api
from manila_lite.db import models


def _force(context, model, row_id, values):
    with db_api.writer(context) as session:
        count = session.execute(
            sa.update(model).where(model.id == row_id).values(**values)
            .execution_options(synchronize_session=False)).rowcount
    assert count == 1, 'no %s %s' % (model.__tablename__, row_id)


def share_update(context, share_id, values):
    _force(context, models.Share, share_id, values)
    return db_api.share_get(context, share_id)


def share_instance_update(context, instance_id, values):
    _force(context, models.ShareInstance, instance_id, values)


def snapshot_instance_update(context, snapshot_instance_id, values):
    _force(context, models.ShareSnapshotInstance, snapshot_instance_id,
           values)


def access_update(context, access_id, values):
    _force(context, models.ShareAccessRule, access_id, values)


def data_copy_job_update(context, job_id, values, *, states_in=None):
    _force(context, models.DataCopyJob, job_id, values)
    return True


def share_group_update(context, share_group_id, values):
    _force(context, models.ShareGroup, share_group_id, values)
