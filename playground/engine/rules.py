"""The classic learning rules of the notes, for a single dense layer with one output unit.

- perceptron (1.3.2):  y_hat = step(x.w + b);  e = y - y_hat;  w <- w + eta e x   (mistakes counted)
- ADALINE (1.4.2, Widrow-Hoff):  z = x.w + b;  w <- w + eta (y - z) x
- ADALINE unit-norm:  w <- w + eta (y - z) x / ||x||
Updates happen after every sample, in the order the trainer shuffled them. ADALINE regresses z
on targets mapped to {-1, +1}, so the step function at 0 classifies its output.

What each rule's curve shows (``loss``): the perceptron, the share of examples it gets wrong (its
mistakes per epoch are recorded too); ADALINE, the mean squared error of z against -1/+1, which is
what the rule minimises (the thresholded output's error would read 0 once the classes separate).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

RULE_NAMES = ("perceptron", "adaline", "adaline_normalized")


@njit(nogil=True, cache=True)
def _apply_rule(rule, x, y, w, b, eta):
    """Run the rule over the rows of x in order; returns (mistakes, sum of squared errors).

    rule: 0 perceptron, 1 adaline, 2 adaline unit-norm. w: (1, d) weights, b: (1,) bias.
    """
    mistakes = 0
    sse = 0.0
    d = x.shape[1]
    for i in range(x.shape[0]):
        z = b[0]
        for j in range(d):
            z += w[0, j] * x[i, j]
        y_hat = 1.0 if z >= 0 else 0.0
        if rule == 0:
            err = y[i] - y_hat
            if err != 0.0:
                mistakes += 1
            sse += err * err
            scale = eta * err
        else:
            target = 2.0 * y[i] - 1.0
            err = target - z
            if y_hat != y[i]:
                mistakes += 1
            sse += err * err
            scale = eta * err
            if rule == 2:
                norm = 0.0
                for j in range(d):
                    norm += x[i, j] * x[i, j]
                norm = math.sqrt(norm)  # ||x|| over the m features, as the notes write it
                if norm > 0.0:
                    scale /= norm
        for j in range(d):
            w[0, j] += scale * x[i, j]
        b[0] += scale
    return mistakes, sse


def check_network(net) -> str | None:
    """None if the classic rules can train ``net``, else the reason in plain words."""
    dense = [layer for layer in net.layers if layer.type_name == "dense"]
    if len(net.layers) != 1 or len(dense) != 1 or net.input_shape.__len__() != 1:
        return ("the perceptron and ADALINE rules train a single dense layer; "
                f"this network has {len(net.layers)} layers")
    if dense[0].out_shape != (1,):
        return "the perceptron and ADALINE rules train one output unit (binary classification)"
    if not dense[0].use_bias:
        return "the perceptron and ADALINE rules need the layer's bias"
    return None


def apply(rule: str, net, x: np.ndarray, labels: np.ndarray, eta: float) -> tuple[int, float]:
    """Run the rule over the batch. The rules have no gradient: the network's gradient buffers
    hold the update instead, delta w = w after - w before (what Weights & gradients draws for a
    rule, titled so)."""
    layer = net.layers[0]
    code = RULE_NAMES.index(rule)
    y = labels.astype(net.dtype).reshape(-1)
    w, b = layer.params["weight"], layer.params["bias"]
    before_w, before_b = w.copy(), b.copy()
    result = _apply_rule(code, x, y, w, b, float(eta))
    grads = net.gradients()
    for name, now, before in (("weight", w, before_w), ("bias", b, before_b)):
        buffer = grads.get(f"{layer.id}.{name}")
        if buffer is not None:
            np.subtract(now, before, out=buffer)
    return result


def net_input(net, x: np.ndarray) -> np.ndarray:
    """z = x.w + b of the single unit, (N, 1), whatever the layer's activation."""
    layer = net.layers[0]
    return np.asarray(x, np.float64) @ layer.params["weight"].T.astype(np.float64) \
        + layer.params["bias"].astype(np.float64)


def loss(rule: str, z: np.ndarray, pred: np.ndarray, labels: np.ndarray) -> float:
    """The rule's loss on a data set: the perceptron's error rate, ADALINE's MSE on z vs -1/+1."""
    labels = np.asarray(labels, dtype=np.float64).reshape(-1)
    if rule == "perceptron":
        return float(np.mean(pred.reshape(-1) != labels))
    err = (2.0 * labels - 1.0) - np.asarray(z, dtype=np.float64).reshape(-1)
    return float(np.mean(err * err))


def norm_stats(x: np.ndarray) -> dict[str, float]:
    """||x|| over the training examples (the unit-norm ADALINE divides each step by it)."""
    norms = np.sqrt(np.einsum("ij,ij->i", x.astype(np.float64), x.astype(np.float64)))
    return {"x_norm_min": float(norms.min()), "x_norm_mean": float(norms.mean()),
            "x_norm_max": float(norms.max())}
