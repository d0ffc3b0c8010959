"""Queries of mountable snapshots (2.32): the export locations of
snapshot instances and the snapshots' access rules.

A snapshot access rule's ``state`` moves only by the events of
``states.SNAPSHOT_ACCESS_EVENTS``, through ``db.api``'s transition
function (one conditional UPDATE per move). Rows go with their
snapshot (instance): the models' relationships cascade the deletes.
"""

import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import api
from manila_lite.db import models

Rule = models.ShareSnapshotAccessRule
Location = models.ShareSnapshotExportLocation


# --- export locations --------------------------------------------------------
def export_locations_replace(context, snapshot_instance_id, locations):
    """Make ``locations`` (dicts of ``path`` and ``is_admin_only``) the
    instance's export locations; an unchanged path keeps its row (and
    id)."""
    with api.writer(context) as session:
        current = {row.path: row for row in session.scalars(
            sa.select(Location).where(
                Location.share_snapshot_instance_id
                == snapshot_instance_id))}
        wanted = {loc['path']: bool(loc.get('is_admin_only'))
                  for loc in locations}
        for path, row in current.items():
            if path not in wanted:
                session.delete(row)
            else:
                row.is_admin_only = wanted[path]
        for path, admin_only in wanted.items():
            if path not in current:
                session.add(Location(
                    share_snapshot_instance_id=snapshot_instance_id,
                    path=path, is_admin_only=admin_only))


def export_locations_of_instances(context, snapshot_instance_ids):
    """Export locations of these snapshot instances, oldest first."""
    query = (sa.select(Location)
             .where(Location.share_snapshot_instance_id.in_(
                 sorted(snapshot_instance_ids)))
             .order_by(Location.created_at, Location.id))
    with api.reader(context) as session:
        return list(session.scalars(query))


def export_location_get(context, export_location_id):
    """:raises: ExportLocationNotFound"""
    return api._get(context, Location, export_location_id,
                    lambda: exceptions.ExportLocationNotFound(
                        uuid=export_location_id))


# --- access rules ------------------------------------------------------------
def snapshot_access_create(context, snapshot_id, access_type, access_to):
    """A new rule, ``queued_to_apply``."""
    with api.writer(context) as session:
        row = Rule(share_snapshot_id=snapshot_id, access_type=access_type,
                   access_to=access_to,
                   state=states.ACCESS_STATE_QUEUED_TO_APPLY)
        session.add(row)
        session.flush()
        return row


def snapshot_access_get(context, access_id):
    """:raises: ShareSnapshotAccessNotFound"""
    return api._get(context, Rule, access_id,
                    lambda: exceptions.ShareSnapshotAccessNotFound(
                        access_id=access_id))


def snapshot_access_get_all(context, snapshot_id, *, states_in=None):
    query = (sa.select(Rule).where(Rule.share_snapshot_id == snapshot_id)
             .order_by(Rule.created_at, Rule.id))
    if states_in is not None:
        query = query.where(Rule.state.in_(sorted(states_in)))
    with api.reader(context) as session:
        return list(session.scalars(query))


def snapshot_access_transition(context, access_id, *, event, quiet=False):
    """Apply a ``states.SNAPSHOT_ACCESS_EVENTS`` event to one rule.

    :raises: InvalidState (unless ``quiet``: returns False) when the
        rule is not in one of the event's sources;
        ShareSnapshotAccessNotFound when it is gone.
    """
    return api._transition(
        context, Rule, 'state', access_id, api._UNSET, event=event,
        sources=None, values=None, quiet=quiet,
        missing=lambda: snapshot_access_get(context, access_id))


def snapshot_access_destroy(context, access_id):
    with api.writer(context) as session:
        session.execute(sa.delete(Rule).where(Rule.id == access_id))
