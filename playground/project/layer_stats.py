"""Per-layer histograms of activations and of weight gradients on a probe batch (notes 1.9).

Vanishing gradients show as each earlier layer's gradients sitting decades lower than the next
one's; exploding ones as the reverse; saturated tanh units as activations piled up at -1 and +1;
an all-zero start as every hidden activation at exactly 0. Gradients are binned by log10 of
their size, so layers many decades apart fit one axis.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine.losses import make_loss

BINS = 24
#: log10 |gradient| from 1e-12 to 1e+2 (smaller values, zeros included, go in the first bin)
GRAD_RANGE = (-12.0, 2.0)
PROBE = 256


@dataclass
class LayerStats:
    """For each layer (in order): ``ids``; ``act_hist`` (layers, BINS) counts of activation
    values over ``act_edges``; ``grad_hist`` (layers, BINS) counts of log10 |dJ/dW| over
    ``grad_edges``; ``grad_rms`` the root mean square of each layer's weight gradient."""

    ids: list[str]
    act_edges: np.ndarray
    act_hist: np.ndarray
    grad_edges: np.ndarray
    grad_hist: np.ndarray
    grad_rms: np.ndarray


def measure(trainer) -> LayerStats:
    """Forward and backward on the first PROBE training examples (weights unchanged; the
    gradient buffer is overwritten, which the next step refills anyway)."""
    net = trainer.net
    x = trainer.x_train[:PROBE]
    y = trainer.y_train[:PROBE]
    loss = make_loss(trainer.loss_name)
    with np.errstate(all="ignore"):
        out = net.forward(x, training=False)
        loss.forward(out, y)
        net.backward(loss.backward(), input_grad=False)
    layers = [layer for layer in net.layers if f"{layer.id}.weight" in net.parameters()]
    acts = net.activations()
    grads = net.gradients()
    values = [np.asarray(acts[layer.id], np.float64).reshape(-1) for layer in layers]
    top = max((float(np.nanmax(np.abs(v))) for v in values if v.size), default=1.0)
    top = 1.0 if not np.isfinite(top) or top <= 0 else min(top, 1e6)
    act_edges = np.linspace(-top, top, BINS + 1)
    grad_edges = np.linspace(*GRAD_RANGE, BINS + 1)
    act_hist = np.zeros((len(layers), BINS))
    grad_hist = np.zeros((len(layers), BINS))
    rms = np.zeros(len(layers))
    for i, layer in enumerate(layers):
        v = values[i][np.isfinite(values[i])]
        act_hist[i] = np.histogram(np.clip(v, -top, top), act_edges)[0]
        g = np.abs(np.asarray(grads[f"{layer.id}.weight"], np.float64).reshape(-1))
        g = g[np.isfinite(g)]
        with np.errstate(divide="ignore"):
            logs = np.clip(np.log10(np.maximum(g, 1e-300)), *GRAD_RANGE)
        grad_hist[i] = np.histogram(logs, grad_edges)[0]
        rms[i] = float(np.sqrt(np.mean(g * g))) if g.size else 0.0
    return LayerStats([layer.id for layer in layers], act_edges, act_hist, grad_edges, grad_hist, rms)
