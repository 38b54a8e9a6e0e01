"""The per-layer optimizer summaries (the Optimizer tab) against the optimizer's own state and
against the update the weights really took."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings
from playground.engine.optimizer_stats import QUANTILES, layer_slices, summarize

SPEC = {"input_shape": [2], "layers": [{"type": "dense", "units": 3, "activation": "tanh"},
                                       {"type": "dense", "units": 1, "activation": "sigmoid"}]}
CONFIGS = {
    "sgd": {"type": "sgd", "lr": 0.1},
    "momentum": {"type": "momentum", "lr": 0.1, "rho": 0.9},
    "rmsprop": {"type": "rmsprop", "lr": 0.01, "alpha": 0.9, "eps": 1e-8},
    "adam": {"type": "adam", "lr": 0.01},
    "amsgrad": {"type": "adam", "lr": 0.01, "amsgrad": True},
}


def _trainer(config, fast=False, steps=7):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 2))
    y = (x[:, 0] > x[:, 1]).astype(np.int64)
    net = Network.from_spec(SPEC, seed=2, dtype="float64")
    trainer = Trainer(net, TrainingSettings(optimizer=dict(config), batch_size=4), TrainData(x, y),
                      fast_path=fast)
    trainer.run(steps)
    return net, trainer


def _by_hand(kind, opt, grad):
    """Chapter 2's formulas, written out from the optimizer's state."""
    st = {k: v.reshape(-1).astype(np.float64) for k, v in opt.state()["all"].items()}
    c, t, lr = opt.config, opt.t, opt.config["lr"]
    if kind == "sgd":
        return None, None, lr * grad
    if kind == "momentum":
        return st["velocity"], None, st["velocity"]
    if kind == "rmsprop":
        root = np.sqrt(st["square_avg"])
        return None, root, lr * grad / (root + c["eps"])
    b1, b2 = c["betas"]
    m_hat = st["exp_avg"] / (1 - b1 ** t)
    v = st["max_exp_avg_sq"] if kind == "amsgrad" else st["exp_avg_sq"]
    root = np.sqrt(v / (1 - b2 ** t))
    return m_hat, root, lr * m_hat / (root + c["eps"])


@pytest.mark.parametrize("kind", list(CONFIGS))
def test_summaries_equal_the_formulas_on_the_optimizers_state(kind):
    net, trainer = _trainer(CONFIGS[kind])
    stats = summarize(trainer.optimizer, net)
    assert list(stats) == [layer.id for layer in net.layers]
    moment, root, step = _by_hand(kind, trainer.optimizer, net.flat_grads.astype(np.float64))
    for layer, part in layer_slices(net).items():
        s = stats[layer]
        if moment is None:
            assert np.isnan(s.velocity_norm)
        else:
            assert s.velocity_norm == pytest.approx(np.linalg.norm(moment[part]), rel=1e-12)
        if root is None:
            assert s.sqrt_v is None
        else:
            np.testing.assert_allclose(s.sqrt_v, np.quantile(root[part], QUANTILES), rtol=1e-12)
        np.testing.assert_allclose(s.step, np.quantile(np.abs(step[part]), QUANTILES), rtol=1e-12)
        w = net.flat_params[part]
        assert s.update_ratio == pytest.approx(np.linalg.norm(step[part]) / np.linalg.norm(w),
                                               rel=1e-12)


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize("kind", list(CONFIGS))
def test_the_step_is_the_change_the_weights_really_took(kind, fast):
    net, trainer = _trainer(CONFIGS[kind], fast=fast, steps=5)
    assert trainer.fast_path == fast
    before = net.flat_params.copy()
    trainer.step()
    moved = before - net.flat_params
    stats = summarize(trainer.optimizer, net)
    for layer, part in layer_slices(net).items():
        assert stats[layer].update_norm == pytest.approx(np.linalg.norm(moved[part]), rel=1e-9)
        np.testing.assert_allclose(stats[layer].step, np.quantile(np.abs(moved[part]), QUANTILES),
                                   rtol=1e-9, atol=1e-15)


def test_nothing_before_the_first_step():
    net, trainer = _trainer(CONFIGS["adam"], steps=0)
    assert summarize(trainer.optimizer, net) == {}


def test_layer_slices_cover_the_flat_buffer_in_order():
    net = Network.from_spec(SPEC, seed=0)
    slices = layer_slices(net)
    assert slices == {net.layers[0].id: slice(0, 9), net.layers[1].id: slice(9, 13)}
