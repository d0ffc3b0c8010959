"""Each RPC client and the manager serving it agree on version and
methods (a cast to a method the server lacks would be lost silently)."""

import inspect

import pytest

from manila_lite.data import manager as data_manager
from manila_lite.data import rpcapi as data_rpcapi
from manila_lite.scheduler import manager as scheduler_manager
from manila_lite.scheduler import rpcapi as scheduler_rpcapi
from manila_lite.share import manager as share_manager
from manila_lite.share import rpcapi as share_rpcapi

PAIRS = [
    (share_rpcapi.ShareAPI, share_manager.ShareManager),
    (scheduler_rpcapi.SchedulerAPI, scheduler_manager.SchedulerManager),
    (data_rpcapi.DataAPI, data_manager.DataManager),
]


def _public(cls):
    return {name for name, _ in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith('_')}


@pytest.mark.parametrize('client,server', PAIRS)
def test_versions_in_sync(client, server):
    assert client.RPC_API_VERSION == server.RPC_API_VERSION
    assert server.target.version == server.RPC_API_VERSION


@pytest.mark.parametrize('client,server', PAIRS)
def test_every_client_method_has_an_endpoint(client, server):
    missing = _public(client) - _public(server)
    assert not missing
