"""Play's pace: 'Watch' trains slowly enough to see the boundary form; 'Flat out' does not wait."""
import time

import pytest

from playground.project import build_session, default_project
from playground.ui.bridge import TrainingBridge


@pytest.fixture
def bridge():
    b = TrainingBridge(build_session(default_project()).trainer).start()
    yield b
    b.stop()
    assert not b.thread.is_alive()


def steps_in(bridge, seconds):
    start = bridge.call(lambda t: t.step_count).result(10)
    bridge.play().wait(10)
    time.sleep(seconds)
    bridge.pause().wait(10)
    return bridge.call(lambda t: t.step_count).result(10) - start


def test_a_speed_limit_paces_play_and_flat_out_lifts_it(bridge):
    bridge.set_speed(300).wait(10)
    paced = steps_in(bridge, 1.0)
    assert 0 < paced <= 450                # never faster than the pace (slower on a busy machine)
    bridge.set_speed(None).wait(10)
    assert steps_in(bridge, 1.0) > 5 * paced


def test_pause_stops_a_slow_paced_run(bridge):
    bridge.set_speed(30).wait(10)
    bridge.play().wait(10)
    time.sleep(0.3)
    assert bridge.pause().wait(10)     # the worker sleeps in short slices and sees the command
    frozen = bridge.call(lambda t: t.step_count).result(10)
    time.sleep(0.2)
    assert bridge.call(lambda t: t.step_count).result(10) == frozen > 0
