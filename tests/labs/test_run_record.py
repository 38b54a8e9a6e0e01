"""The worker's record for the Labs (labs/run_record.py): it paces itself by its own cost, keeps
its memory bounded, and goes back with a reset. Simulated clocks: nothing here is timed."""
from __future__ import annotations

import numpy as np

from playground.engine import Network, TrainData, Trainer, TrainingSettings
from playground.labs.run_record import LabsRecord

SPEC = {"format": "playground-network", "version": 1, "input_shape": [2],
        "layers": [{"type": "dense", "units": 6, "activation": "relu"},
                   {"type": "dense", "units": 5, "activation": "tanh"},
                   {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def trainer() -> Trainer:
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, (200, 2)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    data = TrainData(x[:150], y[:150], x[150:], y[150:], "classification", 2)
    return Trainer(Network.from_spec(SPEC, seed=1), TrainingSettings(), data)


class Clock:
    """Each reading advances by ``tick`` seconds: a record costs a known time."""

    def __init__(self, tick: float):
        self.now, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


def test_the_pace_keeps_recording_under_its_share_of_the_time():
    clock = Clock(0.004)                  # start, end, now: a record "costs" 4 ms
    record = LabsRecord(share=0.01, min_interval=0.2, clock=clock)
    t = trainer()
    assert record.due(0.0)
    record.record(t)
    # 4 ms at 1 % wants 0.4 s between records, more than the 0.2 s floor
    assert not record.due(clock.now + 0.39)
    assert record.due(clock.now + 0.4)
    cheap = LabsRecord(share=0.01, min_interval=0.2, clock=Clock(0.0001))
    cheap.record(t)
    assert cheap.due(cheap._clock.now + 0.2) and not cheap.due(cheap._clock.now + 0.1)


def test_the_history_is_every_record_of_the_run_with_its_numbers():
    t = trainer()
    record = LabsRecord(clock=Clock(0.0))
    shares = []
    for _ in range(5):
        health = record.record(t)
        shares.append((health["dense1"].dead, health["dense2"].saturated))
        t.run(3)
    series = record.health_series()
    assert set(series) == {("dense1", "dead"), ("dense2", "saturated"), ("dense3", "saturated")}
    steps, dead = series[("dense1", "dead")]
    np.testing.assert_array_equal(steps, [0, 3, 6, 9, 12])
    np.testing.assert_allclose(dead, [s[0] for s in shares])
    trail_steps, vectors = record.trail()
    np.testing.assert_array_equal(trail_steps, steps)
    assert vectors.shape == (5, t.net.flat_params.size)
    assert not np.shares_memory(vectors[-1], t.net.flat_params)
    assert not np.allclose(vectors[0], vectors[-1])       # the weights moved


def test_memory_is_bounded_and_the_first_record_stays():
    t = trainer()
    size = t.net.flat_params.nbytes * 8 // t.net.flat_params.itemsize
    record = LabsRecord(limit=50, trail_bytes=10 * size, clock=Clock(0.0))
    for _ in range(400):
        record.record(t)
        t.run(1)
    steps, _ = record.health_series()[("dense1", "dead")]
    assert 25 <= len(steps) <= 50 and steps[0] == 0 and steps[-1] == 399
    assert np.all(np.diff(steps) > 0)
    trail_steps, vectors = record.trail()
    assert 4 <= len(vectors) <= 10 and trail_steps[0] == 0 and trail_steps[-1] == 399


def test_a_reset_drops_what_came_after_and_another_network_starts_again():
    t = trainer()
    record = LabsRecord(clock=Clock(0.0))
    for _ in range(4):
        record.record(t)
        t.run(2)                                  # steps 0, 2, 4, 6 recorded
    t.step_count = 3                              # a rewind to step 3
    record.record(t)
    steps, _ = record.health_series()[("dense1", "dead")]
    np.testing.assert_array_equal(steps, [0, 2, 3])
    assert list(record.trail()[0]) == [0, 2, 3]
    other = trainer()
    record.record(other)
    assert record.network() is other.net
    assert list(record.health_series()[("dense1", "dead")][0]) == [0]
