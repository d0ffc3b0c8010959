"""Queries behind the admin share- and snapshot-instance APIs.

Kept apart from ``db/api.py`` (one module per aggregate of queries);
uses its sessions, so callers may mix both in one transaction.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from manila_lite.db import api
from manila_lite.db import models


def share_instance_get_all(context, *, export_location_id=None,
                           export_location_path=None):
    """Every share instance (oldest first), with its share and export
    locations loaded; only those holding an export location of that
    uuid and/or path when given."""
    Inst = models.ShareInstance
    EL = models.ExportLocation
    query = (sa.select(Inst)
             .options(orm.joinedload(Inst.share),
                      orm.selectinload(Inst.export_locations))
             .order_by(Inst.created_at, Inst.id))
    if export_location_id is not None or export_location_path is not None:
        sub = sa.select(EL.share_instance_id)
        if export_location_id is not None:
            sub = sub.where(EL.uuid == export_location_id)
        if export_location_path is not None:
            sub = sub.where(EL.path == export_location_path)
        query = query.where(Inst.id.in_(sub))
    with api.reader(context) as session:
        return list(session.scalars(query).unique())


def snapshot_instance_get_all(context, *, snapshot_id=None):
    """Every snapshot instance (oldest first) with its snapshot loaded;
    only ``snapshot_id``'s when given."""
    SI = models.ShareSnapshotInstance
    query = (sa.select(SI).options(orm.joinedload(SI.snapshot))
             .order_by(SI.created_at, SI.id))
    if snapshot_id is not None:
        query = query.where(SI.snapshot_id == snapshot_id)
    with api.reader(context) as session:
        return list(session.scalars(query).unique())
