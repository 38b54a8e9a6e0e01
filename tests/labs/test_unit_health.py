"""Dead ReLU units and saturated tanh units, on a network whose weights are set by hand."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network
from playground.labs.unit_health import probe_batch, unit_health

SPEC = {"input_shape": [1], "layers": [
    {"type": "dense", "units": 3, "activation": "relu", "id": "relu"},
    {"type": "dense", "units": 5, "activation": "tanh", "id": "tanh"},
    {"type": "dense", "units": 1, "activation": "sigmoid", "id": "out"}]}
X = np.linspace(1.0, 2.0, 10).reshape(-1, 1)        # every input positive


@pytest.fixture
def net():
    net = Network.from_spec(SPEC, seed=0, dtype="float64")
    w = net.get_weights()
    # ReLU: z = x (alive), z = -x (dead: <= 0 on every input), z = 3 - x (alive)
    w["relu.weight"][:] = [[1.0], [-1.0], [-1.0]]
    w["relu.bias"][:] = [0.0, 0.0, 3.0]
    # tanh reads the first ReLU unit (= x). |tanh'(z)| < 0.05 where |z| > 2.18:
    #   z = 0 (never), 10x in [10, 20] (always), 15 - 10x (6 of the 10 inputs: most),
    #   x - 1.5 (never), 5x - 6 (4 of 10: not most) -> 2 of 5 saturated
    w["tanh.weight"][:] = 0.0
    w["tanh.weight"][:, 0] = [0.0, 10.0, -10.0, 1.0, 5.0]
    w["tanh.bias"][:] = [0.0, 0.0, 15.0, -1.5, -6.0]
    w["out.weight"][:] = 0.0
    w["out.bias"][:] = 0.0
    net.set_weights(w)
    return net


def test_dead_and_saturated_fractions(net):
    health = unit_health(net, X)
    assert health["relu"].dead == pytest.approx(1 / 3)
    assert health["relu"].saturated is None
    assert health["tanh"].saturated == pytest.approx(2 / 5)
    assert health["tanh"].dead is None
    # the output sigmoid sits at z = 0 on every input: its slope is 1/4, not saturated
    assert health["out"].saturated == 0.0
    assert health["tanh"].units == 5
    # z is the layer's own pre-activation: 10x for the second tanh unit
    np.testing.assert_allclose(np.sort(health["relu"].z), np.sort(np.concatenate(
        [X[:, 0], -X[:, 0], 3 - X[:, 0]])))


def test_a_unit_dead_on_all_but_one_input_is_alive(net):
    x = np.vstack([X, [[-1.0]]])            # one input where the second unit's z = 1 > 0
    assert unit_health(net, x)["relu"].dead == 0.0


def test_conv_units_are_channels_counted_over_every_position():
    spec = {"input_shape": [1, 3, 3], "layers": [
        {"type": "conv2d", "filters": 2, "kernel_size": 1, "activation": "relu", "id": "c"}]}
    net = Network.from_spec(spec, seed=0, dtype="float64")
    w = net.get_weights()
    w["c.weight"][:] = np.array([1.0, -1.0]).reshape(2, 1, 1, 1)
    w["c.bias"][:] = 0.0
    net.set_weights(w)
    x = np.ones((4, 1, 3, 3))
    x[0, 0, 1, 1] = -1.0                     # channel 1 sees one positive z: alive
    assert unit_health(net, x)["c"].dead == 0.0
    assert unit_health(net, np.abs(x))["c"].dead == 0.5


def test_the_probe_batch_is_an_even_sample():
    assert len(probe_batch(np.zeros((1000, 2)))) == 256
    assert len(probe_batch(np.zeros((5, 2)))) == 5
    assert len(probe_batch(np.zeros((100, 1, 8, 8)))) == 16
