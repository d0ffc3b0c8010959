"""Queries of access rules and their metadata (the level change of
2.88: ``db/access_rules.py``)."""

import sqlalchemy as sa

from manila_lite.common import exceptions
from manila_lite.db import engine
from manila_lite.db import models
from manila_lite.db import transition


def access_create(context, values, metadata=None):
    with engine.writer(context) as session:
        row = models.ShareAccessRule(**values)
        row.access_metadata = [
            models.ShareAccessRuleMetadata(key=k, value=v)
            for k, v in (metadata or {}).items()]
        session.add(row)
        session.flush()
        return row


def access_get(context, access_id):
    return engine._get(
        context, models.ShareAccessRule, access_id,
        lambda: exceptions.AccessRuleNotFound(access_id=access_id))


def access_get_all_by_share(context, share_id, *, states_in=None,
                            metadata=None):
    """The share's rules; ``metadata``: only those holding all these
    ``key: value``."""
    Rule = models.ShareAccessRule
    query = (sa.select(Rule).where(Rule.share_id == share_id)
             .order_by(Rule.created_at, Rule.id))
    if states_in is not None:
        query = query.where(Rule.state.in_(sorted(states_in)))
    Meta = models.ShareAccessRuleMetadata
    for key, value in (metadata or {}).items():
        query = query.where(Rule.access_metadata.any(sa.and_(
            Meta.key == key, Meta.value == value)))
    with engine.reader(context) as session:
        return list(session.scalars(query))


def access_get_all_by_shares(context, share_ids, *, states_in=None):
    """Rules of many shares at once: ``{share_id: [rules]}``."""
    Rule = models.ShareAccessRule
    result = {share_id: [] for share_id in share_ids}
    ids = sorted(result)
    with engine.reader(context) as session:
        for start in range(0, len(ids), 500):
            query = (sa.select(Rule)
                     .where(Rule.share_id.in_(ids[start:start + 500]))
                     .order_by(Rule.created_at, Rule.id))
            if states_in is not None:
                query = query.where(Rule.state.in_(sorted(states_in)))
            for rule in session.scalars(query):
                result[rule.share_id].append(rule)
    return result


def access_update(context, access_id, values):
    transition._refuse_state_columns(models.ShareAccessRule, values)
    with engine.writer(context) as session:
        engine._conditional_update(session, models.ShareAccessRule,
                                   access_id, dict(values), ())


def access_transition(context, access_id, new=transition._UNSET, *,
                      sources=None, values=None, event=None):
    """Apply a ``states.ACCESS_EVENTS`` event to one rule's ``state``.
    InvalidState otherwise."""
    transition._transition(
        context, models.ShareAccessRule, 'state', access_id, new,
        event=event, sources=sources, values=values,
        missing=lambda: access_get(context, access_id))


def _destroy_locks(session, resource_ids):
    """Resource locks go with their resource (and an access rule's
    deletion lock with the share lock it brought), in its transaction."""
    from manila_lite.db import resource_locks  # it imports db.api
    resource_locks.destroy_locks_on(session, resource_ids)


def access_destroy(context, access_id):
    with engine.writer(context) as session:
        _destroy_locks(session, [access_id])
        session.execute(sa.delete(models.ShareAccessRuleMetadata).where(
            models.ShareAccessRuleMetadata.access_id == access_id))
        session.execute(sa.delete(models.ShareAccessRule).where(
            models.ShareAccessRule.id == access_id))


def access_metadata_update(context, access_id, metadata):
    """Add or overwrite the given keys of the rule's metadata (others
    stay); returns them, as upstream's does."""
    engine._metadata_update(
        context, models.ShareAccessRule.access_metadata, access_id,
        metadata,
        not_found=lambda: exceptions.AccessRuleNotFound(access_id=access_id))
    return dict(metadata)


def access_metadata_delete(context, access_id, key):
    engine._metadata_delete(
        context, models.ShareAccessRuleMetadata.access_id, access_id, key)
