"""Share export location representations (2.9+)."""

from manila_lite.api import microversion as mv
from manila_lite.api import views


class ExportLocationView(views.VersionedView):

    def summary(self, req, el, *, admin):
        view = {'id': el.uuid, 'path': el.path}
        if admin:
            view['share_instance_id'] = el.share_instance_id
            view['is_admin_only'] = el.is_admin_only
        return self.apply(req, view, el)

    def detail(self, req, el, *, admin):
        view = self.summary(req, el, admin=admin)
        view['created_at'] = views.isotime(el.created_at)
        view['updated_at'] = views.isotime(el.updated_at)
        return view

    @views.since(mv.GATE_EXPORT_LOCATION_PREFERRED)
    def add_preferred(self, req, view, el):
        view['preferred'] = el.preferred

    @views.since(mv.GATE_EXPORT_LOCATION_METADATA)
    def add_metadata(self, req, view, el):
        view['metadata'] = {}


VIEW = ExportLocationView()


def index(req, locations, *, admin):
    return {'export_locations': [VIEW.summary(req, el, admin=admin)
                                 for el in locations]}


def show(req, el, *, admin):
    return {'export_location': VIEW.detail(req, el, admin=admin)}
