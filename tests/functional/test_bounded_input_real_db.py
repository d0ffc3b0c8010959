"""The bounded query values of tests/unit/api/test_bounded_input.py on
MariaDB and PostgreSQL: each database takes the largest offset
accepted, and no filter value reaches a query that would fail there
(PostgreSQL refuses to compare a string column with an integer)."""

from urllib.parse import quote

LISTS = ['/v2/shares', '/v2/shares/detail', '/v2/snapshots',
         '/v2/share-replicas/detail']


def test_offsets_and_metadata_filters_on_a_real_database(real_db_client):
    client = real_db_client
    for path in LISTS:
        for query, status in [
                ('offset=2147483647', 200), ('offset=2147483648', 400),
                ('offset=%d' % 10 ** 30, 400),
                ('limit=%d' % 10 ** 30, 400), ('limit=2147483647', 200),
                ('limit=%d&offset=1' % 2 ** 63, 400),
                ('metadata=' + quote("{'k': 'v'}"), 200),
                ('metadata=' + quote("{'k': 1}"), 400),
                ('metadata=' + quote('{(1,2):3}'), 400),
                ('metadata=' + quote("{'k': ['v']}"), 400)]:
            resp = client('GET', '%s?%s' % (path, query), version='2.98')
            assert resp.status_int == status, (path, query, resp.body)
