"""The bridge before any network (the window starts it empty, then sends ``replace``): the worker
answers every command, trains nothing, reports no error, and keeps the pace it was given."""
from __future__ import annotations

from playground.project import build_session, default_project
from playground.ui.bridge import TrainingBridge

from _sim_clock import SimClock
from test_pace import WAIT, steps_per_second


def test_commands_before_any_network_are_answered_and_change_nothing():
    b = TrainingBridge().start()
    try:
        for done in (b.play(), b.step(), b.step_epoch(), b.reset(), b.set_lr(0.5), b.pause()):
            assert done.wait(WAIT)
        assert b.call(lambda t: t is None).result(WAIT) is True     # ``call`` runs, on no trainer
        assert not b.running
        assert b.take_events() == []                                 # no command failed
        assert b.take_snapshot() is None                             # nothing to show yet
    finally:
        b.stop()
    assert not b.thread.is_alive()


def test_the_pace_set_before_the_first_network_holds_for_it():
    trainer = build_session(default_project()).trainer
    clock = SimClock(trainer, step_seconds=0.0002)
    b = TrainingBridge(clock=clock, sleep=clock.sleep).start()
    try:
        b.set_speed(300).wait(WAIT)                 # the window sends its pace before a network
        b.replace(trainer).wait(WAIT)
        assert b.take_snapshot() is not None        # the first network shows at once
        paced, _ = steps_per_second(b, clock, 2.0)
        assert 0.95 * 300 <= paced <= 1.02 * 300
    finally:
        b.stop()
