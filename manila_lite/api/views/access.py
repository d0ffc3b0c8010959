"""Access rule representations (action replies and /share-access-rules).

As upstream's share_accesses view: the replies about one rule (allow,
show, update) carry ``share_id``; lists do not. Below 2.28 a rule has
no state of its own: it shows its share's access rules status (``new``
while the share is syncing).
"""

from manila_lite.api import microversion as mv
from manila_lite.api import views
from manila_lite.common import states

#: What a visibility-locked rule shows instead of its secrets.
REDACTED = '******'


class AccessView(views.VersionedView):

    def __init__(self, share_rules_status=None):
        # The share's access_rules_status, for the state below 2.28.
        self._share_status = share_rules_status

    def item(self, req, rule, *, with_share_id=False, restricted=False):
        view = {
            'id': rule.id,
            'access_type': rule.access_type,
            'access_to': rule.access_to,
            'access_level': rule.access_level,
            'state': rule.state,
        }
        if with_share_id:
            view['share_id'] = rule.share_id
        view = self.apply(req, view, rule)
        if restricted:
            # A visibility lock the caller may not bypass (2.82): both
            # fields masked at every version, as upstream.
            view['access_to'] = view['access_key'] = REDACTED
        return view

    @views.since(mv.GATE_ACCESS_KEY)
    def add_access_key(self, req, view, rule):
        view['access_key'] = rule.access_key

    @views.until(mv.GATE_ACCESS_RULES_SYNCING)
    def translate_transitional_states(self, req, view, rule):
        status = self._share_status
        if status in (None, states.ACCESS_RULES_STATUS_SYNCING,
                      states.ACCESS_RULES_STATUS_OUT_OF_SYNC):
            view['state'] = states.ACCESS_STATE_NEW
        else:
            view['state'] = status

    @views.since(mv.GATE_ACCESS_TIMESTAMPS)
    def add_timestamps(self, req, view, rule):
        view['created_at'] = views.isotime(rule.created_at)
        view['updated_at'] = views.isotime(rule.updated_at)

    @views.since(mv.GATE_ACCESS_RULES_API)
    def add_metadata(self, req, view, rule):
        view['metadata'] = rule.metadata_dict


def allowed(req, rule):
    """The reply to allow_access: the rule was just queued and its
    share set syncing (``new`` below 2.28)."""
    return {'access': AccessView().item(req, rule, with_share_id=True)}


def show(req, rule, share_rules_status=None, *, restricted=False):
    return {'access': AccessView(share_rules_status).item(
        req, rule, with_share_id=True, restricted=restricted)}


def index(req, rules, share_rules_status=None, *, restricted=()):
    builder = AccessView(share_rules_status)
    return {'access_list': [builder.item(req, r, restricted=r.id in restricted)
                            for r in rules]}
