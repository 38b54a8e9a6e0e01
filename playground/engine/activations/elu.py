"""elu: x for x > 0, alpha (e^x - 1) otherwise; derivative 1 or y + alpha, from the output."""
import math

from numba import njit

from .base import Activation, Param


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return x if x > 0 else a * math.expm1(x)


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return 1.0 if y > 0 else y + a  # alpha e^x = y + alpha where x <= 0


def _onnx(g, x, prefix, a):
    return g.node("Elu", [x], f"{prefix}/elu", alpha=float(a))


ACTIVATION = Activation(
    name="elu", title="ELU", order=7,
    formula="g(x) = x if x > 0 else alpha (e^x - 1);  g' = 1 if x > 0 else g(x) + alpha",
    help="Like ReLU for positive z, but negative z curve smoothly down to -alpha, which keeps "
         "the mean activation near zero.",
    params=(Param("alpha", "ELU α", 1.0, 0.0, 10.0,
                  "The value ELU approaches for very negative inputs: y → −α."),),
    grad_from="output", torch=lambda v, a: f"F.elu({v}, alpha={a!r})", onnx=_onnx,
    torch_module=("ELU", {"alpha": "alpha"}))

