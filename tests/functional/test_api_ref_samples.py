"""Every api-ref sample (api-ref/source/samples/*.json) against a live
reply: same keys, recursively, and the same JSON types. A sample that
drifts from what the API answers fails here.

``API_REF_REGENERATE=1`` rewrites the samples from the live replies
(then review the diff: ids and times change, shapes must not)."""

import json
import os

from tests.unit.conftest import conf  # noqa: F401
from tests.unit.conftest import db  # noqa: F401
from tests.unit.test_embedded import stack  # noqa: F401
from tests.unit.test_embedded import wait_for

SAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', 'api-ref',
                       'source', 'samples')
V = '2.98'


def collect(client):
    """``{sample file name: live reply body}``; one scenario covering
    the features the project is for."""
    out = {}

    def call(name, method, path, body=None, version=V, status=None,
             headers=None):
        resp = client(method, path, body, version=version, headers=headers)
        if status is not None:
            assert resp.status_int == status, (name, resp.body)
        if name:
            out[name] = resp.json_body_or_none
        return resp.json_body_or_none

    call('versions-response.json', 'GET', '/', version=None)
    body = call('share-type-create-response.json', 'POST', '/v2/types', {
        'share_type': {'name': 'replicated', 'extra_specs': {
            'driver_handles_share_servers': False,
            'replication_type': 'readable'}}}, status=200)
    rtype = body['share_type']['id']
    body = call('share-create-response.json', 'POST', '/v2/shares', {
        'share': {'share_proto': 'NFS', 'size': 1, 'name': 'docs',
                  'availability_zone': 'az1'}}, status=200)
    share_id = body['share']['id']
    wait_for(client, '/v2/shares/' + share_id, 'share', 'status',
             'available')
    call('share-show-response.json', 'GET', '/v2/shares/' + share_id)
    call('share-export-locations-list-response.json', 'GET',
         '/v2/shares/%s/export_locations' % share_id)
    # Migration: start, the admin progress field while it runs, complete.
    call(None, 'POST', '/v2/shares/%s/action' % share_id, {
        'migration_start': {
            'host': '%s@local2#pool1' % client.conf.host, 'writable': False,
            'preserve_metadata': False, 'nondisruptive': False,
            'preserve_snapshots': False,
            'force_host_assisted_migration': True}}, status=202)
    wait_for(client, '/v2/shares/' + share_id, 'share', 'task_state',
             'data_copying_completed', timeout=60)
    call('share-show-migrating-response.json', 'GET',
         '/v2/shares/' + share_id)
    call('share-migration-progress-response.json', 'GET',
         '/v2/shares/%s/migration-progress' % share_id)
    call('share-migration-get-progress-response.json', 'POST',
         '/v2/shares/%s/action' % share_id,
         {'migration_get_progress': None}, version='2.97', status=200)
    call(None, 'POST', '/v2/shares/%s/action' % share_id,
         {'migration_complete': None}, status=202)
    wait_for(client, '/v2/shares/' + share_id, 'share', 'task_state',
             'migration_success', timeout=60)
    # Replicas.
    body = call(None, 'POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'share_type': rtype,
        'availability_zone': 'az1'}}, status=200)
    rshare = body['share']['id']
    wait_for(client, '/v2/shares/' + rshare, 'share', 'status', 'available')
    body = call('share-replica-create-response.json', 'POST',
                '/v2/share-replicas', {'share_replica': {
                    'share_id': rshare, 'availability_zone': 'az2'}},
                status=202)
    replica = body['share_replica']['id']
    wait_for(client, '/v2/share-replicas/' + replica, 'share_replica',
             'replica_state', 'in_sync', timeout=30)
    call('share-replicas-list-response.json', 'GET',
         '/v2/share-replicas?share_id=' + rshare)
    call('share-replicas-list-detail-response.json', 'GET',
         '/v2/share-replicas/detail?share_id=' + rshare)
    call('share-replica-show-response.json', 'GET',
         '/v2/share-replicas/' + replica)
    call('share-replica-export-locations-list-response.json', 'GET',
         '/v2/share-replicas/%s/export-locations' % replica)
    call('share-replica-promote-response.json', 'POST',
         '/v2/share-replicas/%s/action' % replica, {'promote': None},
         status=202)
    wait_for(client, '/v2/share-replicas/' + replica, 'share_replica',
             'status', 'available', timeout=30)
    # Services and ensure shares.
    call('services-list-response.json', 'GET', '/v2/services?binary='
         'manila-share')
    call(None, 'POST', '/v2/services/ensure-shares',
         {'host': '%s@local1' % client.conf.host}, status=202)
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


def test_samples_match_live_replies(stack):  # noqa: F811
    stack.conf.set_override('replica_state_update_interval', 1)
    live = collect(stack)
    if os.environ.get('API_REF_REGENERATE'):
        for name, body in live.items():
            with open(os.path.join(SAMPLES, name), 'w') as f:
                json.dump(body, f, indent=4, sort_keys=True)
                f.write('\n')
    on_disk = sorted(n for n in os.listdir(SAMPLES) if n.endswith('.json'))
    assert on_disk == sorted(live), 'samples without a live request'
    problems = []
    for name in on_disk:
        with open(os.path.join(SAMPLES, name)) as f:
            sample = json.load(f)
        problems += ['%s: %s' % (name, d) for d in
                     differences(shape(sample), shape(live[name]))]
    assert not problems, '\n'.join(problems)
