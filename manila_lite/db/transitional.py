"""Queries for rows a share service must finish: those in transition.

One query per kind of row, each over a whole ``host@backend``, so the
periodic recovery of a backend with many shares costs a few statements,
not a few per share.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from manila_lite.db import api
from manila_lite.db import models


def _on_host(column, host):
    return sa.or_(column == host, column.like(host + '#%'))


def snapshot_instances_on_host(context, host, statuses):
    """Snapshot instances in ``statuses`` whose share instance lives on
    ``host``, oldest first."""
    SI = models.ShareSnapshotInstance
    Inst = models.ShareInstance
    query = (sa.select(SI)
             .join(Inst, Inst.id == SI.share_instance_id)
             .where(_on_host(Inst.host, host))
             .where(SI.status.in_(sorted(statuses)))
             .options(orm.joinedload(SI.snapshot))
             .order_by(SI.created_at))
    with api.reader(context) as session:
        return list(session.scalars(query).unique())


def instances_with_pending_access(context, host, instance_statuses,
                                  rule_states):
    """``[(share instance, latest change of its pending rules)]`` for the
    instances on ``host`` in ``instance_statuses`` whose share has a rule
    in ``rule_states``."""
    Inst = models.ShareInstance
    Rule = models.ShareAccessRule
    pending = (sa.select(Rule.share_id,
                         sa.func.max(sa.func.coalesce(
                             Rule.updated_at,
                             Rule.created_at)).label('changed'))
               .where(Rule.state.in_(sorted(rule_states)))
               .group_by(Rule.share_id)
               .subquery())
    query = (sa.select(Inst, pending.c.changed)
             .join(pending, pending.c.share_id == Inst.share_id)
             .where(_on_host(Inst.host, host))
             .where(Inst.status.in_(sorted(instance_statuses)))
             .order_by(Inst.created_at))
    with api.reader(context) as session:
        return [(inst, changed) for inst, changed in session.execute(query)]
