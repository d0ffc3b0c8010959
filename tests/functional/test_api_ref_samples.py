"""Every api-ref sample (api-ref/source/samples/*.json) against the live
API, in one scenario run on the in-process stack.

* ``*-response.json``: the body of a live reply; the sample must have
  the same keys, recursively, and the same JSON types. A sample that
  drifts from what the API answers fails here.
* ``*-request.json``: sent as the body of a live call (with ids, hosts
  and the like swapped for the scenario's own), which must succeed. A
  request sample the API no longer accepts fails here.

A sample file that no live call produces or sends fails too.

``API_REF_REGENERATE=1`` rewrites the samples from the live calls: the
response samples from the replies, the request samples from the bodies
sent (so ids match across samples). Request samples are the scenario's
input: edit them by hand, regenerate, then review the diff (ids and
times change, shapes must not)."""

import copy
import json
import os

from manila_lite.common import states
from tests.unit.test_embedded import wait_for

SAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', 'api-ref',
                       'source', 'samples')
V = '2.98'
REQUEST = '-request.json'
RESPONSE = '-response.json'


def from_sample(name, subst):
    """The request sample ``name`` with the values of the keys in
    ``subst`` replaced (at any depth); each key must be in the sample."""
    with open(os.path.join(SAMPLES, name)) as f:
        body = json.load(f)
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key in node:
                if key in subst:
                    node[key] = subst[key]
                    found.add(key)
                else:
                    walk(node[key])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(body)
    assert found == set(subst), (name, set(subst) - found)
    return body


def collect(client):
    """``{sample file name: live body}``: the reply body for a response
    sample, the body sent for a request sample. One scenario covering
    every call the api-ref documents with a body."""
    out = {}
    host = client.conf.host

    def call(method, path, *, status, response=None, request=None,
             subst=None, body=None, version=V, headers=None):
        if request is not None:
            assert request.endswith(REQUEST) and body is None, request
            assert request not in out, 'sent twice: %s' % request
            body = from_sample(request, subst or {})
            out[request] = copy.deepcopy(body)
        resp = client(method, path, body, version=version, headers=headers)
        assert resp.status_int == status, (method, path, resp.status_int,
                                           resp.body)
        reply = resp.json_body_or_none
        if response is not None:
            assert response.endswith(RESPONSE), response
            assert response not in out, 'produced twice: %s' % response
            assert reply is not None, (response, 'no body')
            out[response] = reply
        return reply

    def gone(path, key):
        wait_for(client, path, key, 'status', None, timeout=30)

    def action(share_id, request, status=202, response=None, subst=None,
               version=V):
        return call('POST', '/v2/shares/%s/action' % share_id,
                    status=status, request=request, response=response,
                    subst=subst, version=version)

    def replica_action(replica_id, request, status=202, response=None):
        return call('POST', '/v2/share-replicas/%s/action' % replica_id,
                    status=status, request=request, response=response)

    # --- versions ------------------------------------------------------------
    call('GET', '/', version=None, status=300,
         response='versions-response.json')

    # --- share types and extra specs ----------------------------------------
    body = call('POST', '/v2/types', status=200,
                request='share-type-create-request.json',
                response='share-type-create-response.json')
    rtype = body['share_type']['id']
    call('GET', '/v2/types', status=200,
         response='share-types-list-response.json')
    call('GET', '/v2/types/default', status=200,
         response='share-type-default-response.json')
    call('GET', '/v2/types/' + rtype, status=200,
         response='share-type-show-response.json')
    # A scratch type for update, extra specs and delete.
    body = call('POST', '/v2/types', status=200, body={'share_type': {
        'name': 'scratch',
        'extra_specs': {'driver_handles_share_servers': False}}})
    scratch = '/v2/types/' + body['share_type']['id']
    call('PUT', scratch, status=200,
         request='share-type-update-request.json',
         response='share-type-update-response.json')
    # The update made it private: share it with a project, and back.
    call('POST', scratch + '/action', status=202,
         request='share-type-access-add-request.json')
    call('GET', scratch + '/share_type_access', status=200,
         response='share-type-access-list-response.json')
    call('POST', scratch + '/action', status=202,
         request='share-type-access-remove-request.json')
    call('POST', scratch + '/extra_specs', status=200,
         request='share-type-extra-specs-create-request.json',
         response='share-type-extra-specs-create-response.json')
    call('GET', scratch + '/extra_specs', status=200,
         response='share-type-extra-specs-list-response.json')
    call('GET', scratch + '/extra_specs/snapshot_support', status=200,
         response='share-type-extra-spec-show-response.json')
    call('PUT', scratch + '/extra_specs/snapshot_support', status=200,
         request='share-type-extra-spec-update-request.json',
         response='share-type-extra-spec-update-response.json')
    call('DELETE', scratch + '/extra_specs/snapshot_support', status=202)
    call('DELETE', scratch, status=202)

    # --- shares --------------------------------------------------------------
    body = call('POST', '/v2/shares', status=200,
                request='share-create-request.json',
                response='share-create-response.json')
    share_id = body['share']['id']
    share = '/v2/shares/' + share_id
    wait_for(client, share, 'share', 'status', states.STATUS_AVAILABLE)
    call('GET', '/v2/shares', status=200,
         response='shares-list-response.json')
    call('GET', '/v2/shares/detail', status=200,
         response='shares-list-detail-response.json')
    call('GET', share, status=200, response='share-show-response.json')
    call('PUT', share, status=200, request='share-update-request.json',
         response='share-update-response.json')

    # --- share metadata ------------------------------------------------------
    call('GET', share + '/metadata', status=200,
         response='share-metadata-list-response.json')
    call('POST', share + '/metadata', status=200,
         request='share-metadata-create-request.json',
         response='share-metadata-create-response.json')
    call('PUT', share + '/metadata', status=200,
         request='share-metadata-update-all-request.json',
         response='share-metadata-update-all-response.json')
    call('GET', share + '/metadata/team', status=200,
         response='share-metadata-show-response.json')
    call('PUT', share + '/metadata/team', status=200,
         request='share-metadata-update-request.json',
         response='share-metadata-update-response.json')
    call('DELETE', share + '/metadata/release', status=200)

    # --- export locations ----------------------------------------------------
    body = call('GET', share + '/export_locations', status=200,
                response='share-export-locations-list-response.json')
    call('GET', '%s/export_locations/%s' % (
        share, body['export_locations'][0]['id']), status=200,
        response='share-export-location-show-response.json')

    # --- access rules --------------------------------------------------------
    body = action(share_id, 'share-access-allow-request.json', status=200,
                  response='share-access-allow-response.json')
    access_id = body['access']['id']
    wait_for(client, share, 'share', 'access_rules_status',
             states.ACCESS_RULES_STATUS_ACTIVE)
    action(share_id, 'share-access-list-request.json', status=200,
           response='share-access-list-response.json', version='2.44')
    call('GET', '/v2/share-access-rules?share_id=' + share_id, status=200,
         response='share-access-rules-list-response.json')
    call('GET', '/v2/share-access-rules/' + access_id, status=200,
         response='share-access-rule-show-response.json')
    call('PUT', '/v2/share-access-rules/' + access_id, status=200,
         request='share-access-rule-update-request.json',
         response='share-access-rule-update-response.json')
    wait_for(client, share, 'share', 'access_rules_status',
             states.ACCESS_RULES_STATUS_ACTIVE)
    call('PUT', '/v2/share-access-rules/%s/metadata' % access_id,
         status=200, request='share-access-metadata-update-request.json',
         response='share-access-metadata-update-response.json')
    call('DELETE', '/v2/share-access-rules/%s/metadata/ticket' % access_id,
         status=200)
    action(share_id, 'share-access-deny-request.json',
           subst={'access_id': access_id})
    wait_for(client, share, 'share', 'access_rules_status',
             states.ACCESS_RULES_STATUS_ACTIVE)

    # --- snapshots -----------------------------------------------------------
    body = call('POST', '/v2/snapshots', status=202,
                request='snapshot-create-request.json',
                subst={'share_id': share_id},
                response='snapshot-create-response.json')
    snapshot = '/v2/snapshots/' + body['snapshot']['id']
    wait_for(client, snapshot, 'snapshot', 'status',
             states.STATUS_AVAILABLE)
    call('GET', '/v2/snapshots', status=200,
         response='snapshots-list-response.json')
    call('GET', '/v2/snapshots/detail', status=200,
         response='snapshots-list-detail-response.json')
    call('GET', snapshot, status=200, response='snapshot-show-response.json')
    call('PUT', snapshot, status=200, request='snapshot-update-request.json',
         response='snapshot-update-response.json')
    # Snapshot metadata (2.73), the metadata the create gave it first.
    call('GET', snapshot + '/metadata', status=200,
         response='snapshot-metadata-list-response.json')
    call('POST', snapshot + '/metadata', status=200,
         request='snapshot-metadata-create-request.json',
         response='snapshot-metadata-create-response.json')
    call('PUT', snapshot + '/metadata', status=200,
         request='snapshot-metadata-update-all-request.json',
         response='snapshot-metadata-update-all-response.json')
    call('GET', snapshot + '/metadata/retention', status=200,
         response='snapshot-metadata-show-response.json')
    call('DELETE', snapshot + '/metadata/retention', status=200)
    call('DELETE', snapshot, status=202)
    gone(snapshot, 'snapshot')

    # --- resize: up and back down --------------------------------------------
    action(share_id, 'share-extend-request.json')
    wait_for(client, share, 'share', 'size', 2)
    wait_for(client, share, 'share', 'status', states.STATUS_AVAILABLE)
    action(share_id, 'share-shrink-request.json')
    wait_for(client, share, 'share', 'size', 1)
    wait_for(client, share, 'share', 'status', states.STATUS_AVAILABLE)

    # --- migration: start, progress while it waits, complete -----------------
    action(share_id, 'share-migration-start-request.json',
           subst={'host': '%s@local2#pool1' % host})
    wait_for(client, share, 'share', 'task_state',
             states.TASK_STATE_DATA_COPYING_COMPLETED, timeout=60)
    call('GET', share, status=200,
         response='share-show-migrating-response.json')
    call('GET', share + '/migration-progress', status=200,
         response='share-migration-progress-response.json')
    action(share_id, 'share-migration-get-progress-request.json',
           status=200, version='2.97',
           response='share-migration-get-progress-response.json')
    action(share_id, 'share-migration-complete-request.json')
    wait_for(client, share, 'share', 'task_state',
             states.TASK_STATE_MIGRATION_SUCCESS, timeout=60)
    # ... and one cancelled before completion.
    call('POST', share + '/action', status=202, body={'migration_start': {
        'host': '%s@local1#pool1' % host, 'writable': False,
        'preserve_metadata': False, 'nondisruptive': False,
        'preserve_snapshots': False,
        'force_host_assisted_migration': True}})
    wait_for(client, share, 'share', 'task_state',
             states.TASK_STATE_DATA_COPYING_COMPLETED, timeout=60)
    action(share_id, 'share-migration-cancel-request.json')
    wait_for(client, share, 'share', 'task_state',
             states.TASK_STATE_MIGRATION_CANCELLED, timeout=60)

    # --- pools, share and snapshot instances (admin) ------------------------
    call('GET', '/v2/scheduler-stats/pools', status=200,
         response='pools-list-response.json')
    call('GET', '/v2/scheduler-stats/pools/detail', status=200,
         response='pools-list-detail-response.json')
    body = call('GET', share + '/instances', status=200,
                response='share-instances-of-share-response.json')
    instance = '/v2/share_instances/' + body['share_instances'][0]['id']
    call('GET', '/v2/share_instances', status=200,
         response='share-instances-list-response.json')
    call('GET', instance, status=200,
         response='share-instance-show-response.json')
    body = call('GET', instance + '/export_locations', status=200,
                response='share-instance-export-locations-list-response.json')
    call('GET', '%s/export_locations/%s' % (
        instance, body['export_locations'][0]['id']), status=200,
        response='share-instance-export-location-show-response.json')
    call('POST', instance + '/action', status=202,
         request='share-instance-reset-status-request.json')
    body = call('POST', '/v2/snapshots', status=202, body={'snapshot': {
        'share_id': share_id}})
    snapshot_id = body['snapshot']['id']
    snapshot = '/v2/snapshots/' + snapshot_id
    wait_for(client, snapshot, 'snapshot', 'status',
             states.STATUS_AVAILABLE)
    call('GET', '/v2/snapshot-instances?snapshot_id=' + snapshot_id,
         status=200, response='snapshot-instances-list-response.json')
    body = call('GET', '/v2/snapshot-instances/detail?snapshot_id='
                + snapshot_id, status=200,
                response='snapshot-instances-list-detail-response.json')
    snap_instance = ('/v2/snapshot-instances/'
                     + body['snapshot_instances'][0]['id'])
    call('GET', snap_instance, status=200,
         response='snapshot-instance-show-response.json')
    call('POST', snap_instance + '/action', status=202,
         request='snapshot-instance-reset-status-request.json')
    call('POST', snapshot + '/action', status=202,
         request='snapshot-reset-status-request.json')
    call('POST', snapshot + '/action', status=202,
         request='snapshot-force-delete-request.json')
    gone(snapshot, 'snapshot')
    # --- mountable snapshots (2.32) -----------------------------------------
    body = call('POST', '/v2/types', status=200, body={'share_type': {
        'name': 'mountable', 'extra_specs': {
            'driver_handles_share_servers': False,
            'snapshot_support': True, 'mount_snapshot_support': True}}})
    body = call('POST', '/v2/shares', status=200, body={'share': {
        'share_proto': 'NFS', 'size': 1,
        'share_type': body['share_type']['id']}})
    mount_share = '/v2/shares/' + body['share']['id']
    wait_for(client, mount_share, 'share', 'status', states.STATUS_AVAILABLE)
    body = call('POST', '/v2/snapshots', status=202, body={'snapshot': {
        'share_id': body['share']['id']}})
    snapshot = '/v2/snapshots/' + body['snapshot']['id']
    wait_for(client, snapshot, 'snapshot', 'status',
             states.STATUS_AVAILABLE)
    body = call('GET', snapshot + '/export-locations', status=200,
                response='snapshot-export-locations-list-response.json')
    el = body['share_snapshot_export_locations'][0]
    call('GET', '%s/export-locations/%s' % (snapshot, el['id']),
         status=200, response='snapshot-export-location-show-response.json')
    snap_instance = ('/v2/snapshot-instances/'
                     + el['share_snapshot_instance_id'])
    call('GET', snap_instance + '/export-locations', status=200,
         response='snapshot-instance-export-locations-list-response.json')
    call('GET', '%s/export-locations/%s' % (snap_instance, el['id']),
         status=200,
         response='snapshot-instance-export-location-show-response.json')
    body = call('POST', snapshot + '/action', status=202,
                request='snapshot-access-allow-request.json',
                response='snapshot-access-allow-response.json')
    access_id = body['snapshot_access']['id']
    call('GET', snapshot + '/access-list', status=200,
         response='snapshot-access-list-response.json')
    call('POST', snapshot + '/action', status=202,
         request='snapshot-access-deny-request.json',
         subst={'access_id': access_id})
    call('DELETE', snapshot, status=202)
    gone(snapshot, 'snapshot')
    call('DELETE', mount_share, status=202)
    body = call('POST', '/v2/shares', status=200, body={'share': {
        'share_proto': 'NFS', 'size': 1}})
    scratch = '/v2/shares/' + body['share']['id']
    wait_for(client, scratch, 'share', 'status', states.STATUS_AVAILABLE)
    body = call('GET', scratch + '/instances', status=200)
    call('POST', '/v2/share_instances/%s/action'
         % body['share_instances'][0]['id'], status=202,
         request='share-instance-force-delete-request.json')
    gone(scratch, 'share')

    # --- admin share actions -------------------------------------------------
    action(share_id, 'share-reset-task-state-request.json')
    action(share_id, 'share-reset-status-request.json')
    action(share_id, 'share-force-delete-request.json')
    gone(share, 'share')

    # --- replicas ------------------------------------------------------------
    body = call('POST', '/v2/shares', status=200, body={'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': rtype,
        'availability_zone': 'az1'}})
    rshare_id = body['share']['id']
    rshare = '/v2/shares/' + rshare_id
    wait_for(client, rshare, 'share', 'status', states.STATUS_AVAILABLE)
    body = call('GET', '/v2/share-replicas?share_id=' + rshare_id,
                status=200)
    first = '/v2/share-replicas/' + body['share_replicas'][0]['id']
    body = call('POST', '/v2/share-replicas', status=202,
                request='share-replica-create-request.json',
                subst={'share_id': rshare_id},
                response='share-replica-create-response.json')
    replica_id = body['share_replica']['id']
    replica = '/v2/share-replicas/' + replica_id
    wait_for(client, replica, 'share_replica', 'replica_state',
             states.REPLICA_STATE_IN_SYNC, timeout=30)
    call('GET', '/v2/share-replicas?share_id=' + rshare_id, status=200,
         response='share-replicas-list-response.json')
    call('GET', '/v2/share-replicas/detail?share_id=' + rshare_id,
         status=200, response='share-replicas-list-detail-response.json')
    call('GET', replica, status=200,
         response='share-replica-show-response.json')
    # Replica metadata (2.95), the metadata the create gave it first.
    call('GET', replica + '/metadata', status=200,
         response='share-replica-metadata-list-response.json')
    call('POST', replica + '/metadata', status=200,
         request='share-replica-metadata-create-request.json',
         response='share-replica-metadata-create-response.json')
    call('PUT', replica + '/metadata', status=200,
         request='share-replica-metadata-update-all-request.json',
         response='share-replica-metadata-update-all-response.json')
    call('GET', replica + '/metadata/site', status=200,
         response='share-replica-metadata-show-response.json')
    call('PUT', replica + '/metadata/site', status=200,
         request='share-replica-metadata-update-request.json',
         response='share-replica-metadata-update-response.json')
    call('DELETE', replica + '/metadata/tier', status=200)
    body = call('GET', replica + '/export-locations', status=200,
                response='share-replica-export-locations-list-response.json')
    call('GET', '%s/export-locations/%s' % (
        replica, body['export_locations'][0]['id']), status=200,
        response='share-replica-export-location-show-response.json')
    replica_action(replica_id, 'share-replica-promote-request.json',
                   response='share-replica-promote-response.json')
    wait_for(client, replica, 'share_replica', 'status',
             states.STATUS_AVAILABLE, timeout=30)
    # The first replica is no longer the active one.
    first_id = first.rsplit('/', 1)[1]
    wait_for(client, first, 'share_replica', 'status',
             states.STATUS_AVAILABLE, timeout=30)
    replica_action(first_id, 'share-replica-resync-request.json')
    replica_action(first_id, 'share-replica-reset-status-request.json')
    replica_action(first_id,
                   'share-replica-reset-replica-state-request.json')
    replica_action(first_id, 'share-replica-force-delete-request.json')
    gone(first, 'share_replica')
    call('DELETE', rshare, status=202)
    gone(rshare, 'share')

    # --- availability zones --------------------------------------------------
    call('GET', '/v2/availability-zones', status=200,
         response='availability-zones-list-response.json')
    call('GET', '/v2/os-availability-zone', status=200, version='2.6',
         response='os-availability-zone-list-response.json')

    # --- services and ensure shares ------------------------------------------
    call('GET', '/v2/services?binary=manila-share', status=200,
         response='services-list-response.json')
    call('GET', '/v2/os-services?binary=manila-share', status=200,
         version='2.6', response='os-services-list-response.json')
    call('PUT', '/v2/services/disable', status=200,
         request='services-disable-request.json',
         response='services-disable-response.json',
         subst={'host': '%s@local2' % host})
    call('PUT', '/v2/services/enable', status=200,
         request='services-enable-request.json',
         response='services-enable-response.json',
         subst={'host': '%s@local2' % host})
    call('POST', '/v2/services/ensure-shares', status=202,
         request='services-ensure-shares-request.json',
         subst={'host': '%s@local1' % host})

    # --- user messages: a share no backend can take -------------------------
    body = call('POST', '/v2/types', status=200, body={'share_type': {
        'name': 'nowhere', 'extra_specs': {
            'driver_handles_share_servers': 'false',
            'vendor_name': 'foobar'}}})
    body = call('POST', '/v2/shares', status=200, body={'share': {
        'share_proto': 'NFS', 'size': 1,
        'share_type': body['share_type']['id']}})
    lost = body['share']['id']
    wait_for(client, '/v2/shares/' + lost, 'share', 'status',
             states.STATUS_ERROR)
    body = call('GET', '/v2/messages?resource_id=' + lost, status=200,
                response='messages-list-response.json')
    message = '/v2/messages/' + body['messages'][0]['id']
    call('GET', message, status=200, response='message-show-response.json')
    call('DELETE', message, status=204)

    # --- resource locks: a deletion lock on that share ----------------------
    body = call('POST', '/v2/resource-locks', status=200,
                request='resource-lock-create-request.json',
                response='resource-lock-create-response.json',
                subst={'resource_id': lost})
    lock = '/v2/resource-locks/' + body['resource_lock']['id']
    call('GET', '/v2/resource-locks?resource_id=' + lost, status=200,
         response='resource-locks-list-response.json')
    call('GET', lock, status=200, response='resource-lock-show-response.json')
    call('PUT', lock, status=200,
         request='resource-lock-update-request.json',
         response='resource-lock-update-response.json')
    call('DELETE', '/v2/shares/' + lost, status=403)
    call('DELETE', lock, status=204)
    call('DELETE', '/v2/shares/' + lost, status=202)

    # --- share group types (private, so its access list answers) ------------
    body = call('POST', '/v2/share-group-types', status=200,
                request='share-group-type-create-request.json',
                subst={'share_types': [rtype], 'is_public': False})
    sgt = '/v2/share-group-types/' + body['share_group_type']['id']
    call('GET', '/v2/share-group-types?is_public=all', status=200,
         response='share-group-types-list-response.json')
    call('GET', sgt, status=200,
         response='share-group-type-show-response.json')
    call('GET', sgt + '/group-specs', status=200,
         response='share-group-type-specs-response.json')
    call('POST', sgt + '/action', status=202, body={
        'addProjectAccess': {'project': '6f1c1fa4f0bb4d6c9f7b1b7a0e1d2c3b'}})
    call('GET', sgt + '/access', status=200,
         response='share-group-type-access-response.json')

    # --- share groups of that type, one holding a share ---------------------
    body = call('POST', '/v2/share-groups', status=202,
                request='share-group-create-request.json',
                response='share-group-create-response.json',
                subst={'share_group_type_id': body['share_group_type']['id'],
                       'share_types': [rtype]})
    group_id = body['share_group']['id']
    group = '/v2/share-groups/' + group_id
    wait_for(client, group, 'share_group', 'status',
             states.STATUS_AVAILABLE, timeout=30)
    call('GET', '/v2/share-groups', status=200,
         response='share-groups-list-response.json')
    call('GET', '/v2/share-groups/detail', status=200,
         response='share-groups-list-detail-response.json')
    call('GET', group, status=200, response='share-group-show-response.json')
    call('PUT', group, status=200,
         request='share-group-update-request.json',
         response='share-group-update-response.json')
    body = call('POST', '/v2/shares', status=200, body={'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': rtype,
        'share_group_id': group_id}})
    member = '/v2/shares/' + body['share']['id']
    wait_for(client, member, 'share', 'status', states.STATUS_AVAILABLE,
             timeout=30)
    call('DELETE', group, status=409)
    call('DELETE', member + '?share_group_id=' + group_id, status=202)
    gone(member, 'share')
    call('POST', group + '/action', status=202,
         request='share-group-reset-status-request.json')
    call('DELETE', group, status=202)
    gone(group, 'share_group')
    body = call('POST', '/v2/share-groups', status=202, body={
        'share_group': {'share_group_type_id': sgt.rsplit('/', 1)[1]}})
    group = '/v2/share-groups/' + body['share_group']['id']
    call('POST', group + '/action', status=202,
         request='share-group-force-delete-request.json')
    gone(group, 'share_group')
    call('DELETE', sgt, status=204)
    return out


def shape(value):
    """The JSON type tree of ``value`` (dict keys kept, lists by their
    first element, null matching anything)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if value is None:
        return None
    return type(value).__name__


def differences(sample, live, path='$'):
    out = []
    if isinstance(sample, dict) and isinstance(live, dict):
        for key in sorted(set(sample) | set(live)):
            if key not in live:
                out.append('%s.%s: in the sample, not in the reply'
                           % (path, key))
            elif key not in sample:
                out.append('%s.%s: in the reply, not in the sample'
                           % (path, key))
            else:
                out += differences(sample[key], live[key],
                                   '%s.%s' % (path, key))
    elif isinstance(sample, list) and isinstance(live, list):
        if sample and live:
            out += differences(sample[0], live[0], path + '[0]')
    elif None not in (sample, live) and sample != live:
        out.append('%s: %s in the sample, %s in the reply'
                   % (path, sample, live))
    return out


def test_samples_match_live_replies(stack):
    stack.conf.set_override('replica_state_update_interval', 1)
    live = collect(stack)
    if os.environ.get('API_REF_REGENERATE'):
        for name, body in live.items():
            with open(os.path.join(SAMPLES, name), 'w') as f:
                json.dump(body, f, indent=4, sort_keys=True)
                f.write('\n')
    on_disk = sorted(n for n in os.listdir(SAMPLES) if n.endswith('.json'))
    misnamed = [n for n in on_disk
                if not n.endswith(REQUEST) and not n.endswith(RESPONSE)]
    assert not misnamed, 'samples end in -request.json or -response.json'
    orphans = sorted(set(on_disk) - set(live))
    assert not orphans, 'samples without a live call: %s' % orphans
    missing = sorted(set(live) - set(on_disk))
    assert not missing, 'live calls without a sample: %s' % missing
    problems = []
    for name in on_disk:
        with open(os.path.join(SAMPLES, name)) as f:
            sample = json.load(f)
        problems += ['%s: %s' % (name, d) for d in
                     differences(shape(sample), shape(live[name]))]
    assert not problems, '\n'.join(problems)
