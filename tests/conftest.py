import pytest


@pytest.fixture(scope='session')
def keystone(tmp_path_factory):
    """One real Keystone per test process (tests/functional/keystone.py),
    shared by the functional and the API tests."""
    from tests.functional import keystone as keystone_mod

    server = keystone_mod.start_or_skip(str(tmp_path_factory.mktemp('ks')))
    yield server
    server.stop()
