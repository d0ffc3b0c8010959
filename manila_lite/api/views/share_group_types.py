"""Share group type representations (is_default from 2.46)."""

from manila_lite.api import microversion as mv


def _detail(req, row, default_name):
    view = {
        'id': row.id,
        'name': row.name,
        'is_public': row.is_public,
        'group_specs': {s.spec_key: s.spec_value for s in row.group_specs},
        'share_types': [m.share_type_id for m in row.share_types],
    }
    if req.version >= mv.GATE_SHARE_TYPE_IS_DEFAULT:
        view['is_default'] = (default_name is not None
                              and row.name == default_name)
    return view


def show(req, row, default_name=None):
    return {'share_group_type': _detail(req, row, default_name)}


def index(req, rows, default_name=None):
    return {'share_group_types': [_detail(req, r, default_name)
                                  for r in rows]}


def group_specs(row):
    return {'group_specs': {s.spec_key: s.spec_value
                            for s in row.group_specs}}


def access_list(type_id, project_ids):
    return {'share_group_type_access': [
        {'share_group_type_id': type_id, 'project_id': p}
        for p in project_ids]}
