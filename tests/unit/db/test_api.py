"""db.api (and the modules behind it) on a real SQLite database:
queries, filters and the conditional updates that decide races."""

import threading

import pytest

from manila_lite.common import exceptions
from manila_lite.common import states


def _type(db, ctx, name='default', **specs):
    specs.setdefault('driver_handles_share_servers', 'False')
    return db.share_type_create(ctx, {'name': name}, specs)


def _share(db, ctx, stype, *, project='p1', status=states.STATUS_CREATING,
           host='', zone=None, name=None, metadata=None):
    return db.share_create(
        ctx, dict(project_id=project, size=1, share_proto='NFS',
                  share_type_id=stype.id, name=name),
        dict(status=status, host=host, availability_zone=zone,
             share_type_id=stype.id), metadata)


def test_transition_follows_the_table(db, admin_ctx):
    share = _share(db, admin_ctx, _type(db, admin_ctx))
    inst = share.instance.id
    db.share_instance_transition(admin_ctx, inst, states.STATUS_AVAILABLE)
    assert db.share_get(admin_ctx, share.id).status == 'available'
    with pytest.raises(exceptions.InvalidState):
        db.share_instance_transition(admin_ctx, inst,
                                     states.STATUS_CREATING)
    assert db.share_get(admin_ctx, share.id).status == 'available'


def test_transition_of_missing_instance_is_not_found(db, admin_ctx):
    with pytest.raises(exceptions.ShareInstanceNotFound):
        db.share_instance_transition(admin_ctx, 'nope',
                                     states.STATUS_AVAILABLE)


def test_racing_transitions_have_one_winner(db, admin_ctx):
    share = _share(db, admin_ctx, _type(db, admin_ctx),
                   status=states.STATUS_AVAILABLE)
    results = []
    barrier = threading.Barrier(8)

    def attempt():
        barrier.wait()
        try:
            db.share_task_state_transition(
                admin_ctx.elevated(), share.id,
                states.TASK_STATE_MIGRATION_STARTING)
            results.append('won')
        except exceptions.InvalidState:
            results.append('lost')

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ['lost'] * 7 + ['won']
    assert (db.share_get(admin_ctx, share.id).task_state
            == states.TASK_STATE_MIGRATION_STARTING)


def test_task_state_none_is_a_valid_source(db, admin_ctx):
    share = _share(db, admin_ctx, _type(db, admin_ctx))
    db.share_task_state_transition(admin_ctx, share.id,
                                   states.TASK_STATE_MIGRATION_STARTING)
    with pytest.raises(exceptions.InvalidState):
        db.share_task_state_transition(admin_ctx, share.id,
                                       states.TASK_STATE_MIGRATION_STARTING)


def test_share_filters(db, admin_ctx):
    stype = _type(db, admin_ctx)
    other = _type(db, admin_ctx, name='gold')
    a = _share(db, admin_ctx, stype, name='alpha', zone='az1',
               host='n@b1#p1', status=states.STATUS_AVAILABLE,
               metadata={'k': 'v'})
    b = _share(db, admin_ctx, other, name='beta', zone='az2',
               host='n@b2#p1', project='p2')

    def ids(**filters):
        return {s.id for s in db.share_get_all(admin_ctx, filters=filters)}

    assert ids() == {a.id, b.id}
    assert ids(status='available') == {a.id}
    assert ids(availability_zone='az2') == {b.id}
    assert ids(host='n@b1') == {a.id}
    assert ids(host='n@b1#p1') == {a.id}
    assert ids(share_type_id=other.id) == {b.id}
    assert ids(**{'name~': 'lph'}) == {a.id}
    assert ids(metadata={'k': 'v'}) == {a.id}
    assert ids(metadata={'k': 'x'}) == set()
    assert ids(project_id='p2') == {b.id}
    visible = db.share_get_all(admin_ctx, visible_projects=('p2', False))
    assert [s.id for s in visible] == [b.id]


def test_share_list_limit_offset_and_sort(db, admin_ctx):
    stype = _type(db, admin_ctx)
    made = [_share(db, admin_ctx, stype, name='s%d' % i) for i in range(5)]
    names = [s.name for s in db.share_get_all(admin_ctx, sort_key='name',
                                              sort_dir='asc')]
    assert names == sorted(s.name for s in made)
    page = db.share_get_all(admin_ctx, sort_key='name', sort_dir='asc',
                            limit=2, offset=1)
    assert [s.name for s in page] == names[1:3]
    with pytest.raises(exceptions.InvalidInput):
        db.share_get_all(admin_ctx, sort_key='password')


def test_share_type_in_use_cannot_be_deleted(db, admin_ctx):
    stype = _type(db, admin_ctx)
    share = _share(db, admin_ctx, stype)
    with pytest.raises(exceptions.ShareTypeInUse):
        db.share_type_destroy(admin_ctx, stype.id)
    db.share_destroy(admin_ctx, share.id)
    db.share_type_destroy(admin_ctx, stype.id)
    with pytest.raises(exceptions.ShareTypeNotFound):
        db.share_type_get(admin_ctx, stype.id)


def test_share_type_name_is_unique(db, admin_ctx):
    _type(db, admin_ctx)
    with pytest.raises(exceptions.ShareTypeExists):
        _type(db, admin_ctx)


def test_extra_specs_set_and_delete(db, admin_ctx):
    stype = _type(db, admin_ctx)
    specs = db.share_type_extra_specs_set(admin_ctx, stype.id,
                                          {'snapshot_support': 'True'})
    assert specs == {'driver_handles_share_servers': 'False',
                     'snapshot_support': 'True'}
    db.share_type_extra_spec_delete(admin_ctx, stype.id, 'snapshot_support')
    with pytest.raises(exceptions.ShareTypeExtraSpecsNotFound):
        db.share_type_extra_spec_delete(admin_ctx, stype.id,
                                        'snapshot_support')


def test_export_locations_replace_keeps_ids_of_unchanged_paths(db,
                                                               admin_ctx):
    share = _share(db, admin_ctx, _type(db, admin_ctx))
    inst = share.instance.id
    db.export_locations_replace(admin_ctx, inst, [
        {'path': 'h1:/a', 'preferred': True},
        {'path': '/local/a', 'is_admin_only': True}])
    first = {el.path: el.uuid
             for el in db.share_get(admin_ctx, share.id).export_locations}
    db.export_locations_replace(admin_ctx, inst, [
        {'path': 'h2:/a', 'preferred': True},
        {'path': '/local/a', 'is_admin_only': True}])
    second = {el.path: el.uuid
              for el in db.share_get(admin_ctx, share.id).export_locations}
    assert set(second) == {'h2:/a', '/local/a'}
    assert second['/local/a'] == first['/local/a']


def test_metadata_set_replace_and_delete(db, admin_ctx):
    share = _share(db, admin_ctx, _type(db, admin_ctx), metadata={'a': '1'})
    assert db.share_metadata_set(admin_ctx, share.id, {'b': '2'}) == {
        'a': '1', 'b': '2'}
    assert db.share_metadata_set(admin_ctx, share.id, {'c': '3'},
                                 replace=True) == {'c': '3'}
    db.share_metadata_delete(admin_ctx, share.id, 'c')
    with pytest.raises(exceptions.MetadataItemNotFound):
        db.share_metadata_delete(admin_ctx, share.id, 'c')


def _metadata_owners(db, ctx):
    """``{kind: (setter, owner id)}``: one row of each table with
    metadata (or specs)."""
    from manila_lite.db import share_group_types

    stype = _type(db, ctx)
    group_type = share_group_types.create(ctx, 'g', [stype.id], {}, True)
    share = _share(db, ctx, stype, status=states.STATUS_AVAILABLE)
    replica = db.replica_create(ctx, share.id, dict(
        status=states.STATUS_AVAILABLE, host='h@b#p',
        replica_state=states.REPLICA_STATE_IN_SYNC))
    snap = db.snapshot_create(
        ctx, dict(share_id=share.id, project_id='p1', size=1),
        dict(share_instance_id=share.instance.id,
             status=states.STATUS_AVAILABLE))
    rule = db.access_create(ctx, dict(
        share_id=share.id, access_type='ip', access_to='10.0.0.1',
        state=states.ACCESS_STATE_ACTIVE))
    return {'share': (db.share_metadata_set, share.id),
            'replica': (db.replica_metadata_set, replica.id),
            'snapshot': (db.snapshot_metadata_set, snap.id),
            'access': (db.access_metadata_update, rule.id),
            'share_type': (db.share_type_extra_specs_set, stype.id),
            'group_type': (share_group_types.specs_set, group_type.id)}


@pytest.mark.parametrize('kind', ['share', 'replica', 'snapshot', 'access',
                                  'share_type', 'group_type'])
def test_every_metadata_setter_retries_a_concurrent_insert(
        db, admin_ctx, monkeypatch, kind):
    """Two requests adding the same new key: the second insert breaks
    the unique (owner, key) constraint (on MariaDB and PostgreSQL; SQLite
    serializes writers) and its setter runs again, now updating the
    row the first one wrote, instead of failing the request. Metadata
    and specs alike."""
    from oslo_db import exception as db_exc

    from manila_lite.db import engine

    setter, owner_id = _metadata_owners(db, admin_ctx)[kind]
    real, calls = engine._metadata_set, []

    def first_loses(*args):
        calls.append(args)
        if len(calls) == 1:
            raise db_exc.DBDuplicateEntry(columns=['key'])
        return real(*args)

    monkeypatch.setattr(engine, '_metadata_set', first_loses)
    assert setter(admin_ctx, owner_id, {'k': 'v'})['k'] == 'v'
    assert len(calls) == 2


def test_instance_destroy_reports_remaining(db, admin_ctx):
    share = _share(db, admin_ctx, _type(db, admin_ctx))
    db.share_instance_create(admin_ctx, share.id,
                             {'status': states.STATUS_CREATING})
    assert db.share_instance_destroy(admin_ctx, share.instance.id) == 1


def test_service_register_heartbeat_and_ensuring(db, admin_ctx):
    svc = db.service_create_or_update(
        admin_ctx, host='n@b1', binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az1')
    again = db.service_create_or_update(
        admin_ctx, host='n@b1', binary=states.BINARY_SHARE,
        topic='manila-share', availability_zone='az9')
    assert again.id == svc.id and again.availability_zone == 'az9'
    assert db.service_heartbeat(admin_ctx, svc.id, {'pools': [1]})
    row = db.service_get(admin_ctx, svc.id)
    assert row.report_count == 1
    assert db.service_capabilities(row) == {'pools': [1]}
    assert db.service_set_ensuring(admin_ctx, svc.id, True)
    assert not db.service_set_ensuring(admin_ctx, svc.id, True)
    assert db.service_set_ensuring(admin_ctx, svc.id, False)


def test_data_copy_job_conditional_update(db, admin_ctx):
    job = db.data_copy_job_create(admin_ctx, dict(
        share_id='s', src_instance_id='a', dest_instance_id='b',
        state=states.JOB_QUEUED))
    assert db.data_copy_job_transition(admin_ctx, job.id, event='claim')
    assert not db.data_copy_job_transition(admin_ctx, job.id,
                                           event='claim')


def test_bulk_transition_moves_only_eligible(db, admin_ctx):
    stype = _type(db, admin_ctx)
    ready = [_share(db, admin_ctx, stype, status=states.STATUS_AVAILABLE)
             for _ in range(3)]
    busy = _share(db, admin_ctx, stype, status=states.STATUS_CREATING)
    ids = [s.instance.id for s in ready + [busy]]
    moved = db.share_instances_bulk_transition(
        admin_ctx, ids, states.STATUS_ENSURING,
        sources={states.STATUS_AVAILABLE})
    assert sorted(moved) == sorted(s.instance.id for s in ready)
    assert db.share_get(admin_ctx, busy.id).status == 'creating'
    again = db.share_instances_bulk_transition(
        admin_ctx, ids, states.STATUS_ENSURING,
        sources={states.STATUS_AVAILABLE})
    assert again == []


def test_last_instance_takes_its_share_in_the_same_transaction(
        db, admin_ctx):
    """A share row never outlives its last instance: listed with no
    instance it would show status None (seen after a delete raced the
    re-drive), and a crash between two writes would keep it forever."""
    stype = _type(db, admin_ctx)
    share = _share(db, admin_ctx, stype, status=states.STATUS_AVAILABLE)
    db.snapshot_create(
        admin_ctx, dict(share_id=share.id, project_id='p1', size=1),
        dict(status=states.STATUS_ERROR,
             share_instance_id=share.instance.id))
    db.access_create(admin_ctx, dict(
        share_id=share.id, access_type='ip', access_to='10.0.0.1',
        access_level='rw', state='active'), {'k': 'v'})
    second = db.share_instance_create(admin_ctx, share.id, dict(
        status=states.STATUS_AVAILABLE, share_type_id=stype.id))

    assert db.share_instance_destroy(admin_ctx, share.instance.id,
                                     share_too=True) == 1
    assert db.share_get(admin_ctx, share.id).instances[0].id == second.id

    assert db.share_instance_destroy(admin_ctx, second.id,
                                     share_too=True) == 0
    with pytest.raises(exceptions.ShareNotFound):
        db.share_get(admin_ctx, share.id)
    assert db.snapshot_get_all(admin_ctx,
                               filters={'share_id': share.id}) == []
    assert db.share_get_all(admin_ctx) == []
    # Gone already: nothing to do, and nothing raised.
    assert db.share_instance_destroy(admin_ctx, second.id,
                                     share_too=True) is None
