"""The snapshot feed: what the views draw must be the run's real gradients, norms and weights."""
import numpy as np
import pytest

from playground.engine import (Network, TrainData, Trainer, TrainingSettings, make_loss,
                               optimizer_config)

SPEC = {"input_shape": [3], "layers": [
    {"type": "dense", "units": 5, "activation": "tanh"},
    {"type": "dense", "units": 4, "activation": "relu"},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}
rng = np.random.default_rng(3)
X = rng.normal(0, 1, (24, 3)).astype(np.float64)
Y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(np.int64)


@pytest.mark.parametrize("fast", [True, False])
def test_snapshot_gradients_and_norms_are_the_steps_own(fast):
    """Full-batch step: the snapshot's gradients equal a backward pass computed here on the
    weights from before the step, and each norm is that gradient's L2 norm."""
    net = Network.from_spec(SPEC, seed=2, dtype="float64")
    before = net.get_weights()
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer_config("sgd", lr=0.5),
                                            batch_size="full"), TrainData(X, Y), fast_path=fast)
    trainer.run(1)
    snap = trainer.snapshot()
    reference = Network.from_spec(SPEC, seed=0, dtype="float64")
    reference.set_weights(before)
    loss = make_loss("bce")
    loss.forward(reference.forward(X, training=True), Y)
    reference.backward(loss.backward())
    for key, grad in reference.gradients().items():
        np.testing.assert_allclose(snap.gradients[key], grad, rtol=1e-9, atol=1e-12, err_msg=key)
        assert not np.allclose(snap.gradients[key], snap.weights[key])
    for layer_id in ("dense1", "dense2", "dense3"):
        expect = float(np.linalg.norm(reference.gradients()[f"{layer_id}.weight"]))
        assert snap.grad_norms[layer_id] == pytest.approx(expect, rel=1e-9)
        assert snap.grad_norms[layer_id] != pytest.approx(1.0)
    # the weights are the ones after the step, as copies
    for key, value in net.parameters().items():
        np.testing.assert_array_equal(snap.weights[key], value)
        np.testing.assert_allclose(snap.weights[key], before[key] - 0.5 * snap.gradients[key],
                                   rtol=1e-9, atol=1e-12)
    trainer.run(1)
    assert not np.array_equal(snap.weights["dense1.weight"], net.parameters()["dense1.weight"])
