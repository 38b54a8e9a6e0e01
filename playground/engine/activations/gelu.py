"""gelu: x Phi(x) with the exact normal CDF (erf), as torch.nn.GELU's default."""
import math

import numpy as np
from numba import njit

from .base import Activation

_SQRT_HALF = 0.7071067811865476
_INV_SQRT_2PI = 0.3989422804014327


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return 0.5 * x * (1.0 + math.erf(x * _SQRT_HALF))


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return 0.5 * (1.0 + math.erf(x * _SQRT_HALF)) + x * _INV_SQRT_2PI * math.exp(-0.5 * x * x)


def _onnx(g, x, prefix, a):
    """x * 0.5 * (1 + erf(x / sqrt 2)): opset 17 has Erf but no Gelu."""
    scale = g.constant(f"{prefix}/sqrt_half", np.array(_SQRT_HALF, np.float32))
    one = g.constant(f"{prefix}/one", np.array(1.0, np.float32))
    half = g.constant(f"{prefix}/half", np.array(0.5, np.float32))
    scaled = g.node("Mul", [x, scale], f"{prefix}/gelu_scaled")
    erf = g.node("Erf", [scaled], f"{prefix}/gelu_erf")
    cdf = g.node("Add", [erf, one], f"{prefix}/gelu_cdf")
    xcdf = g.node("Mul", [x, cdf], f"{prefix}/gelu_xcdf")
    return g.node("Mul", [xcdf, half], f"{prefix}/gelu")


ACTIVATION = Activation(
    name="gelu", title="GELU", order=9,
    formula="g(x) = x Phi(x) = x/2 (1 + erf(x / sqrt 2));  g' = Phi(x) + x phi(x)",
    help="Weights z by how likely a standard normal value is below it: a smooth ReLU that dips "
         "slightly below zero; the transformers' activation.",
    grad_from="input", torch=lambda v, a: f"F.gelu({v})", onnx=_onnx,
    torch_module=("GELU", {}))
