"""A cast's time with the message bus refusing it is one option,
``rpc_cast_timeout``: single-try attempts until the deadline, then the
bus's error (the API answers 503). An attempt that fails while the bus
is back (a connection the broker closed) is followed by one that
succeeds."""

import socket

import pytest

from manila_lite.common import context
from manila_lite.common import rpc


def _closed_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_a_cast_to_a_refusing_bus_gives_up_at_its_deadline(conf):
    conf.set_override('transport_url', 'rabbit://guest:guest@127.0.0.1:%d/'
                      % _closed_port())
    conf.set_override('rpc_cast_timeout', 0.3)
    rpc.cleanup()
    try:
        client = rpc.get_client(conf, 'bounded-probe', '1.0')
        with pytest.raises(rpc.CAST_ERRORS):
            client.prepare(version='1.0').cast(
                context.get_admin_context(), 'ping')
    finally:
        rpc.cleanup()


class _Flaky:
    """A prepared oslo.messaging client failing its first casts."""

    def __init__(self, failures):
        self.failures = failures
        self.sent = []

    def cast(self, ctxt, method, **kwargs):
        if self.failures:
            self.failures -= 1
            raise OSError('connection reset by peer')
        self.sent.append((method, kwargs))


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_attempts_stop_at_the_deadline(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(rpc.time, 'monotonic', clock.monotonic)
    monkeypatch.setattr(rpc.time, 'sleep', clock.sleep)
    flaky = _Flaky(failures=1000)
    with pytest.raises(OSError):
        rpc._BoundedCast(flaky, timeout=2).cast(None, 'ping')
    # One attempt per pause until the 2 s are spent, never past them.
    assert 1000 - flaky.failures == int(2 / rpc.CAST_RETRY_PAUSE)
    assert clock.now - 1000.0 <= 2
    assert flaky.sent == []


def test_a_cast_failing_once_is_sent_by_the_next_attempt():
    flaky = _Flaky(failures=2)
    rpc._BoundedCast(flaky, timeout=5).cast(None, 'ping', share_id='s1')
    assert flaky.sent == [('ping', {'share_id': 's1'})]
    assert flaky.failures == 0
