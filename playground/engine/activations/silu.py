"""silu (swish): x sigma(x); its derivative needs the input x."""
import math

from numba import njit

from .base import Activation


@njit(nogil=True, cache=True, inline="always")
def _sigma(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return x * _sigma(x)


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    s = _sigma(x)
    return s * (1.0 + x * (1.0 - s))


def _onnx(g, x, prefix, a):
    s = g.node("Sigmoid", [x], f"{prefix}/silu_sigmoid")
    return g.node("Mul", [x, s], f"{prefix}/silu")


ACTIVATION = Activation(
    name="silu", title="SiLU (swish)", order=10,
    formula="g(x) = x sigma(x);  g' = sigma(x) (1 + x (1 - sigma(x)))",
    help="The sigmoid-weighted linear unit (swish): z times its own sigmoid, a smooth ReLU "
         "that dips slightly below zero.",
    grad_from="input", torch=lambda v, a: f"F.silu({v})", onnx=_onnx, torch_module=("SiLU", {}))
