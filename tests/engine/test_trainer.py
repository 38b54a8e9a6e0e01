"""Ring 1: the Trainer - batches, determinism, the fused path, divergence, live settings, snapshots."""
import numpy as np
import pytest

from playground.engine import (Diverged, Network, TrainData, Trainer, TrainingSettings,
                               optimizer_config)

rng = np.random.default_rng(0)
X = rng.uniform(-6, 6, (240, 2)).astype(np.float32)
Y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
MLP = {"input_shape": [2], "layers": [
    {"type": "dense", "units": 8, "activation": "tanh"},
    {"type": "dense", "units": 8, "activation": "tanh"},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def make(spec=MLP, seed=0, dtype="float32", **settings):
    settings.setdefault("optimizer", optimizer_config("adam", lr=0.02))
    net = Network.from_spec(spec, seed=seed, dtype=dtype)
    data = TrainData(X[:160], Y[:160], X[160:], Y[160:], "classification", 2)
    return Trainer(net, TrainingSettings(**settings), data)


@pytest.mark.parametrize("batch, steps_per_epoch", [(1, 160), (16, 10), (50, 4), ("full", 1)])
def test_batch_sizes_sgd_minibatch_and_full(batch, steps_per_epoch):
    trainer = make(batch_size=batch)
    assert trainer.steps_per_epoch == steps_per_epoch
    trainer.run_epoch()
    assert trainer.step_count == steps_per_epoch and trainer.epoch == 1
    assert len(trainer.history) == 1 and trainer.history[0]["step"] == steps_per_epoch


def test_same_seed_same_run_bit_for_bit_and_other_seed_differs():
    a, b, c = make(seed=3, batch_size=7), make(seed=3, batch_size=7), make(seed=3, batch_size=7)
    c.settings.seed = 9
    c.rng = np.random.default_rng(9)
    c._order = c.rng.permutation(160)
    for t in (a, b, c):
        t.run(100)
    np.testing.assert_array_equal(a.net.flat_params, b.net.flat_params)
    # every column but the measured compute time ("seconds")
    untimed = lambda h: [{k: v for k, v in r.items() if k != "seconds"} for r in h]  # noqa: E731
    assert untimed(a.history) == untimed(b.history)
    assert all(r["examples"] == r["epoch"] * 160 for r in a.history)
    assert not np.array_equal(a.net.flat_params, c.net.flat_params)


@pytest.mark.parametrize("opt", ["sgd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("reg", ["none", "l1", "l2"])
def test_fused_path_equals_the_general_path(opt, reg):
    fused, general = (make(dtype="float64", batch_size=7, optimizer=optimizer_config(opt, lr=0.01),
                           regularization=reg, reg_rate=0.001) for _ in range(2))
    assert fused.fast_path
    general.fast_path = False
    fused.run(60)
    general.run(60)
    np.testing.assert_allclose(fused.net.flat_params, general.net.flat_params, rtol=1e-10, atol=1e-12)
    assert fused.history[-1]["test_loss"] == pytest.approx(general.history[-1]["test_loss"])


def test_softmax_network_fused_matches_general():
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 6, "activation": "relu"},
                                           {"type": "dense", "units": 2, "activation": "softmax"}]}
    fused, general = make(spec, dtype="float64"), make(spec, dtype="float64")
    general.fast_path = False
    fused.run(30)
    general.run(30)
    np.testing.assert_allclose(fused.net.flat_params, general.net.flat_params, rtol=1e-10)
    assert fused.loss_name == "cce"


@pytest.mark.parametrize("fused", [True, False])
def test_a_diverging_run_stops_with_the_message_and_finite_weights(fused):
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 8, "activation": "relu"},
                                           {"type": "dense", "units": 1}]}
    trainer = make(spec, optimizer=optimizer_config("sgd", lr=1e6), loss="mse")
    if not fused:
        trainer.fast_path = False
    with pytest.raises(Diverged) as info:
        trainer.run(200)
    assert "diverged at step" in str(info.value) and "smaller learning rate" in str(info.value)
    assert np.isfinite(trainer.net.flat_params).all()
    assert info.value.step == trainer.step_count
    trainer.net.init_params()   # after a reset with a sane learning rate the run goes on
    trainer.set_lr(1e-3)
    trainer.run(5)
    assert np.isfinite(trainer.net.flat_params).all()


def test_learning_rate_applies_live():
    trainer = make(optimizer=optimizer_config("sgd", lr=0.1), batch_size=4)
    trainer.run(3)
    trainer.set_lr(0.0001)
    before = trainer.net.flat_params.copy()
    trainer.run(1)
    assert np.abs(trainer.net.flat_params - before).max() < 1e-3


def test_training_on_xor_points_helps():
    trainer = make(batch_size=10)
    start = trainer.evaluate()["test_loss"]
    for _ in range(40):
        trainer.run_epoch()
    assert trainer.history[-1]["test_loss"] < start / 3
    assert trainer.history[-1]["test_accuracy"] >= 0.9


def test_snapshot_holds_copies_grid_maps_and_gradient_norms():
    net = Network.from_spec(MLP, seed=0)
    grid = np.stack(np.meshgrid(np.linspace(-6, 6, 5), np.linspace(6, -6, 5)), -1).reshape(-1, 2)
    trainer = Trainer(net, TrainingSettings(), TrainData(X, Y), grid=grid, grid_resolution=5)
    trainer.run(3)
    snap = trainer.snapshot()
    assert snap.step == 3
    assert snap.grid_outputs["dense1"].shape == (8, 5, 5)
    assert snap.grid_outputs["output"].shape == (1, 5, 5)
    np.testing.assert_allclose(snap.grid_outputs["output"].reshape(-1),
                               net.forward(grid.astype(np.float32))[:, 0], atol=1e-6)
    assert set(snap.grad_norms) == {"dense1", "dense2", "dense3"}
    trainer.run(3)
    assert not np.array_equal(snap.weights["dense1.weight"], net.parameters()["dense1.weight"])


def test_regression_metrics():
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 1}]}
    net = Network.from_spec(spec)
    target = (X @ np.array([0.3, -0.2]) + 0.5).reshape(-1, 1).astype(np.float32)
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer_config("sgd", lr=0.01)),
                      TrainData(X, target, X, target, "regression", 0))
    for _ in range(30):
        trainer.run_epoch()
    assert trainer.loss_name == "mse"
    assert trainer.history[-1]["test_r2"] > 0.99
    assert trainer.history[-1]["test_mse"] < 0.01


def test_multilabel_metrics_and_auto_bce():
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 16, "activation": "tanh"},
                                           {"type": "dense", "units": 3, "activation": "sigmoid"}]}
    labels = np.stack([X[:, 0] > 0, X[:, 1] > 0, X.sum(1) > 1], 1).astype(np.float32)
    net = Network.from_spec(spec)
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer_config("adam", lr=0.02)),
                      TrainData(X, labels, X, labels, "multilabel", 3))
    for _ in range(30):
        trainer.run_epoch()
    assert trainer.loss_name == "bce"
    assert trainer.history[-1]["test_accuracy"] > 0.9
    assert 0 <= trainer.history[-1]["test_exact_match"] <= trainer.history[-1]["test_accuracy"]


def test_a_paced_trainer_records_history_at_most_once_per_interval():
    trainer = make(batch_size=40)
    trainer.record_interval = 3600.0
    trainer.run(5 * trainer.steps_per_epoch)
    assert trainer.epoch == 5
    assert [h["epoch"] for h in trainer.history] == [1]   # the first epoch, then nothing for an hour
    trainer.record_interval = 0.0
    trainer.run_epoch()
    assert [h["epoch"] for h in trainer.history] == [1, 6]
    assert "test_loss" in trainer.history[-1]


def test_a_long_run_keeps_a_bounded_history_dense_for_recent_epochs(monkeypatch):
    from playground.engine import trainer as trainer_module
    monkeypatch.setattr(trainer_module, "HISTORY_LIMIT", 40)
    trainer = make(batch_size="full")
    trainer.evaluate_each_epoch = False
    trainer.run(1000)
    epochs = [r["epoch"] for r in trainer.history]
    assert len(epochs) <= 40                               # bounded: 1,000 epochs, at most 40 rows
    assert epochs[0] == 1 and epochs[-1] == 1000           # the start and the newest row kept
    assert epochs == sorted(epochs)
    assert epochs[-10:] == list(range(991, 1001))          # the recent epochs are all there
    gaps = np.diff(epochs)
    assert gaps[:5].mean() > gaps[-5:].mean()              # the old ones are coarser
