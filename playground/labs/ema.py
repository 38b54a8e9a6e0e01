"""Exponentially weighted moving averages (notes 2.1), as momentum and Adam use them (2.2).

    v_0 = 0,  v_t = beta v_(t-1) + (1 - beta) x_t,  bias-corrected v_t / (1 - beta^t)

The notes' 2.1 writes the weight on the other term (beta on the new value); this is the form of
2.2.3 (Adam's m and v), where beta near 1 means a long memory: the average is roughly over the
last 1 / (1 - beta) values (those carry 1 - 1/e, about 63 %, of the weight). Starting from
v_0 = 0 pulls the early averages towards 0; dividing by 1 - beta^t removes that bias exactly
(the weights of the first t values then sum to 1).
"""
from __future__ import annotations

import numpy as np


def ema(series, beta: float, bias_correction: bool = True) -> np.ndarray:
    """The EMA of ``series`` after each value, with or without Adam's bias correction."""
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be at least 0 and below 1, not {beta!r}")
    x = np.asarray(series, np.float64).reshape(-1)
    out = np.empty_like(x)
    v = 0.0
    for t, value in enumerate(x, start=1):
        v = beta * v + (1 - beta) * value
        out[t - 1] = v / (1 - beta ** t) if bias_correction else v
    return out


def window(beta: float) -> float:
    """How many recent values the EMA roughly averages: 1 / (1 - beta)."""
    return 1.0 / (1.0 - beta)


def noisy_series(n: int = 200, noise: float = 1.0, seed: int = 0) -> np.ndarray:
    """A slow wave plus Gaussian noise (a daily temperature, a mini-batch gradient), from ``seed``."""
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    return 10 + 5 * np.sin(2 * np.pi * t / 120) + noise * rng.standard_normal(n)
