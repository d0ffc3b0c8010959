"""backup_continue_update_interval: a finished backup copy becomes
available at the data service's next poll, counted from the job's start
(upstream's option), and a stopping runner gives up the wait."""

import pytest

from manila_lite.data import backup as data_backup


class _Clock:
    def __init__(self, now):
        self.now = now
        self.slept = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        assert seconds > 0
        self.now += seconds
        self.slept += seconds


@pytest.fixture
def clock(monkeypatch):
    c = _Clock(100.0)
    monkeypatch.setattr(data_backup.time, 'monotonic', c.monotonic)
    monkeypatch.setattr(data_backup.time, 'sleep', c.sleep)
    return c


@pytest.mark.parametrize('copy_took, waited', [
    (3.0, 7.0),     # the first poll, 10 s after the start
    (12.0, 8.0),    # a copy longer than one interval: the second poll
    (20.0, 0.0),    # ended exactly at a poll
])
def test_a_backup_completes_at_the_next_poll(conf, clock, copy_took,
                                             waited):
    conf.set_override('backup_continue_update_interval', 10)
    runner = data_backup.BackupRunner(conf, 'node1')
    started = clock.now
    clock.now += copy_took
    assert runner._poll_tick(started) is True
    assert clock.slept == pytest.approx(waited)


def test_interval_zero_completes_at_once(conf, clock):
    assert conf.backup_continue_update_interval == 0
    runner = data_backup.BackupRunner(conf, 'node1')
    assert runner._poll_tick(clock.now) is True
    assert clock.slept == 0


def test_a_stopping_runner_gives_up_the_wait(conf, clock, monkeypatch):
    conf.set_override('backup_continue_update_interval', 10)
    runner = data_backup.BackupRunner(conf, 'node1')
    started = clock.now

    def sleep_then_stop(seconds):
        _Clock.sleep(clock, seconds)
        runner._stopping = True  # stop_all() arrives during the wait

    monkeypatch.setattr(data_backup.time, 'sleep', sleep_then_stop)
    assert runner._poll_tick(started) is False
    assert clock.now < started + 10
