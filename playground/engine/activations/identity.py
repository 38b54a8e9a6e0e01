"""identity: I(x) = x, the linear unit (regression outputs)."""
from numba import njit

from .base import Activation

#: the row kernels may skip it: g(x) = x and g' = 1 change nothing in place
NO_OP = True


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return x


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return 1.0


def numpy_forward(x, a):
    return x  # no copy: nothing changes


def numpy_backward(x, y, dy, a):
    return dy


def _onnx(graph, x, prefix, a):
    return x


ACTIVATION = Activation(
    name="identity", title="linear", order=0, formula="I(x) = x;  I' = 1",
    help="Passes z through unchanged: a linear unit, for regression outputs.",
    grad_from="output", torch=lambda v, a: None, onnx=_onnx, torch_module=("Identity", {}))
