"""The timeline: moments at log-spaced steps within a memory bound, and rewinding to one of them
restores the run so exactly that training on equals the uninterrupted run, bit for bit."""
import math

import numpy as np
import pytest

from playground.engine import Network, Snapshot, TrainData, Trainer, TrainingSettings, optimizer_config
from playground.engine.rewind import come_back, rewind
from playground.engine.timeline import DENSE_STEPS, Moment, Timeline, next_step
from playground.engine.trainer_state import capture

rng = np.random.default_rng(0)
X = rng.uniform(-6, 6, (240, 2)).astype(np.float32)
Y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
MLP = {"input_shape": [2], "layers": [
    {"type": "dense", "units": 8, "activation": "tanh"},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}
# the general path: batch norm's running statistics (buffers) and dropout's own generator
GENERAL = {"input_shape": [2], "layers": [
    {"type": "dense", "units": 8, "activation": "relu"},
    {"type": "batchnorm"},
    {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def make(spec, optimizer="adam", batch=7):
    net = Network.from_spec(spec, seed=1, dtype="float32")
    settings = TrainingSettings(optimizer=optimizer_config(optimizer, lr=0.02), batch_size=batch,
                                seed=5)
    trainer = Trainer(net, settings, TrainData(X[:160], Y[:160], X[160:], Y[160:]))
    return trainer


def slots(trainer):
    return {(n, s): a.copy() for n, d in trainer.optimizer._state.items() for s, a in d.items()}


@pytest.mark.parametrize("spec, optimizer", [(MLP, "adam"), (MLP, "momentum"),
                                             (GENERAL, "adam"), (GENERAL, "rmsprop")])
def test_rewind_and_resume_equals_the_uninterrupted_run_bit_for_bit(spec, optimizer):
    trainer = make(spec, optimizer)
    assert trainer.fast_path == (spec is MLP)
    timeline = Timeline()
    trainer.run(53)                     # mid-epoch (160 / 7 = 23 steps an epoch)
    moment = moment_now(timeline, trainer)
    at_params, at_slots, at_t = trainer.net.flat_params.copy(), slots(trainer), trainer.optimizer.t
    trainer.run(120)                    # the uninterrupted run
    future_params, future_slots = trainer.net.flat_params.copy(), slots(trainer)
    future_buffers = {k: v.copy() for k, v in trainer.net.buffers().items()}
    future_step, future_epoch = trainer.step_count, trainer.epoch

    abandoned = rewind(timeline, trainer, moment.step)
    np.testing.assert_array_equal(trainer.net.flat_params, at_params)
    assert trainer.optimizer.t == at_t and trainer.step_count == 53
    for key, value in at_slots.items():
        np.testing.assert_array_equal(trainer.optimizer._state[key[0]][key[1]], value)
    trainer.run(120)                    # resumed: the same 120 steps again
    np.testing.assert_array_equal(trainer.net.flat_params, future_params)
    for key, value in future_slots.items():
        np.testing.assert_array_equal(trainer.optimizer._state[key[0]][key[1]], value)
    for key, value in future_buffers.items():
        np.testing.assert_array_equal(trainer.net.buffers()[key], value)
    assert (trainer.step_count, trainer.epoch) == (future_step, future_epoch)

    # undo: the abandoned future comes back exactly
    trainer.run(9)
    come_back(timeline, trainer, abandoned)
    np.testing.assert_array_equal(trainer.net.flat_params, future_params)
    assert trainer.step_count == future_step


def moment_now(timeline, trainer):
    timeline.clear()
    moment = timeline.record(trainer)
    assert moment is not None and moment.step == trainer.step_count
    return moment


def test_a_resumed_trainer_matches_a_fresh_run_from_the_start():
    """The seed continues: rewinding to step 30 of a run and training to 90 equals a fresh
    trainer with the same settings trained straight to 90."""
    a, b = make(GENERAL), make(GENERAL)
    timeline = Timeline()
    for _ in range(60):
        a.step()
        timeline.record(a)
    back = timeline.at(30).step         # log-spaced: the moment at or before step 30
    assert 20 < back <= 30
    rewind(timeline, a, 30)
    assert a.step_count == back
    a.run(90 - back)
    b.run(90)
    np.testing.assert_array_equal(a.net.flat_params, b.net.flat_params)


def test_moments_are_dense_early_then_log_spaced():
    trainer = make(MLP)
    timeline = Timeline()
    for _ in range(3000):
        trainer.step()
        timeline.record(trainer)
    steps = timeline.steps()
    assert steps[:DENSE_STEPS] == list(range(1, DENSE_STEPS + 1))
    ratios = [b / a for a, b in zip(steps[DENSE_STEPS:], steps[DENSE_STEPS + 1:])]
    assert all(1.05 <= r <= 1.2 for r in ratios)
    assert len(steps) < DENSE_STEPS + math.log(3000 / DENSE_STEPS) / math.log(1.1) + 2


def fake_moment(step, nbytes=1_000_000):
    snap = Snapshot(step=step, weights={"w": np.zeros(nbytes // 4, np.float32)})
    return Moment(snap, None)


def test_the_timeline_never_grows_past_its_budget_and_stays_log_spaced():
    timeline = Timeline(budget_mb=20)
    step, peak = 0, 0
    for _ in range(2000):                       # a very long run: 2,000 moments of ~1 MB
        step = max(step + 1, int(step * 1.01))
        timeline.add(fake_moment(step))
        peak = max(peak, timeline.nbytes)
        assert sum(m.nbytes for m in timeline.moments()) == timeline.nbytes
    assert peak <= timeline.budget_bytes
    steps = timeline.steps()
    assert steps[0] == 1 and steps[-1] == step          # first and newest kept
    gaps = np.diff(np.log1p(steps))
    assert len(steps) >= 15
    # log-like: no gap in log(step) more than 3x the typical one (not all at one end)
    assert gaps.max() <= 3 * np.median(gaps)


def test_a_smaller_budget_thins_at_once_and_cut_after_and_put_back_round_trip():
    timeline = Timeline(budget_mb=100)
    for s in range(1, 60):
        timeline.add(fake_moment(s))
    timeline.set_budget(10)
    assert timeline.nbytes <= 10 * 1024 * 1024
    steps = timeline.steps()
    dropped = timeline.cut_after(steps[3])
    assert timeline.steps() == steps[:4] and [m.step for m in dropped] == steps[4:]
    timeline.put_back(dropped)
    assert timeline.steps() == steps


def test_capture_is_a_copy_not_a_view():
    trainer = make(MLP)
    state = capture(trainer)
    before = state.params.copy()
    trainer.run(20)
    np.testing.assert_array_equal(state.params, before)
    assert not np.array_equal(trainer.net.flat_params, before)


def test_rewind_without_a_moment_says_so():
    trainer = make(MLP)
    with pytest.raises(ValueError, match="no moment"):
        rewind(Timeline(), trainer, 10)


def test_next_step():
    assert [next_step(s) for s in (0, 1, 15, 16, 100)] == [1, 2, 16, 18, 110]


def test_recording_takes_at_most_its_share_of_the_time(monkeypatch):
    """On a simulated clock: steps of 1 ms, moments that cost 10 ms each. Recording stays within
    RECORD_SHARE of the time (plus the credit), yet moments keep coming, later than log-due."""
    import playground.engine.timeline as tl
    now = [0.0]
    real = tl.moment_of

    def costly(trainer, snap=None):
        now[0] += 0.010
        return real(trainer, snap)

    monkeypatch.setattr(tl, "moment_of", costly)
    trainer = make(MLP)
    timeline = Timeline(max_share=tl.RECORD_SHARE, clock=lambda: now[0])
    recording = 0.0
    for _ in range(20000):
        trainer.step()
        now[0] += 0.001
        before = now[0]
        timeline.record(trainer)
        recording += now[0] - before
        assert recording <= tl.RECORD_SHARE * now[0] + 2 * tl.CREDIT + 0.010
    steps = timeline.steps()
    assert 20 <= len(steps) < 100 and steps[-1] > 10000
    unlimited = Timeline()
    assert unlimited.max_share is None
