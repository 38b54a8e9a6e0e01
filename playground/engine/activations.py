"""Activation functions, each a forward and its derivative side by side (notes section 1.2.1).

The derivative is taken from the output ``y`` where the notes give it that way
(sigmoid' = y(1 - y), tanh' = 1 - y^2, relu' = [y > 0]), so no layer has to keep its pre-activation.
Softmax acts over axis 1 (the classes, or the channels of an image tensor).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

NAMES = ("identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax")
#: the notes' leaky ReLU is max(0.1 x, x)
LEAKY_ALPHA = 0.1

FORMULAS = {
    "identity": "I(x) = x",
    "step": "step(x) = 1 if x >= 0 else 0",
    "sigmoid": "sigma(x) = 1 / (1 + e^-x);  sigma' = sigma (1 - sigma)",
    "tanh": "tanh(x) = (e^x - e^-x) / (e^x + e^-x);  tanh' = 1 - tanh^2",
    "relu": "g(x) = max(0, x);  g' = 1 if x > 0 else 0",
    "leaky_relu": "g(x) = max(alpha x, x), alpha = 0.1",
    "softmax": "S_j(x) = e^x_j / sum_i e^x_i",
}


@njit(nogil=True, cache=True)
def _sigmoid(x, out):
    for i in range(x.size):
        v = x.flat[i]
        if v >= 0:
            out.flat[i] = 1.0 / (1.0 + math.exp(-v))
        else:
            e = math.exp(v)
            out.flat[i] = e / (1.0 + e)


@njit(nogil=True, cache=True)
def _leaky(x, alpha, out):
    for i in range(x.size):
        v = x.flat[i]
        out.flat[i] = v if v > 0 else alpha * v


@njit(nogil=True, cache=True)
def _grad_from_output(code, y, dy, alpha, out):
    """dL/dx from dL/dy and the output y, for the elementwise activations (codes as in CODES)."""
    n = y.size
    if code == 2:  # sigmoid
        for i in range(n):
            v = y.flat[i]
            out.flat[i] = dy.flat[i] * v * (1.0 - v)
    elif code == 3:  # tanh
        for i in range(n):
            v = y.flat[i]
            out.flat[i] = dy.flat[i] * (1.0 - v * v)
    elif code == 4:  # relu
        for i in range(n):
            out.flat[i] = dy.flat[i] if y.flat[i] > 0 else 0.0
    elif code == 5:  # leaky relu: y > 0 exactly where x > 0 because alpha > 0
        for i in range(n):
            out.flat[i] = dy.flat[i] if y.flat[i] > 0 else alpha * dy.flat[i]
    elif code == 1:  # step: zero almost everywhere
        for i in range(n):
            out.flat[i] = 0.0
    else:  # identity
        for i in range(n):
            out.flat[i] = dy.flat[i]


CODES = {name: i for i, name in enumerate(NAMES)}


def check_name(name: str) -> str | None:
    """None if ``name`` is an activation, else the message saying which ones there are."""
    if name in CODES:
        return None
    return f"unknown activation {name!r}; choose one of {', '.join(NAMES)}"


def forward(name: str, x: np.ndarray, alpha: float = LEAKY_ALPHA) -> np.ndarray:
    """g(x), as a new array of x's dtype."""
    if name == "identity":
        return x
    if name == "tanh":
        return np.tanh(x)
    if name == "relu":
        return np.maximum(x, 0)
    out = np.empty_like(x)
    if name == "sigmoid":
        _sigmoid(np.ascontiguousarray(x), out)
    elif name == "leaky_relu":
        _leaky(np.ascontiguousarray(x), x.dtype.type(alpha), out)
    elif name == "step":
        np.greater_equal(x, 0, out=out)
    elif name == "softmax":
        shifted = x - x.max(axis=1, keepdims=True)
        np.exp(shifted, out=out)
        out /= out.sum(axis=1, keepdims=True)
    else:
        raise ValueError(check_name(name))
    return out


def backward(name: str, y: np.ndarray, dy: np.ndarray, alpha: float = LEAKY_ALPHA) -> np.ndarray:
    """dL/dx given dL/dy and the output y = g(x)."""
    if name == "identity":
        return dy
    if name == "softmax":
        # dS_j/dx_i = S_j ([i = j] - S_i)  =>  dx = S * (dy - sum_j dy_j S_j)
        return y * (dy - (dy * y).sum(axis=1, keepdims=True))
    out = np.empty_like(y)
    _grad_from_output(CODES[name], np.ascontiguousarray(y), np.ascontiguousarray(dy),
                      y.dtype.type(alpha), out)
    return out
