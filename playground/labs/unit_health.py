"""Saturated and dead units on a probe batch (notes 1.2.1 and 1.9), for the activation explorer.

For every layer with an activation, on a probe batch of inputs:

- ``saturated``: the fraction of units whose slope is flat, |f'(z)| < ``SLOPE``, on most
  (more than ``MOST`` of) the inputs: sigmoid and tanh units pushed into their tails, where
  backprop multiplies the error by almost nothing;
- ``dead``: the fraction of ReLU units with z <= 0 on every input of the batch: they output 0
  and their gradient is 0, so nothing ever changes them again.

A unit is one output of a dense layer, or one channel (filter) of a convolution, counted over
every position of every input. ``z`` is a sample of the layer's pre-activations (for the
histogram drawn behind f and f').
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import activations

SLOPE = 0.05           #: |f'(z)| below this is "saturated"
MOST = 0.5             #: saturated on more than this fraction of the probe inputs
SATURATING = ("sigmoid", "tanh")
DYING = ("relu",)
PROBE = 256            #: rows of vector data in the probe batch
PROBE_IMAGES = 16      #: images in the probe batch
Z_SAMPLE = 4000        #: pre-activations kept per layer for the histogram


@dataclass
class LayerHealth:
    activation: str
    alpha: float | None
    units: int
    saturated: float | None     # None: not a saturating activation
    dead: float | None          # None: not a ReLU
    z: np.ndarray               # a sample of the pre-activations


def probe_batch(x: np.ndarray) -> np.ndarray:
    """An even sample of the training inputs: ``PROBE`` rows (``PROBE_IMAGES`` images)."""
    x = np.asarray(x)
    size = PROBE if x.ndim == 2 else PROBE_IMAGES
    return x[::max(1, len(x) // size)][:size]


def _pre_activation(layer) -> np.ndarray | None:
    """z of the last forward pass. A convolution that fused its activation into the kernel
    keeps only y = f(z): z is read back where f can be inverted (ReLU's negatives read as 0)."""
    z = getattr(layer, "pre_activation", None)
    if layer.type_name == "activation":
        z = layer.input
    if z is not None:
        return np.asarray(z, np.float64)
    y = getattr(layer, "output", None)
    if y is None:
        return None
    y = np.asarray(y, np.float64)
    name = layer.activation
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "tanh":
            return np.arctanh(np.clip(y, -1 + 1e-12, 1 - 1e-12))
        if name == "sigmoid":
            y = np.clip(y, 1e-12, 1 - 1e-12)
            return np.log(y / (1 - y))
        if name == "leaky_relu" and layer.alpha:
            return np.where(y > 0, y, y / layer.alpha)
    return y


def _by_unit(a: np.ndarray) -> np.ndarray:
    """(units, values): a dense layer's (N, units) or a convolution's (N, C, H, W) per channel."""
    if a.ndim == 2:
        return a.T
    return np.moveaxis(a, 1, 0).reshape(a.shape[1], -1)


def unit_health(network, x: np.ndarray) -> dict[str, LayerHealth]:
    """Layer id -> ``LayerHealth`` on the inputs ``x`` (one forward pass, inference mode)."""
    network.forward(np.ascontiguousarray(x, network.dtype))
    out = {}
    for layer in network.layers:
        name = getattr(layer, "activation", None)
        if name is None or name == "softmax" or layer.output is None:
            continue
        z = _pre_activation(layer)
        if z is None:
            continue
        units = _by_unit(z)
        saturated = dead = None
        if name in SATURATING:
            y = np.asarray(layer.output, np.float64)
            slope = np.abs(activations.backward(name, y, np.ones_like(y), layer.alpha, x=z))
            flat = (_by_unit(slope) < SLOPE).mean(axis=1)
            saturated = float((flat > MOST).mean())
        if name in DYING:
            dead = float((units <= 0).all(axis=1).mean())
        sample = z.reshape(-1)
        if sample.size > Z_SAMPLE:
            sample = sample[::-(-sample.size // Z_SAMPLE)]
        out[layer.id] = LayerHealth(name, layer.alpha, len(units), saturated, dead,
                                    sample.astype(np.float32))
    return out
