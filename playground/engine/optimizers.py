"""Optimizers in the order of chapter 2 of the notes: SGD, momentum, RMSProp, Adam.

Each update is one numba kernel over a parameter array and its gradient (the network keeps all its
parameters in one flat buffer, so a step is one call).

- SGD:       theta <- theta - lr g
- momentum:  v <- rho v + lr g;  theta <- theta - v          (notes 2.2.1; equals PyTorch's SGD with
                                                              momentum=rho while lr is constant)
- RMSProp:   s <- alpha s + (1 - alpha) g^2;  theta <- theta - lr g / (sqrt(s) + eps)
- Adam:      the notes' pseudocode (figure 2.1), i.e. torch.optim.Adam: maximize, weight decay
             g <- g + lambda theta, moments m and v, bias corrections, AMSGrad. For AMSGrad the
             running maximum is kept of v (PyTorch's implementation) rather than of v-hat as the
             pseudocode prints it: the two differ only by when the bias correction is applied.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .settings import OPTIMIZER_DEFAULTS


@njit(nogil=True, cache=True)
def _sgd(p, g, lr):
    for i in range(p.size):
        p[i] -= lr * g[i]


@njit(nogil=True, cache=True)
def _momentum(p, g, v, lr, rho):
    for i in range(p.size):
        v[i] = rho * v[i] + lr * g[i]
        p[i] -= v[i]


@njit(nogil=True, cache=True)
def _rmsprop(p, g, s, lr, alpha, eps):
    for i in range(p.size):
        s[i] = alpha * s[i] + (1.0 - alpha) * g[i] * g[i]
        p[i] -= lr * g[i] / (math.sqrt(s[i]) + eps)


@njit(nogil=True, cache=True)
def _adam(p, g, m, v, vmax, t, lr, b1, b2, eps, wd, amsgrad, maximize):
    bc1 = 1.0 - b1 ** t
    bc2_sqrt = math.sqrt(1.0 - b2 ** t)
    step = lr / bc1
    for i in range(p.size):
        gi = -g[i] if maximize else g[i]
        if wd != 0.0:
            gi += wd * p[i]
        m[i] = b1 * m[i] + (1.0 - b1) * gi
        v[i] = b2 * v[i] + (1.0 - b2) * gi * gi
        if amsgrad:
            if v[i] > vmax[i]:
                vmax[i] = v[i]
            denom = math.sqrt(vmax[i]) / bc2_sqrt + eps
        else:
            denom = math.sqrt(v[i]) / bc2_sqrt + eps
        p[i] -= step * m[i] / denom


class Optimizer:
    """Updates the live arrays in ``params`` from gradients of the same names and shapes.

    ``lr`` may change between steps (the app's live learning rate). ``state()`` exposes the
    internals (velocities, moments) for the optimizer views.
    """

    name = ""
    slots: tuple[str, ...] = ()

    def __init__(self, config: dict, params: dict[str, np.ndarray]):
        self.config = {**OPTIMIZER_DEFAULTS[self.name], **{k: v for k, v in config.items()
                                                          if k != "type"}}
        unknown = set(self.config) - set(OPTIMIZER_DEFAULTS[self.name])
        if unknown:
            raise ValueError(f"{self.name} has no setting(s) {', '.join(sorted(unknown))}")
        self.params = params
        self.t = 0
        self._state = {name: {slot: np.zeros(p.size, p.dtype) for slot in self.slots}
                       for name, p in params.items()}

    @property
    def lr(self) -> float:
        return float(self.config["lr"])

    @lr.setter
    def lr(self, value: float) -> None:
        self.config["lr"] = float(value)

    def step(self, grads: dict[str, np.ndarray]) -> None:
        self.t += 1
        for name, p in self.params.items():
            self._update(p.reshape(-1), grads[name].reshape(-1), self._state[name])

    def state(self) -> dict[str, dict[str, np.ndarray]]:
        """name -> {slot -> array shaped like the parameter}."""
        return {name: {slot: arr.reshape(self.params[name].shape) for slot, arr in slots.items()}
                for name, slots in self._state.items()}


class SGD(Optimizer):
    name = "sgd"

    def _update(self, p, g, state):
        _sgd(p, g, p.dtype.type(self.lr))


class Momentum(Optimizer):
    name = "momentum"
    slots = ("velocity",)

    def _update(self, p, g, state):
        _momentum(p, g, state["velocity"], p.dtype.type(self.lr), p.dtype.type(self.config["rho"]))


class RMSProp(Optimizer):
    name = "rmsprop"
    slots = ("square_avg",)

    def _update(self, p, g, state):
        c = self.config
        _rmsprop(p, g, state["square_avg"], p.dtype.type(self.lr), p.dtype.type(c["alpha"]),
                 p.dtype.type(c["eps"]))


class Adam(Optimizer):
    name = "adam"
    slots = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")

    def _update(self, p, g, state):
        c = self.config
        b1, b2 = c["betas"]
        # Scalars as float64: b2 ** t loses precision in float32 long before training ends.
        _adam(p, g, state["exp_avg"], state["exp_avg_sq"], state["max_exp_avg_sq"], float(self.t),
              float(self.lr), float(b1), float(b2), float(c["eps"]), float(c["weight_decay"]),
              bool(c["amsgrad"]), bool(c["maximize"]))


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, RMSProp, Adam)}


def make_optimizer(config: dict, params: dict[str, np.ndarray]) -> Optimizer:
    """``make_optimizer({"type": "adam", "lr": 1e-3}, net.parameters())``."""
    kind = config.get("type")
    if kind not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {kind!r}; choose one of {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[kind](config, params)
