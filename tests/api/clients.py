"""One client per role: a keystoneauth session and a method per call.

Every method returns ``(status, body)``; tests assert on both, so a
client never raises on an HTTP error.
"""

from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from keystoneauth1.identity import v3

DEFAULT_VERSION = '2.98'


class SharesClient:
    def __init__(self, config, role, version=DEFAULT_VERSION):
        creds = config.credentials[role]
        self.role = role
        self.version = version
        self._noauth_project = None if config.auth_url else creds.project
        self.headers = {}
        if config.auth_url:
            auth = v3.Password(
                auth_url=config.auth_url, username=creds.user,
                password=creds.password, project_name=creds.project,
                user_domain_id=config.domain,
                project_domain_id=config.domain)
        else:
            auth = token_endpoint.Token(
                config.url, '%s:%s' % (creds.user, creds.project))
            if creds.roles is not None:
                self.headers['X-Roles'] = creds.roles
        self.session = ks_session.Session(auth=auth)
        self.endpoint = (config.url or self.session.get_endpoint(
            service_type='sharev2', interface='public')).rstrip('/')
        if self.endpoint.endswith('/v2'):
            self.endpoint = self.endpoint[:-3]

    @property
    def project_id(self):
        return self._noauth_project or self.session.get_project_id()

    def request(self, method, path, body=None, version=None, headers=None,
                authenticated=True):
        hdrs = dict(self.headers)
        version = version or self.version
        if version:
            hdrs['X-OpenStack-Manila-API-Version'] = version
        hdrs.update(headers or {})
        resp = self.session.request(
            self.endpoint + path, method, json=body, headers=hdrs,
            raise_exc=False, authenticated=authenticated)
        try:
            data = resp.json() if resp.content else None
        except ValueError:
            data = resp.text
        return resp.status_code, data, resp.headers

    def _call(self, method, path, body=None, version=None):
        status, data, _ = self.request(method, path, body, version)
        return status, data

    # --- shares --------------------------------------------------------------
    def create_share(self, **share):
        share.setdefault('share_proto', 'NFS')
        share.setdefault('size', 1)
        return self._call('POST', '/v2/shares', {'share': share})

    def show_share(self, share_id, version=None):
        return self._call('GET', '/v2/shares/' + share_id, version=version)

    def list_shares(self, detail=False, query='', version=None):
        path = '/v2/shares' + ('/detail' if detail else '') + query
        return self._call('GET', path, version=version)

    def update_share(self, share_id, **fields):
        return self._call('PUT', '/v2/shares/' + share_id,
                          {'share': fields})

    def delete_share(self, share_id):
        return self._call('DELETE', '/v2/shares/' + share_id)

    def share_action(self, share_id, name, value=None, version=None):
        return self._call('POST', '/v2/shares/%s/action' % share_id,
                          {name: value}, version=version)

    def export_locations(self, share_id):
        return self._call('GET', '/v2/shares/%s/export_locations' % share_id)

    def set_metadata(self, share_id, metadata):
        return self._call('POST', '/v2/shares/%s/metadata' % share_id,
                          {'metadata': metadata})

    def get_metadata(self, share_id):
        return self._call('GET', '/v2/shares/%s/metadata' % share_id)

    # --- share types ---------------------------------------------------------
    def create_share_type(self, name, extra_specs, is_public=True):
        return self._call('POST', '/v2/types', {'share_type': {
            'name': name, 'extra_specs': extra_specs,
            'share_type_access:is_public': is_public}})

    def show_share_type(self, type_id):
        return self._call('GET', '/v2/types/' + type_id)

    def list_share_types(self, query=''):
        return self._call('GET', '/v2/types' + query)

    def delete_share_type(self, type_id):
        return self._call('DELETE', '/v2/types/' + type_id)

    def set_extra_specs(self, type_id, specs):
        return self._call('POST', '/v2/types/%s/extra_specs' % type_id,
                          {'extra_specs': specs})

    # --- migration -----------------------------------------------------------
    def migration_start(self, share_id, host, **flags):
        body = dict(host=host, writable=False, preserve_metadata=False,
                    nondisruptive=False, preserve_snapshots=False)
        body.update(flags)
        return self.share_action(share_id, 'migration_start', body)

    def migration_progress(self, share_id, version=None):
        """The action up to 2.97, a GET of its own from 2.98."""
        version = version or self.version
        if tuple(map(int, version.split('.'))) >= (2, 98):
            return self._call('GET', '/v2/shares/%s/migration-progress'
                              % share_id, version=version)
        return self.share_action(share_id, 'migration_get_progress',
                                 version=version)

    # --- replicas ------------------------------------------------------------
    def create_replica(self, share_id, zone=None, version=None):
        body = {'share_id': share_id}
        if zone:
            body['availability_zone'] = zone
        return self._call('POST', '/v2/share-replicas',
                          {'share_replica': body}, version=version)

    def show_replica(self, replica_id, version=None):
        return self._call('GET', '/v2/share-replicas/' + replica_id,
                          version=version)

    def list_replicas(self, share_id=None, detail=False, version=None):
        path = '/v2/share-replicas' + ('/detail' if detail else '')
        if share_id:
            path += '?share_id=' + share_id
        return self._call('GET', path, version=version)

    def replica_action(self, replica_id, name, value=None, version=None):
        return self._call('POST', '/v2/share-replicas/%s/action' % replica_id,
                          {name: value}, version=version)

    def delete_replica(self, replica_id):
        return self._call('DELETE', '/v2/share-replicas/' + replica_id)

    # --- services and zones --------------------------------------------------
    def list_services(self, query=''):
        return self._call('GET', '/v2/services' + query)

    def ensure_shares(self, host):
        return self._call('POST', '/v2/services/ensure-shares',
                          {'host': host})

    def list_zones(self):
        return self._call('GET', '/v2/availability-zones')
