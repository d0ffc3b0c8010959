"""Mountable snapshot representations (2.32): access rules and export
locations, as upstream renders them."""

from manila_lite.api import views

_ELS = 'share_snapshot_export_locations'


def _rule(rule):
    return {'id': rule.id, 'access_type': rule.access_type,
            'access_to': rule.access_to, 'state': rule.state}


def access(rule):
    return {'snapshot_access': _rule(rule)}


def access_list(rules):
    return {'snapshot_access_list': [_rule(r) for r in rules]}


def _location(req, location, *, detail):
    view = {'id': location.id, 'path': location.path,
            'links': req.link(_ELS, location.id)}
    if req.ctx.is_admin:
        view['share_snapshot_instance_id'] = (
            location.share_snapshot_instance_id)
        view['is_admin_only'] = location.is_admin_only
    if detail:
        view['created_at'] = views.isotime(location.created_at)
        view['updated_at'] = views.isotime(location.updated_at)
    return view


def export_location(req, location):
    return {'share_snapshot_export_location': _location(req, location,
                                                        detail=True)}


def export_locations(req, locations):
    """Administrators see the admin-only locations too."""
    return {_ELS: [_location(req, loc, detail=False) for loc in locations
                   if req.ctx.is_admin or not loc.is_admin_only]}
