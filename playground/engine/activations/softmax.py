"""softmax over axis 1 (the classes, or the channels of an image tensor)."""
import math

import numpy as np
from numba import njit

from .base import Activation


@njit(nogil=True, cache=True, inline="always")
def columns_forward(block, nb):
    """Softmax down each column of block (units, :nb), in place."""
    units = block.shape[0]
    for n in range(nb):
        top = block[0, n]
        for j in range(1, units):
            top = max(top, block[j, n])
        total = 0.0
        for j in range(units):
            e = math.exp(block[j, n] - top)
            block[j, n] = e
            total += e
        for j in range(units):
            block[j, n] /= total


@njit(nogil=True, cache=True, inline="always")
def columns_grad(y, delta, nb):
    """delta := dL/dz from delta = dL/dy and y (units, :nb): S * (dy - sum_j dy_j S_j)."""
    k = y.shape[0]
    for n in range(nb):
        s = 0.0
        for j in range(k):
            s += delta[j, n] * y[j, n]
        for j in range(k):
            delta[j, n] = y[j, n] * (delta[j, n] - s)


def numpy_forward(x, a):
    out = x - x.max(axis=1, keepdims=True)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def numpy_backward(x, y, dy, a):
    # dS_j/dx_i = S_j ([i = j] - S_i)  =>  dx = S * (dy - sum_j dy_j S_j)
    return y * (dy - (dy * y).sum(axis=1, keepdims=True))


ACTIVATION = Activation(
    name="softmax", title="softmax", order=6, formula="S_j(x) = e^x_j / sum_i e^x_i",
    help="Turns the outputs into class probabilities that sum to 1 (multi-class outputs).",
    grad_from="columns", auto_loss="cce", torch=lambda v, a: f"torch.softmax({v}, dim=1)",
    onnx=lambda g, x, prefix, a: g.node("Softmax", [x], f"{prefix}/softmax", axis=1),
    torch_module=("Softmax", {"dim": 1}))
