"""A paced trainer (the app's) runs on through many epochs in one fused kernel call; the result
is bit for bit that of epoch-by-epoch training: the same weights, optimizer state, epoch, position
in the epoch, shuffles and random stream, and a divergence mid-call leaves the same state too."""
import numpy as np
import pytest

from playground.engine import Diverged, Network, TrainData, Trainer, TrainingSettings, optimizer_config

rng = np.random.default_rng(7)
X = rng.uniform(-2, 2, (90, 2))
LABELS = (X[:, 0] * X[:, 1] > 0).astype(np.int64)


def _trainer(paced: bool, batch=8, opt="adam", lr=0.03, seed=3) -> Trainer:
    spec = {"input_shape": [2], "layers": [
        {"type": "dense", "units": 6, "activation": "tanh"},
        {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    net = Network.from_spec(spec, seed=seed)
    settings = TrainingSettings(optimizer=optimizer_config(opt, lr=lr), batch_size=batch, seed=seed)
    trainer = Trainer(net, settings, TrainData(X, LABELS))
    assert trainer.fast_path
    trainer.record_interval = 3600.0 if paced else 0.0      # paced: one record, then none
    return trainer


def _state(t: Trainer) -> dict:
    return {"params": t.net.flat_params.copy(), "epoch": t.epoch, "cursor": t._cursor,
            "order": t._order.copy(), "steps": t.step_count, "rng": t.rng.bit_generator.state,
            "opt": {k: np.array(v, copy=True) for k, v in t.optimizer.state()["all"].items()},
            "opt_t": t.optimizer.t, "last_loss": t.last_loss}


def _assert_same(a: dict, b: dict) -> None:
    for key in ("epoch", "cursor", "steps", "rng", "opt_t"):
        assert a[key] == b[key], key
    np.testing.assert_array_equal(a["params"], b["params"])
    np.testing.assert_array_equal(a["order"], b["order"])
    assert a["opt"].keys() == b["opt"].keys()
    for key in a["opt"]:
        np.testing.assert_array_equal(a["opt"][key], b["opt"][key])
    assert a["last_loss"] == b["last_loss"]


@pytest.mark.parametrize("batch", [8, 9, 90, 1])
@pytest.mark.parametrize("parts", [[1000], [5, 333, 47, 12, 603], [12] * 70])
def test_many_epochs_per_call_equal_epoch_by_epoch(batch, parts):
    paced, plain = _trainer(True, batch), _trainer(False, batch)
    for n in parts:
        paced.run(n)
        plain.run(n)
        _assert_same(_state(paced), _state(plain))
    assert paced.epoch > 5
    assert len(paced.history) < len(plain.history)       # the paced one records far less


def test_the_calls_really_span_epochs():
    """The point of it: one kernel call for many epochs (a return to Python per epoch was most
    of the worker's time holding the GIL on a small network)."""
    paced = _trainer(True)
    calls = []
    train = paced._fused.train
    paced._fused.train = lambda *a: calls.append(a[0]) or train(*a)
    paced.run(1200)
    steps_per_epoch = -(-len(X) // 8)
    assert len(calls) < 1200 / steps_per_epoch / 4
    assert max(calls) > 10 * steps_per_epoch


def test_divergence_before_learning_is_judged_as_epoch_by_epoch():
    """Until a run has learned, calls stay an epoch long: the loss watch stops it at the same step
    with the same kept weights."""
    paced, plain = _trainer(True, opt="sgd", lr=400.0), _trainer(False, opt="sgd", lr=400.0)
    caught = []
    for t in (paced, plain):
        with pytest.raises(Diverged) as info:
            t.run(2000)
        caught.append(info.value.step)
    assert caught[0] == caught[1] < 500
    _assert_same(_state(paced), _state(plain))


def test_a_call_cut_short_by_nan_puts_back_the_shuffles_it_did_not_use():
    paced, plain = _trainer(True, opt="sgd", lr=0.5), _trainer(False, opt="sgd", lr=0.5)
    for t in (paced, plain):
        t.run(604)
    assert paced.watch.learned and 0 < paced._cursor < len(X)
    _assert_same(_state(paced), _state(plain))
    row = int(paced._order[0])              # seen already this epoch: met again in the next one
    kept = {id(t.x_train): t.x_train[row].copy() for t in (paced, plain)}
    calls = []
    train = paced._fused.train
    paced._fused.train = lambda *a: calls.append(a[0]) or train(*a)
    caught = []
    for t in (paced, plain):
        t.x_train[row] = np.nan
        with pytest.raises(Diverged) as info:
            t.run(2000)
        caught.append(info.value.step)
    assert caught[0] == caught[1]
    assert max(calls) > 100                 # the paced one was inside a many-epoch call
    assert paced.epoch == 604 // 12 + 1     # and ended an epoch in it before the bad row
    _assert_same(_state(paced), _state(plain))
    for t in (paced, plain):
        t.x_train[row] = kept[id(t.x_train)]
    for t in (paced, plain):
        t.run(300)
    _assert_same(_state(paced), _state(plain))
