"""1-D functions for the universal approximation demo: y = f(x) on a fixed interval.

x is uniform on [-6, 6] (the same span as the 2-D square); every target lies in [-1, 1] before
noise. Noise adds Gaussian noise of standard deviation ``noise`` to the target.
"""
from __future__ import annotations

import numpy as np

INTERVAL = (-6.0, 6.0)


def _sawtooth(x):
    return 2 * ((x / 3) % 1.0) - 1                 # period 3, rising from -1 to 1


FUNCTIONS = {
    "sine": (lambda x: np.sin(x), "sin(x)"),
    "abs": (lambda x: np.abs(x) / 6, "|x| / 6"),
    "step": (lambda x: np.where(x >= 0, 1.0, -1.0), "step: -1 left of 0, +1 right"),
    "sawtooth": (_sawtooth, "sawtooth of period 3"),
    "x_sin_x": (lambda x: x * np.sin(x) / 5, "x sin(x) / 5"),
}


def sample(name: str, n: int, noise: float, rng: np.random.Generator):
    """n points (n, 1) and targets (n, 1), float64."""
    f = FUNCTIONS[name][0]
    x = rng.uniform(*INTERVAL, n)
    y = f(x) + rng.normal(0, noise, n) if noise > 0 else f(x)
    return x[:, None], np.asarray(y, dtype=np.float64)[:, None]


def curve(name: str, resolution: int = 200):
    """The noiseless function on an even grid over the interval, for drawing the target."""
    x = np.linspace(*INTERVAL, resolution)
    return x, FUNCTIONS[name][0](x)
