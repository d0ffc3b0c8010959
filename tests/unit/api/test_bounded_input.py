"""Query values the database cannot take are 400s, not 500s: offsets
beyond its INTEGER range, metadata filters that are not strings."""

from urllib.parse import quote

import pytest

from tests.unit.api.conftest import fault

HUGE = str(10 ** 30)
PAGED = ['/v2/shares', '/v2/shares/detail', '/v2/snapshots',
         '/v2/snapshots/detail', '/v2/share-replicas',
         '/v2/share-replicas/detail']


def _share(client):
    resp = client('POST', '/v2/shares', {'share': {
        'share_proto': 'NFS', 'size': 1, 'name': 's1',
        'metadata': {'k': 'v'}}}, version='2.98')
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['share']


@pytest.mark.parametrize('path', PAGED)
@pytest.mark.parametrize('value', [HUGE, str(2 ** 31), str(2 ** 63)])
@pytest.mark.parametrize('param', ['offset', 'limit'])
def test_beyond_database_range_is_400(client, path, param, value):  # noqa
    # Before: an offset was a 500 (the database driver could not bind
    # the value); a limit was capped to osapi_max_limit (issue 17 asks
    # both bounded).
    resp = client('GET', '%s?%s=%s' % (path, param, value), version='2.98')
    assert resp.status_int == 400, resp.body
    assert fault(resp) == ('badRequest', 400,
                           '%s must be <= 2147483647' % param)


@pytest.mark.parametrize('path', PAGED)
def test_offset_at_database_range_is_an_empty_page(client, path):  # noqa
    _share(client)
    resp = client('GET', '%s?offset=2147483647' % path, version='2.98')
    assert resp.status_int == 200, resp.body
    (items,) = resp.json_body_or_none.values()
    assert items == []


@pytest.mark.parametrize('path', PAGED)
def test_limit_in_database_range_is_capped_as_upstream_does(
        client, path):
    _share(client)
    resp = client('GET', '%s?limit=2147483647' % path, version='2.98')
    assert resp.status_int == 200, resp.body
    if 'replicas' not in path:
        (items,) = [v for k, v in resp.json_body_or_none.items()
                    if not k.endswith('_links')]
        assert len(items) == (1 if 'shares' in path else 0)


@pytest.mark.parametrize('path', PAGED)
@pytest.mark.parametrize('offset', ['-1', 'x', '1.5', '9' * 5000])
def test_offset_not_a_small_integer_is_400(client, path, offset):  # noqa
    resp = client('GET', '%s?offset=%s' % (path, offset), version='2.98')
    assert resp.status_int == 400, resp.body
    assert fault(resp)[2] in ('offset must be an integer',
                              'offset must be >= 0')


def test_replica_list_pages_like_upstream(client):
    resp = client('GET', '/v2/share-replicas?offset=0&limit=0',
                  version='2.98')
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none == {'share_replicas': []}


@pytest.mark.parametrize('path', ['/v2/shares', '/v2/shares/detail',
                                  '/v2/snapshots', '/v2/share-replicas'])
@pytest.mark.parametrize('value', [
    '{(1,2):3}', '{1: 2}', "{'k': 1}", "{'k': ['v']}", "{'k': None}",
    "{'k': {'x': 'y'}}", '[1, 2]', "['k', 'v']", '5', '1e309', "'k'",
    '{', "{'k': 'v'", 'None', '{**x}'])
def test_metadata_filter_not_string_to_string_is_400(client, path,  # noqa
                                                     value):
    # Before: {(1,2):3} and non-string values on /v2/shares were 500.
    _share(client)
    resp = client('GET', '%s?metadata=%s' % (path, quote(value)),
                  version='2.98')
    assert resp.status_int == 400, resp.body
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert 'metadata must be key:value' in message


def test_metadata_filter_of_strings_still_filters(client):
    share = _share(client)
    resp = client('GET', '/v2/shares?metadata=' + quote("{'k': 'v'}"),
                  version='2.98')
    assert [s['id'] for s in resp.json_body_or_none['shares']] == [
        share['id']]
    resp = client('GET', '/v2/shares?metadata=' + quote("{'k': 'w'}"),
                  version='2.98')
    assert resp.json_body_or_none['shares'] == []
