"""No N+1 queries on SQLite (tests/functional has MariaDB and
PostgreSQL): every measured request issues as many statements with
1,000 shares as with 100."""

from tests import statement_count


def test_statement_counts_do_not_grow_with_rows(client):
    counts = statement_count.check_constant(client)
    # And they are small: a list is a handful of batched selects.
    assert max(counts.values()) <= 12, counts
