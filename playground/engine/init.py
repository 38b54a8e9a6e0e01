"""Weight initialization (notes section 1.9): Xavier and He scale N(0, 1) samples by sqrt(k / n_in).

``n_in`` is the fan-in: the inputs one output unit sees (in x kh x kw for a convolution).
Biases start at zero.
"""
from __future__ import annotations

import numpy as np

NAMES = ("auto", "xavier", "he", "zeros", "normal", "uniform")


def resolve(name: str, activation: str) -> str:
    """'auto' is He before ReLU-like activations and Xavier otherwise, as the notes advise."""
    if name != "auto":
        return name
    return "he" if activation in ("relu", "leaky_relu") else "xavier"


def check_name(name: str) -> str | None:
    if name in NAMES:
        return None
    return f"unknown init {name!r}; choose one of {', '.join(NAMES)}"


def fill(weight: np.ndarray, name: str, fan_in: int, rng: np.random.Generator) -> None:
    """Fill ``weight`` in place by the rule ``name`` (already resolved from 'auto')."""
    shape = weight.shape
    if name == "xavier":
        weight[...] = rng.standard_normal(shape) * np.sqrt(1.0 / fan_in)
    elif name == "he":
        weight[...] = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
    elif name == "zeros":
        weight[...] = 0
    elif name == "normal":
        weight[...] = rng.standard_normal(shape) * 0.1
    elif name == "uniform":
        bound = 1.0 / np.sqrt(fan_in)  # PyTorch's default bound for a linear layer's bias
        weight[...] = rng.uniform(-bound, bound, shape)
    else:
        raise ValueError(check_name(name))
