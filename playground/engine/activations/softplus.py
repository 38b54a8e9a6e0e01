"""softplus: log(1 + e^x), a smooth ReLU; derivative sigma(x) = 1 - e^-y, from the output."""
import math

from numba import njit

from .base import Activation


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return math.log1p(math.exp(-abs(x))) + max(x, 0.0)  # never overflows


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return -math.expm1(-y)  # sigma(x) = 1 - e^-softplus(x)


ACTIVATION = Activation(
    name="softplus", title="softplus", order=8,
    formula="g(x) = ln(1 + e^x);  g' = sigma(x) = 1 - e^-g(x)",
    help="A smooth ReLU: always positive, close to 0 for very negative z and to z for large z.",
    grad_from="output", torch=lambda v, a: f"F.softplus({v})",
    onnx=lambda g, x, prefix, a: g.node("Softplus", [x], f"{prefix}/softplus"),
    torch_module=("Softplus", {}))
