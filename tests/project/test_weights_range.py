"""A weights file whose numbers are finite float64 but too large for the network's float32 is
refused with that reason (not loaded as infinity and later blamed on the learning rate)."""
import numpy as np
import pytest

from playground.engine import Network
from playground.project.project import ProjectError
from playground.project.projectfile import check_weights

SPEC = {"format": "playground-network", "version": 1, "input_shape": [2],
        "layers": [{"type": "dense", "units": 3, "activation": "tanh"},
                   {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def test_float64_weights_beyond_float32_are_refused_with_the_reason():
    weights = {k: v.astype(np.float64) for k, v in Network.from_spec(SPEC).get_weights().items()}
    assert all(np.isfinite(v).all() for v in check_weights(weights, SPEC).values())
    weights["dense1.weight"][1, 0] = -1e39
    with pytest.raises(ProjectError, match="too large for the network's 32-bit floats") as info:
        check_weights(weights, SPEC)
    assert "dense1.weight" in str(info.value) and "1e+39" in str(info.value)
