"""The snapshot's decision-map feed: each input map shows its own feature over the grid, and each
layer's maps are that layer's outputs there (kills mutants of tools/mutate.py that transposed
the input maps or showed the previous layer's maps)."""
import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings

SPEC = {"input_shape": [2], "layers": [
    {"type": "dense", "units": 3, "activation": "tanh"},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def grid(r: int) -> np.ndarray:
    """Row 0 is the top of the plane (high x2), as the views draw it."""
    xs = np.linspace(-1, 1, r)
    x1, x2 = np.meshgrid(xs, xs[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1)


@pytest.mark.parametrize("fast", [True, False])
def test_grid_maps_are_each_feature_and_each_layers_outputs(fast):
    r = 7  # not square-symmetric in any way a transposition would hide
    net = Network.from_spec(SPEC, seed=4, dtype="float64")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 2))
    trainer = Trainer(net, TrainingSettings(), TrainData(x, (x[:, 0] > 0).astype(int)),
                      grid=grid(r), grid_resolution=r, fast_path=fast)
    trainer.run(3)
    snap = trainer.snapshot()
    g = grid(r)
    # input map k is feature k: x1 grows to the right, x2 grows upwards
    np.testing.assert_array_equal(snap.grid_inputs[0], g[:, 0].reshape(r, r))
    np.testing.assert_array_equal(snap.grid_inputs[1], g[:, 1].reshape(r, r))
    assert snap.grid_inputs[0][0, 0] < snap.grid_inputs[0][0, -1]
    assert snap.grid_inputs[1][0, 0] > snap.grid_inputs[1][-1, 0]
    hidden = np.tanh(g @ net.parameters()["dense1.weight"].T + net.parameters()["dense1.bias"])
    for unit in range(3):
        np.testing.assert_allclose(snap.grid_outputs["dense1"][unit],
                                   hidden[:, unit].reshape(r, r), rtol=1e-6, atol=1e-7)
    out = net.predict(g)
    np.testing.assert_allclose(snap.grid_outputs["output"][0], out[:, 0].reshape(r, r),
                               rtol=1e-6, atol=1e-7)


def test_probe_maps_are_copies_that_later_steps_leave_alone():
    """DESIGN.md: a snapshot holds copies, so the views may keep one while training goes on.
    (Each layer now allocates its output per forward, which is why the mutant that dropped the
    copy survived the other tests; a layer that reused its buffer would repaint old maps.)"""
    spec = {"input_shape": [1, 6, 6], "layers": [
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "activation": "relu"},
        {"type": "maxpool2d", "size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 2, "activation": "softmax"}]}
    net = Network.from_spec(spec, seed=1, dtype="float64")
    rng = np.random.default_rng(2)
    x = rng.normal(size=(8, 1, 6, 6))
    trainer = Trainer(net, TrainingSettings(), TrainData(x, rng.integers(0, 2, 8)),
                      probe_inputs=x[:2])
    trainer.run(2)
    snap = trainer.snapshot()
    kept = {k: v.copy() for k, v in snap.probe_activations.items()}
    for layer in net.layers:
        assert not np.shares_memory(snap.probe_activations[layer.id], layer.output), layer.id
    trainer.run(3)
    trainer.snapshot()
    for key, value in kept.items():
        np.testing.assert_array_equal(snap.probe_activations[key], value, err_msg=key)
