"""leaky_relu: max(alpha x, x) for alpha in [0, 1] (the notes use alpha = 0.1)."""
from numba import njit

from .base import Activation, Param


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return x if x > 0 else a * x


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return 1.0 if y > 0 else a  # y > 0 exactly where x > 0 (alpha >= 0)


ACTIVATION = Activation(
    name="leaky_relu", title="leaky ReLU", order=5,
    formula="g(x) = max(alpha x, x);  g' = 1 if x > 0 else alpha",
    help="Like ReLU, but negative z keep a small slope alpha, so no unit stops learning.",
    params=(Param("alpha", "Leaky slope α", 0.1, 0.0, 1.0,
                  "Slope of leaky ReLU for negative inputs: y = αx when x < 0."),),
    grad_from="output", torch=lambda v, a: f"F.leaky_relu({v}, negative_slope={a!r})",
    onnx=lambda g, x, prefix, a: g.node("LeakyRelu", [x], f"{prefix}/leaky_relu", alpha=float(a)),
    torch_module=("LeakyReLU", {"negative_slope": "alpha"}))
