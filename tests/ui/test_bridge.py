"""The training thread: commands take effect, snapshots are rate-limited and the newest wins.

The publish rate is counted on a simulated clock (``_sim_clock``): no test here passes or fails on
how fast the machine is."""
from __future__ import annotations

import threading

from ui_threads import app_threads
import time

import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config
from playground.ui.bridge import TrainingBridge

from _sim_clock import SimClock

WAIT = 30.0     # generous: the first step may compile numba kernels

SPEC = {"format": "playground-network", "version": 1, "input_shape": [2],
        "layers": [{"type": "dense", "units": 8, "activation": "tanh"},
                   {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def xor_trainer(lr: float = 0.1, optimizer: str = "sgd", loss: str = "auto",
                output: str = "sigmoid") -> Trainer:
    rng = np.random.default_rng(1)
    x = rng.uniform(-5, 5, (400, 2)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] >= 0).astype(np.int64)
    settings = TrainingSettings(loss=loss, optimizer=optimizer_config(optimizer, lr=lr), batch_size=10)
    data = TrainData(x[:300], y[:300], x[300:], y[300:], "classification", 2)
    spec = {**SPEC, "layers": [SPEC["layers"][0], {**SPEC["layers"][1], "activation": output}]}
    return Trainer(Network.from_spec(spec, seed=0), settings, data)


@pytest.fixture
def bridge():
    before = app_threads()
    b = TrainingBridge(xor_trainer(), publish_hz=30).start()
    yield b
    b.stop()
    assert not b.thread.is_alive()
    assert app_threads() == before


def wait_for(predicate, timeout=WAIT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.005)
    return False


def step_count(bridge) -> int:
    return bridge.call(lambda t: t.step_count).result(WAIT)


def test_step_advances_exactly_one_batch(bridge):
    assert bridge.step().wait(WAIT)
    assert step_count(bridge) == 1
    snap = bridge.take_snapshot()
    assert snap is not None and snap.step == 1 and not snap.running
    assert bridge.take_snapshot() is None          # taken once, then nothing new


def test_play_trains_and_pause_stops(bridge):
    assert bridge.play().wait(WAIT)
    # history records come at most RECORD_HZ times a second: wait for a few
    assert wait_for(lambda: bridge.call(lambda t: len(t.history)).result(WAIT) >= 4)
    assert bridge.pause().wait(WAIT)
    frozen = step_count(bridge)
    time.sleep(0.1)
    assert step_count(bridge) == frozen
    snap = bridge.take_snapshot()
    assert not snap.running and snap.step == frozen
    assert snap.history and snap.history[-1]["train_loss"] < snap.history[0]["train_loss"]
    x, losses = bridge.drain_batch_losses()
    assert len(x) == len(losses) > 0 and np.all(np.diff(x) > 0)


def test_snapshots_are_rate_limited_and_latest_wins():
    # a simulated clock (each step 1 ms): the rate is counted per simulated second, not timed
    trainer = xor_trainer()
    clock = SimClock(trainer, step_seconds=0.001)
    b = TrainingBridge(trainer, publish_hz=30, clock=clock, sleep=clock.sleep).start()
    try:
        start = clock()
        b.play().wait(WAIT)
        assert wait_for(lambda: clock() >= start + 3.0)
        b.pause().wait(WAIT)
        steps = step_count(b)
        seconds = clock() - start
        # ~30 per second plus the two forced ones for play and pause, never one per chunk or step
        assert 0.9 * 30 * seconds <= b.published <= 30 * seconds + 2 + 1
        assert b.published < steps / 20
        assert b.dropped >= b.published - 2     # nobody took them: each replaced the one before
        assert b.take_snapshot().step == steps
    finally:
        b.stop()


def test_reset_returns_to_step_zero_with_fresh_weights(bridge):
    initial = bridge.call(lambda t: t.net.get_weights()).result(WAIT)
    bridge.play().wait(WAIT)
    wait_for(lambda: step_count(bridge) > 200)
    assert bridge.reset().wait(WAIT)
    assert step_count(bridge) == 0
    after = bridge.call(lambda t: t.net.get_weights()).result(WAIT)
    for key in initial:
        np.testing.assert_array_equal(after[key], initial[key])
    assert bridge.take_snapshot().history == []


def test_step_epoch_stops_at_the_epoch_boundary(bridge):
    assert bridge.step_epoch().wait(WAIT)
    assert wait_for(lambda: not bridge.running)
    assert bridge.call(lambda t: (t.epoch, t.step_count)).result(WAIT) == (1, 30)


def test_learning_rate_applies_live(bridge):
    bridge.play().wait(WAIT)
    bridge.set_lr(0.5).wait(WAIT)
    assert bridge.call(lambda t: t.optimizer.lr).result(WAIT) == 0.5
    assert bridge.running


def test_divergence_stops_the_run_with_a_reason():
    b = TrainingBridge(xor_trainer(lr=1e6, loss="mse", output="identity")).start()
    try:
        b.play().wait(WAIT)
        assert wait_for(lambda: not b.running)
        # the run shows as stopped a moment before its last snapshot is published
        seen = []
        assert wait_for(lambda: seen.append(b.take_snapshot()) or (seen[-1] is not None
                                                                   and not seen[-1].running))
        snap = seen[-1]
        assert snap.diverged and "learning rate" in snap.diverged
        assert all(np.isfinite(w).all() for w in snap.weights.values())
    finally:
        b.stop()


def test_call_hands_back_exceptions(bridge):
    def boom(trainer):
        raise ValueError("nope")
    with pytest.raises(ValueError, match="nope"):
        bridge.call(boom).result(WAIT)
