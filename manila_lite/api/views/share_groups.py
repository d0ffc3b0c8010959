"""Share group representations (2.31+), as upstream's;
``availability_zone`` and ``consistent_snapshot_support`` from 2.34,
``share_server_id`` for admins."""

from manila_lite.api import microversion as mv
from manila_lite.api import views

GATE_GROUP_ZONE = mv.parse('2.34')


class ShareGroupView(views.VersionedView):

    def summary(self, req, group):
        return {'id': group.id, 'name': group.name,
                'links': req.link('share-groups', group.id)}

    def detail(self, req, group):
        view = {
            'id': group.id,
            'name': group.name,
            'created_at': views.isotime(group.created_at),
            'status': group.status,
            'description': group.description,
            'project_id': group.project_id,
            'host': group.host or None,
            'share_group_type_id': group.share_group_type_id,
            'source_share_group_snapshot_id':
                group.source_share_group_snapshot_id,
            'share_network_id': group.share_network_id,
            'share_types': [m.share_type_id for m in group.share_types],
            'links': req.link('share-groups', group.id),
        }
        view = self.apply(req, view, group)
        if req.ctx.is_admin:
            view['share_server_id'] = group.share_server_id
        return view

    @views.since(GATE_GROUP_ZONE)
    def add_zone_and_snapshot_support(self, req, view, group):
        view['availability_zone'] = group.availability_zone
        view['consistent_snapshot_support'] = (
            group.consistent_snapshot_support)


VIEW = ShareGroupView()


def show(req, group):
    return {'share_group': VIEW.detail(req, group)}


def index(req, groups, *, detail, next_link=None):
    render = VIEW.detail if detail else VIEW.summary
    body = {'share_groups': [render(req, g) for g in groups]}
    if next_link:
        body['share_groups_links'] = [{'rel': 'next', 'href': next_link}]
    return body
