"""Quota usage rows are always updated in one order (sorted by scope,
then resource), by charges and releases alike: two transactions never
lock the same rows in opposite orders (an InnoDB deadlock, a 500)."""

from manila_lite.db import quotas


class _Recorder:
    """A session that records which usage row each UPDATE names."""

    def __init__(self):
        self.rows = []

    def execute(self, stmt):
        params = stmt.compile().params
        scope = tuple(v for k, v in sorted(params.items())
                      if k.startswith(('project_id', 'user_id',
                                       'share_type_id')))
        resource = next(v for k, v in params.items()
                        if k.startswith('resource'))
        self.rows.append((scope, resource))

        class Result:
            rowcount = 1
        return Result()

    def get_bind(self):
        class Bind:
            class dialect:
                name = 'sqlite'
        return Bind()


def test_release_updates_rows_in_the_order_charge_does(monkeypatch):
    monkeypatch.setattr(quotas, '_insert_ignore', lambda *a: None)
    owner = ('p1', 'u1', 't1')
    deltas = {'shares': 1, 'gigabytes': 2}
    charged = _Recorder()
    quotas.charge(charged, [(scope, res, d, -1)
                            for scope in quotas.scopes(*owner)
                            for res, d in deltas.items()])
    released = _Recorder()
    quotas.release(released, *owner, deltas)
    assert len(released.rows) == 6
    assert released.rows == charged.rows
