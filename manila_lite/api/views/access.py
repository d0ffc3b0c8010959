"""Access rule representations (action replies and /share-access-rules)."""

from manila_lite.api import microversion as mv
from manila_lite.api import views


class AccessView(views.VersionedView):

    def item(self, req, rule):
        view = {
            'id': rule.id,
            'access_type': rule.access_type,
            'access_to': rule.access_to,
            'access_level': rule.access_level,
            'state': rule.state,
        }
        return self.apply(req, view, rule)

    @views.since(mv.GATE_ACCESS_KEY)
    def add_access_key(self, req, view, rule):
        view['access_key'] = rule.access_key

    @views.since(mv.GATE_ACCESS_TIMESTAMPS)
    def add_timestamps(self, req, view, rule):
        view['created_at'] = views.isotime(rule.created_at)
        view['updated_at'] = views.isotime(rule.updated_at)

    @views.since(mv.GATE_ACCESS_RULES_API)
    def add_metadata(self, req, view, rule):
        view['metadata'] = rule.metadata_dict


VIEW = AccessView()


def allowed(req, rule):
    view = VIEW.item(req, rule)
    view['share_id'] = rule.share_id
    view['created_at'] = views.isotime(rule.created_at)
    view['updated_at'] = views.isotime(rule.updated_at)
    return {'access': view}


def show(req, rule):
    return allowed(req, rule)


def index(req, rules):
    return {'access_list': [VIEW.item(req, r) for r in rules]}
