"""The training thread survives errors, measures each new network, and answers Pause within a step.

Pass/fail here counts steps and waits on events, never on the wall clock."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config
from playground.ui import bridge as bridge_module
from playground.ui.bridge import TrainingBridge

WAIT = 30.0     # generous: the first step may compile numba kernels
SPEC = {"format": "playground-network", "version": 1, "input_shape": [2],
        "layers": [{"type": "dense", "units": 8, "activation": "tanh"},
                   {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def wait_for(predicate, timeout=WAIT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.005)
    return False


def xor_trainer() -> Trainer:
    return make(Trainer)


def xor_data():
    rng = np.random.default_rng(1)
    x = rng.uniform(-5, 5, (400, 2)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] >= 0).astype(np.int64)
    return TrainData(x[:300], y[:300], x[300:], y[300:], "classification", 2)


class StepByStep(Trainer):
    """A Trainer that runs every step through ``step()`` (so the tests can plant things there)."""

    def run(self, n_steps: int) -> float:
        loss = self.last_loss
        for _ in range(n_steps):
            loss = self.step()
        return loss


class Planted(StepByStep):
    """Raises ZeroDivisionError from step ``fail_at`` on, after scribbling NaN into the weights
    (a half-done update), like Adam with eps 0 in the numba kernel."""

    fail_at: int | None = None

    def step(self) -> float:
        if self.fail_at is not None and self.step_count >= self.fail_at:
            self.net.flat_params[:3] = np.nan
            raise ZeroDivisionError("float division by zero")
        return super().step()


class Slow(StepByStep):
    """Each step also waits ``seconds`` (a big network); ``taken`` counts steps as they finish."""

    seconds = 0.02

    def step(self) -> float:
        time.sleep(self.seconds)
        return super().step()


def make(cls, **attrs) -> Trainer:
    settings = TrainingSettings(optimizer=optimizer_config("sgd", lr=0.1), batch_size=10)
    trainer = cls(Network.from_spec(SPEC, seed=0), settings, xor_data())
    for key, value in attrs.items():
        setattr(trainer, key, value)
    return trainer


@pytest.fixture
def started():
    bridges = []

    def start(trainer):
        b = TrainingBridge(trainer).start()
        bridges.append(b)
        return b
    yield start
    for b in bridges:
        b.stop()
        assert not b.thread.is_alive()


def test_an_error_in_a_step_pauses_keeps_good_weights_and_the_worker(started):
    trainer = make(Planted, fail_at=40)
    b = started(trainer)
    assert b.play().wait(WAIT)
    assert wait_for(lambda: not b.running)
    events = b.take_events()
    assert [e.kind for e in events] == ["error"]
    assert "ZeroDivisionError" in events[0].message and "weights" in events[0].message
    assert "Traceback" in events[0].details and "float division by zero" in events[0].details
    # the worker is alive and answers; the weights are the good ones from before the chunk
    assert b.alive
    weights = b.call(lambda t: t.net.flat_params.copy()).result(WAIT)
    assert np.isfinite(weights).all()
    snap = b.take_snapshot()
    assert snap is not None and not snap.running
    assert all(np.isfinite(w).all() for w in snap.weights.values())
    # once the cause is gone, training goes on from there
    trainer.fail_at = None
    assert b.step().wait(WAIT)
    assert b.take_events() == []
    assert b.call(lambda t: np.isfinite(t.net.flat_params).all()).result(WAIT)


def test_an_error_in_a_single_step_or_a_command_is_reported_too(started):
    trainer = make(Planted, fail_at=0)
    b = started(trainer)
    assert b.step().wait(WAIT)
    assert [e.kind for e in b.take_events()] == ["error"]
    assert b.call(lambda t: np.isfinite(t.net.flat_params).all()).result(WAIT)
    # a command that fails (a broken settings object) is reported and the worker goes on
    assert b.update_settings(object()).wait(WAIT)
    assert [e.kind for e in b.take_events()] == ["error"]
    assert b.alive and b.call(lambda t: t.step_count).result(WAIT) == 0


def test_pause_answers_within_a_step_after_switching_to_a_slower_network(started):
    b = started(xor_trainer())
    assert b.play().wait(WAIT)
    # the fast network teaches the worker that a step takes microseconds
    assert wait_for(lambda: b.call(lambda t: t.step_count).result(WAIT) > 3000)
    slow = make(Slow, seconds=0.02)
    assert b.replace(slow).wait(WAIT)
    assert b.play().wait(WAIT)
    assert wait_for(lambda: slow.step_count >= 3)
    before = slow.step_count
    assert b.pause().wait(WAIT)
    # the step under way when Pause arrived may finish, and no other (a chunk is ~15 ms of work)
    assert slow.step_count - before <= 2
    time.sleep(0.1)
    assert not b.running and slow.step_count - before <= 2


def test_reset_forgets_the_speed_too(started):
    slow = make(Slow, seconds=0.02)
    b = started(slow)
    assert b.play().wait(WAIT)
    assert wait_for(lambda: slow.step_count >= 2)
    assert wait_for(lambda: b.seconds_per_step is not None) and b.seconds_per_step >= 0.02
    assert b.reset().wait(WAIT)
    assert b.seconds_per_step is None


def test_a_network_slower_than_a_second_a_step_warns_after_its_first_steps(started, monkeypatch):
    monkeypatch.setattr(bridge_module, "SLOW_STEP", 0.05)    # a 0.06 s step stands for a 1 s one
    slow = make(Slow, seconds=0.06)
    b = started(slow)
    assert b.play().wait(WAIT)
    assert wait_for(lambda: not b.running)
    events = b.take_events()
    assert [e.kind for e in events] == ["slow"] and events[0].seconds > 0.05
    assert "Each step of this network takes" in events[0].message
    assert slow.step_count == 2           # the first may compile kernels: a second one confirms
    # Play again: the user was told, it trains on without asking twice
    assert b.play().wait(WAIT)
    assert wait_for(lambda: slow.step_count >= 3)
    assert b.pause().wait(WAIT)
    assert b.take_events() == []


def test_a_fast_network_does_not_warn(started):
    b = started(xor_trainer())
    assert b.play().wait(WAIT)
    assert wait_for(lambda: b.call(lambda t: t.step_count).result(WAIT) > 100)
    assert b.pause().wait(WAIT)
    assert b.take_events() == []


def test_the_last_snapshot_is_kept_for_saving_per_network(started):
    first = xor_trainer()
    b = started(first)
    assert b.step().wait(WAIT)
    b.take_snapshot()
    snap = b.latest_snapshot_of(first.net)
    assert snap is not None and snap.step == 1      # still there after the UI took it
    other = xor_trainer()
    assert b.replace(other).wait(WAIT)
    assert b.latest_snapshot_of(first.net) is None   # never another network's weights
    assert b.latest_snapshot_of(other.net).step == 0
