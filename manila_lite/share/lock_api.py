"""Resource locks (2.81+), in the API process: placing, changing and
lifting locks, and the checks other operations ask of them.

A ``delete`` lock on a share refuses its deletion, soft deletion and
unmanaging (:meth:`LockAPI.ensure_share_unlocked`); one on an access
rule refuses its denial unless the caller may lift every such lock and
asks to (``unrestrict``); a ``show`` lock on an access rule hides its
``access_to`` and ``access_key`` from whoever may not bypass it.

Who placed a lock (``lock_context``) decides who may lift it: a user's
lock by anyone the policy lets, a service's by services and admins, an
admin's by admins only (upstream's table). Policy checks that need the
lock or the resource as target are the caller's: it passes
``authorize(action, target)`` (the controllers' ``req.authorize``).
"""

from oslo_utils import uuidutils

from manila_lite.common import exceptions
from manila_lite.common import states
from manila_lite.db import resource_locks as db

SHARE_LOCKED_BY_ACCESS_LOCK_REASON = db.SHARE_LOCKED_BY_ACCESS_LOCK_REASON
MAX_LOCK_REASON = 1023


def lock_context_of(ctx):
    if getattr(ctx, 'service_roles', None):
        return states.LOCK_CONTEXT_SERVICE
    if ctx.is_admin:
        return states.LOCK_CONTEXT_ADMIN
    return states.LOCK_CONTEXT_USER


def lock_target(lock):
    """The policy target of a lock: its owner."""
    return {'project_id': lock.project_id, 'user_id': lock.user_id}


def check_manipulation(ctx, lock):
    """NotAuthorized unless ``ctx`` may change or lift ``lock`` given
    who placed it (user: anyone; service: services and admins; admin:
    admins only)."""
    placed_by = lock.lock_context
    caller = lock_context_of(ctx)
    if ((placed_by == states.LOCK_CONTEXT_ADMIN
         and caller != states.LOCK_CONTEXT_ADMIN)
            or (placed_by == states.LOCK_CONTEXT_SERVICE
                and caller == states.LOCK_CONTEXT_USER)):
        raise exceptions.NotAuthorized(
            'Resource lock cannot be manipulated by user. Please contact '
            'the administrator.')


def may_lift(ctx, lock, authorize):
    """Whether ``ctx`` may delete ``lock`` (policy and lock context)."""
    try:
        authorize('resource_lock:delete', lock_target(lock))
        check_manipulation(ctx, lock)
    except exceptions.NotAuthorized:
        return False
    return True


class LockAPI:
    def __init__(self, share_api):
        self.share_api = share_api

    # --- the resource API ---------------------------------------------------
    @staticmethod
    def _scope(ctx):
        return None if ctx.is_admin else ctx.project_id

    def get(self, ctx, lock_id):
        """The lock; another project's is 404 for a non-admin."""
        return db.lock_get(ctx, lock_id, project_id=self._scope(ctx))

    def get_all(self, ctx, *, filters, all_projects=False, **page):
        """``(locks, count)`` of the caller's project, or of
        ``filters['project_id']`` (an admin's; a non-admin naming another
        project is NotAuthorized), or of all with ``all_projects``."""
        filters = dict(filters)
        project_id = filters.pop('project_id', None)
        if all_projects:
            scope = project_id
        elif project_id is None:
            scope = ctx.project_id
        elif ctx.is_admin or project_id == ctx.project_id:
            scope = project_id
        else:
            raise exceptions.NotAuthorized()
        return db.lock_get_all(ctx, project_id=scope, filters=filters,
                               **page)

    def _resource(self, ctx, resource_type, resource_id):
        """``(policy target, state)`` of the resource; NotFound."""
        if resource_type == states.RESOURCE_TYPE_SHARE:
            share = self.share_api.share_get(ctx, resource_id)
            if share.is_soft_deleted:
                raise exceptions.InvalidInput(
                    reason='Resource cannot be locked since it has been '
                           'soft deleted.')
            return ({'project_id': share.project_id,
                     'user_id': share.user_id}, share.status)
        rule = self.share_api.access_get(ctx, resource_id)
        share = self.share_api.share_get(ctx, rule.share_id)
        return ({'project_id': share.project_id, 'user_id': ctx.user_id},
                rule.state)

    @staticmethod
    def _check_state(resource_type, resource_action, state):
        if resource_action != states.RESOURCE_ACTION_DELETE:
            return
        refused = (states.LOCK_REFUSED_SHARE_STATUSES
                   if resource_type == states.RESOURCE_TYPE_SHARE
                   else states.LOCK_REFUSED_ACCESS_STATES)
        if state in refused:
            raise exceptions.InvalidInput(
                reason='Resource status not suitable for locking')

    def create(self, ctx, authorize, *, resource_id, resource_type,
               resource_action, lock_reason=None, target=None):
        """Place a lock.

        ``target``: the resource's policy target when the caller just
        made it (allow_access), else it is looked up.

        :raises: ResourceVisibilityLockExists (a ``show`` lock exists on
                 the resource, whoever placed it), NotFound (no such
                 resource visible), PolicyNotAuthorized, InvalidInput
                 (the resource is on its way out)
        """
        if resource_action == states.RESOURCE_ACTION_SHOW and db.locks_on(
                ctx, resource_id, states.RESOURCE_ACTION_SHOW):
            # A second one could make the rule visible to someone else.
            raise exceptions.ResourceVisibilityLockExists(
                resource_id=resource_id)
        state = None
        if target is None:
            target, state = self._resource(ctx, resource_type, resource_id)
        authorize('resource_lock:create', target)
        self._check_state(resource_type, resource_action, state)
        refused = None
        if (resource_type == states.RESOURCE_TYPE_SHARE
                and resource_action == states.RESOURCE_ACTION_DELETE):
            # Checked again under the share's row locks: a racing delete.
            refused = states.LOCK_REFUSED_SHARE_STATUSES
        return db.lock_create(ctx, refused_share_statuses=refused, values={
            'id': uuidutils.generate_uuid(),
            'user_id': ctx.user_id, 'project_id': ctx.project_id,
            'lock_context': lock_context_of(ctx),
            'resource_id': resource_id, 'resource_type': resource_type,
            'resource_action': resource_action, 'lock_reason': lock_reason,
        })

    def update(self, ctx, authorize, lock, updates):
        """Change ``resource_action`` and/or ``lock_reason``.

        :raises: PolicyNotAuthorized, NotAuthorized (lock context),
                 InvalidInput (a second visibility lock; a resource on
                 its way out)
        """
        authorize('resource_lock:update', lock_target(lock))
        check_manipulation(ctx, lock)
        action = updates.get('resource_action')
        if action is not None:
            if (action == states.RESOURCE_ACTION_SHOW
                    and lock.resource_action != action
                    and db.locks_on(ctx, lock.resource_id, action)):
                raise exceptions.InvalidInput(
                    reason='The resource already has a visibility lock.')
            _target, state = self._resource(ctx, lock.resource_type,
                                            lock.resource_id)
            self._check_state(lock.resource_type, action, state)
        return db.lock_update(ctx, lock.id, updates)

    def delete(self, ctx, authorize, lock_id):
        lock = self.get(ctx, lock_id)
        authorize('resource_lock:delete', lock_target(lock))
        check_manipulation(ctx, lock)
        db.lock_destroy(ctx, lock_id)

    # --- what other operations ask ------------------------------------------
    @staticmethod
    def ensure_share_unlocked(ctx, share_id,
                              action=states.RESOURCE_ACTION_DELETE):
        """ShareLocked (403, upstream's answer to delete, soft delete and
        unmanage) while any project's ``action`` lock holds the share."""
        locks = db.locks_on(ctx, share_id, action)
        if locks:
            raise exceptions.ShareLocked(
                locks=', '.join(lock.id for lock in locks), action=action)

    def ensure_rule_deletable(self, ctx, authorize, share_id, access_id,
                              *, unrestrict):
        """Before a deny: a rule under deletion locks is denied only with
        ``unrestrict`` by whoever may lift every one of them (the locks
        go with the rule)."""
        locks = db.locks_on(ctx, access_id, states.RESOURCE_ACTION_DELETE)
        if not locks:
            return
        if not unrestrict:
            raise exceptions.NotAuthorized(
                "Cannot deny access for share '%s' since it has been "
                "locked. Please remove the locks and retry the operation"
                % share_id)
        for lock in locks:
            mine = ctx.is_admin or lock.project_id == ctx.project_id
            if not (mine and may_lift(ctx, lock, authorize)):
                raise exceptions.NotAuthorized(
                    'Unable to drop access rule restrictions that are not '
                    'placed by you.')

    def lock_new_rule(self, ctx, authorize, rule, share, *, deletion,
                      visibility, reason):
        """The locks allow_access (2.82) asked for on the rule it just
        made; all or none (Invalid naming what failed)."""
        target = {'project_id': share.project_id, 'user_id': ctx.user_id}
        access = states.RESOURCE_TYPE_ACCESS_RULE
        delete = states.RESOURCE_ACTION_DELETE
        wanted = []
        if deletion:
            wanted += [(access, rule.id, delete, lambda: reason),
                       # The share lock names the rule's lock.
                       (states.RESOURCE_TYPE_SHARE, share.id, delete,
                        lambda: SHARE_LOCKED_BY_ACCESS_LOCK_REASON
                        % made[0].id)]
        if visibility:
            wanted.append((access, rule.id, states.RESOURCE_ACTION_SHOW,
                           lambda: reason))
        made = []
        for resource_type, resource_id, action, why in wanted:
            try:
                made.append(self.create(
                    ctx, authorize, resource_id=resource_id,
                    resource_type=resource_type, resource_action=action,
                    lock_reason=why(), target=target))
            except exceptions.ManilaLiteException:
                for lock in made:
                    db.lock_destroy(ctx, lock.id)
                raise exceptions.Invalid(
                    'Failed to lock the %s of the %s %s.' % (
                        'visibility' if action == states.RESOURCE_ACTION_SHOW
                        else 'deletion',
                        'share' if resource_type == states.RESOURCE_TYPE_SHARE
                        else 'access rule', resource_id)) from None

    @staticmethod
    def restricted_rules(ctx, authorize, rule_ids):
        """The ids among ``rule_ids`` whose ``access_to``/``access_key``
        the caller may not see: a visibility lock holds them and the
        caller may neither manipulate it nor bypass it by policy."""
        hidden = set()
        for lock in db.locks_on_any(ctx, rule_ids,
                                    states.RESOURCE_ACTION_SHOW):
            try:
                check_manipulation(ctx, lock)
                authorize('resource_lock:bypass_locked_show_action',
                          lock_target(lock))
            except exceptions.NotAuthorized:
                hidden.add(lock.resource_id)
        return hidden
