"""sigmoid: sigma(x) = 1 / (1 + e^-x), derivative sigma (1 - sigma) from the output (notes 1.2.1)."""
import math

from numba import njit

from .base import Activation


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return 1.0 / (1.0 + math.exp(-x))  # exp overflows to inf for x < -709: 1/inf = 0, exact


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return y * (1.0 - y)


ACTIVATION = Activation(
    name="sigmoid", title="sigmoid", order=2,
    formula="sigma(x) = 1 / (1 + e^-x);  sigma' = sigma (1 - sigma)",
    help="Squashes z into (0, 1): a probability, for binary and multi-label outputs.",
    grad_from="output", auto_loss="bce", torch=lambda v, a: f"torch.sigmoid({v})",
    onnx=lambda g, x, prefix, a: g.node("Sigmoid", [x], f"{prefix}/sigmoid"),
    torch_module=("Sigmoid", {}))
