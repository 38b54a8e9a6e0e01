"""The fused fast path equals the general layer-by-layer path for every combination it accepts.

Each case trains the same float64 network twice through the Trainer's public ``fast_path``
switch and compares the weights after 25 steps; a wrong derivative, slope or optimizer slot in
the fused kernel shows up as a difference far above the 1e-9 tolerance.
"""
import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config
from playground.engine import fused

rng = np.random.default_rng(1)
X = rng.uniform(-2, 2, (120, 3))
LABELS = (X[:, 0] * X[:, 1] + 0.3 * X[:, 2] > 0).astype(np.int64)


def _loss_fits(activation: str, loss: str) -> bool:
    """bce and cce take probabilities: only outputs in (0, 1) make them defined."""
    return loss == "mse" or activation in ("sigmoid", "softmax")


CASES = [(act, loss, opt) for act in fused.OUTPUT_ACTIVATIONS for loss in fused.LOSS_CODES
         for opt in fused.OPT_CODES if _loss_fits(act, loss)]


def _trainer(activation, loss, opt, fast):
    hidden = activation if activation in fused.ELEMENTWISE else "tanh"
    units = 2 if activation == "softmax" else 1
    spec = {"input_shape": [3], "layers": [
        {"type": "dense", "units": 5, "activation": hidden, "alpha": 0.3},
        {"type": "dense", "units": 4, "activation": hidden, "alpha": 0.2},
        {"type": "dense", "units": units, "activation": activation, "alpha": 0.3}]}
    net = Network.from_spec(spec, seed=4, dtype="float64")
    settings = TrainingSettings(loss=loss, optimizer=optimizer_config(opt, lr=0.05), batch_size=16,
                                regularization="l2", reg_rate=0.001)
    data = TrainData(X[:90], LABELS[:90], X[90:], LABELS[90:], "classification", 2)
    return Trainer(net, settings, data, fast_path=fast)


@pytest.mark.parametrize("activation, loss, opt", CASES)
def test_fast_path_equals_general_path(activation, loss, opt):
    fast, general = _trainer(activation, loss, opt, True), _trainer(activation, loss, opt, False)
    assert fast.fast_path and not general.fast_path
    start = fast.net.flat_params.copy()
    fast.run(25)
    general.run(25)
    assert not np.array_equal(fast.net.flat_params, start)
    np.testing.assert_allclose(fast.net.flat_params, general.net.flat_params, rtol=1e-9, atol=1e-11)
    assert fast.last_loss == pytest.approx(general.last_loss, rel=1e-9)
    np.testing.assert_allclose(fast.predict(X), general.predict(X), rtol=1e-9, atol=1e-12)


def test_fast_path_can_be_switched_off_and_on_mid_run():
    trainer = _trainer("sigmoid", "bce", "adam", True)
    reference = _trainer("sigmoid", "bce", "adam", False)
    trainer.run(5)
    trainer.fast_path = False
    assert not trainer.fast_path
    trainer.run(5)
    trainer.fast_path = True
    assert trainer.fast_path
    trainer.run(5)
    reference.run(15)
    np.testing.assert_allclose(trainer.net.flat_params, reference.net.flat_params, rtol=1e-9)


def test_fast_path_stays_off_where_the_kernel_does_not_apply():
    spec = {"input_shape": [3], "layers": [{"type": "dense", "units": 2, "activation": "gelu"}]}
    net = Network.from_spec(spec, dtype="float64")
    trainer = Trainer(net, TrainingSettings(), TrainData(X, LABELS), fast_path=True)
    assert not trainer.fast_path
