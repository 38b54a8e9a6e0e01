"""L1 and L2 penalties on the weights (not the biases), added to the gradients in one pass.

- L1: penalty rate * sum |w|,        gradient rate * sign(w)
- L2: penalty rate * 1/2 sum w^2,    gradient rate * w        (TensorFlow Playground's convention)
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def _penalty(kind, rate, w, g, mask):
    total = 0.0
    for i in range(w.size):
        if mask[i] == 0:
            continue
        if kind == 1:
            if w[i] > 0:
                g[i] += rate
                total += w[i]
            elif w[i] < 0:
                g[i] -= rate
                total -= w[i]
        else:
            g[i] += rate * w[i]
            total += 0.5 * w[i] * w[i]
    return rate * total


def apply_penalty(kind: str, rate: float, params: np.ndarray, grads: np.ndarray,
                  weight_mask: np.ndarray) -> float:
    """Add the penalty's gradient to ``grads`` (flat) and return the penalty's value."""
    if kind not in ("l1", "l2"):
        raise ValueError(f"unknown regularization {kind!r}; choose none, l1 or l2")
    return float(_penalty(1 if kind == "l1" else 2, params.dtype.type(rate), params, grads,
                          weight_mask))
