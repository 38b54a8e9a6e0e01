"""The fast path's L1 and L2 penalties equal the general path's (the L1 sign mutant of
tools/mutate.py survived test_fast_path.py, whose cases all use L2)."""
import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config

rng = np.random.default_rng(5)
X = rng.uniform(-2, 2, (80, 2))
Y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
SPEC = {"input_shape": [2], "layers": [
    {"type": "dense", "units": 6, "activation": "tanh"},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def _trained(reg: str, opt: str, fast: bool) -> Trainer:
    net = Network.from_spec(SPEC, seed=2, dtype="float64")
    settings = TrainingSettings(optimizer=optimizer_config(opt, lr=0.05), batch_size=10,
                                regularization=reg, reg_rate=0.02)
    trainer = Trainer(net, settings, TrainData(X, Y), fast_path=fast)
    assert trainer.fast_path == fast
    trainer.run(30)
    return trainer


@pytest.mark.parametrize("reg", ["l1", "l2"])
@pytest.mark.parametrize("opt", ["sgd", "adam"])
def test_penalties_on_the_fast_path_equal_the_general_path(reg, opt):
    fast, general = _trained(reg, opt, True), _trained(reg, opt, False)
    np.testing.assert_allclose(fast.net.flat_params, general.net.flat_params, rtol=1e-9,
                               atol=1e-11)
    assert fast.last_loss == pytest.approx(general.last_loss, rel=1e-9)
    # the penalty moved the weights: without it they end elsewhere
    plain = _trained("none", opt, True)
    assert not np.allclose(plain.net.flat_params, fast.net.flat_params, atol=1e-4)
