"""Hand edits of a network's weights and probe images (labs.hands), without Qt."""
from __future__ import annotations

import numpy as np

from playground.engine import Network
from playground.labs.hands import apply_edits, read_values

SPEC = {"input_shape": [2], "layers": [{"type": "dense", "units": 3, "activation": "tanh"},
                                       {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def test_edits_write_one_weight_a_row_or_a_whole_parameter_and_read_back():
    net = Network.from_spec(SPEC, seed=0)
    before = net.get_weights()
    edits = [("dense1.weight", (2, 1), 0.5), ("dense1.bias", None, np.array([1.0, 2.0, 3.0])),
             ("dense2.weight", (0,), np.array([4.0, 5.0, 6.0]))]
    old = read_values(net, edits)
    assert apply_edits(net, edits) == 3
    p = net.parameters()
    assert p["dense1.weight"][2, 1] == 0.5 and p["dense1.weight"][0, 0] == before["dense1.weight"][0, 0]
    np.testing.assert_array_equal(p["dense1.bias"], [1, 2, 3])
    np.testing.assert_array_equal(p["dense2.weight"][0], [4, 5, 6])
    apply_edits(net, old)                                   # what undo sends
    for key, value in before.items():
        np.testing.assert_array_equal(net.get_weights()[key], value)


def test_edits_that_no_longer_fit_the_network_are_skipped():
    net = Network.from_spec(SPEC, seed=0)
    before = net.get_weights()
    stale = [("dense9.weight", (0, 0), 1.0), ("dense1.weight", (5, 0), 1.0),
             ("dense1.weight", (0,), np.zeros(7)), ("dense1.weight", (0, 0, 0), 1.0)]
    assert apply_edits(net, stale) == 0
    for key, value in before.items():
        np.testing.assert_array_equal(net.get_weights()[key], value)
