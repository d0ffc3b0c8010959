"""The hypothesis fuzz of tests/unit/api/test_fuzz.py on MariaDB and
PostgreSQL (issue 17): JSON bodies on every route, hostile action values
and query parameters reach queries SQLite forgives and the real
databases may not (integer ranges, string columns compared with other
types, encodings). No 5xx; every error a Manila fault.

A fixed, derandomized ``EXAMPLES`` per test and database keeps CI short
(about 1,800 requests in all); ``MANILA_LITE_FUZZ_EXAMPLES`` (``tox -e
fuzz``) draws that many fresh ones instead."""

from hypothesis import given
import pytest

from tests.unit.api import test_fuzz as fuzz

EXAMPLES = 300
REAL_DB = fuzz.fuzz_settings(EXAMPLES)


@pytest.fixture
def fuzz_client(real_db_client):
    """The API over a real database holding a type and a share with
    metadata (so filters meet rows); no services (casts go nowhere)."""
    return real_db_client


test_json_bodies_on_every_route = REAL_DB(given(**fuzz.JSON_BODIES_ARGS)(
    fuzz.json_bodies))
test_actions_with_hostile_values = REAL_DB(given(**fuzz.ACTIONS_ARGS)(
    fuzz.actions))
test_query_parameters = REAL_DB(given(**fuzz.QUERY_ARGS)(
    fuzz.query_parameters))
