"""The worker records the timeline while it trains; rewinding through the bridge restores the
exact weights and optimizer state, training on equals the uninterrupted run bit for bit, and undo
brings the abandoned future back. Stop conditions pause the run and say why."""
from __future__ import annotations

import threading

from ui_threads import app_threads

import numpy as np
import pytest

from playground.engine import TrainingSettings
from playground.engine.timeline import DENSE_STEPS
from playground.ui.bridge import TrainingBridge

from test_bridge import WAIT, wait_for, xor_trainer


@pytest.fixture
def bridge():
    before = app_threads()
    b = TrainingBridge(xor_trainer(lr=0.05, optimizer="adam"), publish_hz=30).start()
    yield b
    b.stop()
    assert app_threads() == before


def state(bridge):
    def read(t):
        slots = {s: a.copy() for s, a in t.optimizer._state["all"].items()}
        return t.net.flat_params.copy(), slots, t.optimizer.t, t.step_count, t.epoch
    return bridge.call(read).result(WAIT)


def settings_with(bridge, **stops):
    current = bridge.call(lambda t: t.settings.to_dict()).result(WAIT)
    return TrainingSettings.from_dict({**current, **stops})


def play_until_stopped(bridge):
    assert bridge.play().wait(WAIT)
    assert wait_for(lambda: not bridge.running)
    return [e for e in bridge.take_events() if e.kind == "stopped"]


def test_rewind_and_resume_through_the_bridge_equals_an_uninterrupted_run(bridge):
    # train 6 epochs (30 steps each), stopped exactly there by the epoch limit
    bridge.update_settings(settings_with(bridge, stop_epochs=6))
    events = play_until_stopped(bridge)
    assert events and "6 epochs" in events[0].message
    steps = bridge.timeline.steps()
    assert steps[:DENSE_STEPS + 1] == list(range(DENSE_STEPS + 1))   # dense from step 0
    assert steps[-1] <= 180
    live_params, live_slots, _, live_step, live_epoch = state(bridge)
    assert (live_step, live_epoch) == (180, 6)

    moment = bridge.timeline.at(70)
    abandoned = bridge.rewind(70).result(WAIT)
    params, slots, t, step, _ = state(bridge)
    assert step == moment.step == abandoned.step and t == moment.state.optimizer_t
    np.testing.assert_array_equal(params, moment.state.params)
    for name, value in slots.items():
        np.testing.assert_array_equal(value, moment.state.optimizer_slots["all"][name])
    assert bridge.timeline.steps()[-1] == moment.step           # the future is cut

    # train on to the end of epoch 10; an uninterrupted run of the same seed does the same
    bridge.update_settings(settings_with(bridge, stop_epochs=10))
    play_until_stopped(bridge)
    params, slots, _, step, epoch = state(bridge)
    assert (step, epoch) == (300, 10)
    reference = xor_trainer(lr=0.05, optimizer="adam")
    reference.run(300)
    np.testing.assert_array_equal(params, reference.net.flat_params)
    for name, value in slots.items():
        np.testing.assert_array_equal(value, reference.optimizer._state["all"][name])

    # undo the resume: the abandoned state (step 180) and its moments return
    assert bridge.come_back(abandoned).wait(WAIT)
    params, slots, _, step, epoch = state(bridge)
    assert (step, epoch) == (live_step, live_epoch)
    np.testing.assert_array_equal(params, live_params)
    for name, value in slots.items():
        np.testing.assert_array_equal(value, live_slots[name])
    assert bridge.timeline.steps() == steps


def test_a_rewind_with_no_moment_is_an_error_in_the_future(bridge):
    with pytest.raises(ValueError, match="no moment"):
        bridge.rewind(5).result(WAIT)


def test_stop_at_a_target_accuracy(bridge):
    bridge.update_settings(settings_with(bridge, stop_accuracy=0.9))
    events = play_until_stopped(bridge)
    assert events and "accuracy" in events[0].message and "90 %" in events[0].message
    last = bridge.call(lambda t: t.history[-1]).result(WAIT)
    assert last["test_accuracy"] >= 0.9
    # the run stopped at the first record that met it
    history = bridge.call(lambda t: list(t.history)).result(WAIT)
    assert all(r["test_accuracy"] < 0.9 for r in history[:-1])


def test_stop_at_a_target_test_loss(bridge):
    bridge.update_settings(settings_with(bridge, stop_test_loss=0.3))
    events = play_until_stopped(bridge)
    assert events and "test loss" in events[0].message
    history = bridge.call(lambda t: list(t.history)).result(WAIT)
    assert history[-1]["test_loss"] <= 0.3
    assert all(r["test_loss"] > 0.3 for r in history[:-1])


def test_play_after_a_target_was_met_goes_on_until_it_is_met_again(bridge):
    bridge.update_settings(settings_with(bridge, stop_test_loss=0.3))
    play_until_stopped(bridge)
    stopped_at = state(bridge)[3]
    assert bridge.play().wait(WAIT)
    assert wait_for(lambda: state(bridge)[3] > stopped_at)     # not stopped again at once
    bridge.pause().wait(WAIT)


def test_bad_stop_settings_are_refused_in_words():
    with pytest.raises(ValueError, match="target accuracy"):
        TrainingSettings(stop_accuracy=95).validate()
    with pytest.raises(ValueError, match="epoch limit"):
        TrainingSettings(stop_epochs=0).validate()
    with pytest.raises(ValueError, match="target loss"):
        TrainingSettings(stop_test_loss=-1.0).validate()
