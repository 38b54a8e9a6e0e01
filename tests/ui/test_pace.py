"""Play's pace: 'Watch' trains slowly enough to see the boundary form; 'Flat out' does not wait.

The worker runs on a simulated clock (each step takes 0.2 ms, a rest takes what it asks for), so
the pace is measured in steps per simulated second: the same count on a quiet or a busy machine.
"""
import time

import pytest

from playground.project import build_session, default_project
from playground.ui.bridge import TrainingBridge

from _sim_clock import SimClock

WAIT = 30.0     # for events only: the first step may compile numba kernels


def start_bridge(sleeps_pass=True):
    trainer = build_session(default_project()).trainer
    clock = SimClock(trainer, step_seconds=0.0002, sleeps_pass=sleeps_pass)
    return TrainingBridge(trainer, clock=clock, sleep=clock.sleep).start(), clock


@pytest.fixture
def bridge():
    b, clock = start_bridge()
    yield b, clock
    b.stop()
    assert not b.thread.is_alive()


def wait_for(predicate, timeout=WAIT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.002)
    return False


def steps_per_second(bridge, clock, seconds):
    """Play for ``seconds`` of simulated time; the steps per simulated second, and the readout."""
    start_steps = bridge.call(lambda t: t.step_count).result(WAIT)
    start = clock()
    bridge.play().wait(WAIT)
    assert wait_for(lambda: clock() >= start + seconds)
    bridge.pause().wait(WAIT)
    steps = bridge.call(lambda t: t.step_count).result(WAIT) - start_steps
    return steps / (clock() - start), bridge.steps_per_second


def test_a_speed_limit_paces_play_and_flat_out_lifts_it(bridge):
    b, clock = bridge
    b.set_speed(300).wait(WAIT)
    paced, shown = steps_per_second(b, clock, 2.0)
    assert 0.95 * 300 <= paced <= 1.02 * 300      # the pace, neither faster nor much slower
    assert 0.9 * 300 <= shown <= 1.1 * 300        # and the speed readout says so
    b.set_speed(None).wait(WAIT)
    flat, shown = steps_per_second(b, clock, 0.5)
    assert flat > 10 * paced                      # steps of 0.2 ms: ~5000 a second, no rests
    assert shown > 10 * 300


def test_pause_interrupts_a_rest_between_paced_steps():
    # sleeps never end on their own here: only a command can wake the resting worker
    b, clock = start_bridge(sleeps_pass=False)
    try:
        b.set_speed(30).wait(WAIT)
        b.play().wait(WAIT)
        assert clock.resting.wait(WAIT)            # one step taken, now resting until the next
        clock.resting.clear()
        assert b.pause().wait(10)                  # the rest looks at the queue and sees Pause
        assert b.call(lambda t: t.step_count).result(WAIT) == 1
        assert not b.running and not b.take_snapshot().running
        assert not clock.resting.wait(0.3)         # paused: no more steps, so no more rests
        assert b.call(lambda t: t.step_count).result(WAIT) == 1
    finally:
        b.stop()
    assert not b.thread.is_alive()
