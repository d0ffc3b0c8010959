"""Queries of host-assisted copy jobs (``data_copy_jobs``)."""

import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.db import engine
from manila_lite.db import models
from manila_lite.db import transition


def data_copy_job_create(context, values):
    return engine._create(context, models.DataCopyJob, values)


def data_copy_job_get(context, job_id):
    return engine._get(context, models.DataCopyJob, job_id,
                       lambda: exceptions.DataCopyJobNotFound(job_id=job_id))


def data_copy_job_get_all(context, *, share_id=None, states_in=None):
    Job = models.DataCopyJob
    query = sa.select(Job).order_by(Job.created_at)
    if share_id is not None:
        query = query.where(Job.share_id == share_id)
    if states_in is not None:
        query = query.where(Job.state.in_(sorted(states_in)))
    with engine.reader(context) as session:
        return list(session.scalars(query))


def data_copy_job_update(context, job_id, values, *, states_in=None):
    """Update a job (not its state); with ``states_in`` only if its
    state is one of them (returns whether it was)."""
    transition._refuse_state_columns(models.DataCopyJob, values)
    where = ()
    if states_in is not None:
        where = (models.DataCopyJob.state.in_(sorted(states_in)),)
    with engine.writer(context) as session:
        return engine._conditional_update(session, models.DataCopyJob, job_id,
                                          dict(values), where)


def data_copy_job_transition(context, job_id, new=transition._UNSET, *,
                             event, sources=None, values=None):
    """Apply a ``states.JOB_EVENTS`` event to a job's ``state``; returns
    whether the job was in one of its sources (and moved)."""
    return transition._transition(
        context, models.DataCopyJob, 'state', job_id, new, event=event,
        sources=sources, values=values, quiet=True)
