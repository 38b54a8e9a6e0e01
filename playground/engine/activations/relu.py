"""relu: max(0, x), derivative 1 where the output is positive."""
import numpy as np
from numba import njit

from .base import Activation


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return x if x > 0 else 0.0


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return 1.0 if y > 0 else 0.0


def numpy_forward(x, a):
    return np.maximum(x, 0)


ACTIVATION = Activation(
    name="relu", title="relu", order=4, formula="g(x) = max(0, x);  g' = 1 if x > 0 else 0",
    help="Keeps positive values and zeroes the rest: cheap, and its gradient does not vanish "
         "for positive z.",
    grad_from="output", torch=lambda v, a: f"torch.relu({v})",
    onnx=lambda g, x, prefix, a: g.node("Relu", [x], f"{prefix}/relu"),
    torch_module=("ReLU", {}))
