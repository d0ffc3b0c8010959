"""Service representations (admin only)."""

from manila_lite.api import microversion as mv
from manila_lite.api import views


class ServiceView(views.VersionedView):

    def item(self, req, svc):
        view = {
            'id': svc['id'],
            'binary': svc['binary'],
            'host': svc['host'],
            'zone': svc['zone'],
            'status': svc['status'],
            'state': svc['state'],
            'updated_at': views.isotime(svc['updated_at']),
        }
        return self.apply(req, view, svc)

    @views.since(mv.GATE_SERVICE_DISABLED_REASON)
    def add_disabled_reason(self, req, view, svc):
        view['disabled_reason'] = svc.get('disabled_reason')

    @views.since(mv.GATE_SERVICE_ENSURING)
    def add_ensuring(self, req, view, svc):
        view['ensuring'] = bool(svc.get('ensuring'))


VIEW = ServiceView()


def update(req, svc):
    """The reply to enable and disable: the list item's fields that
    upstream repeats there (``disabled_reason`` and ``ensuring`` from
    their versions on)."""
    full = VIEW.item(req, svc)
    return {k: full[k] for k in ('host', 'binary', 'status',
                                 'disabled_reason', 'ensuring')
            if k in full}


def index(req, services):
    return {'services': [VIEW.item(req, s) for s in services]}
