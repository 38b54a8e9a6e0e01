"""What an optimizer is doing to each layer, read from its public state (``Optimizer.state()``,
``t``, ``config``): the numbers behind the Optimizer tab of Weights & gradients.

Per layer (all its trainable parameters together):

- ``velocity_norm``: ||v|| of momentum's velocity (v <- rho v + lr g, in weight units), or for
  Adam ||m-hat|| of its bias-corrected first moment; NaN for SGD and RMSProp, which keep none.
- ``sqrt_v``: quantiles (``QUANTILES``) of sqrt(v-hat) per weight, the denominator Adam divides
  by (AMSGrad: of its running maximum; RMSProp: sqrt(s), which has no bias correction); None for
  SGD and momentum.
- ``step``: quantiles of |the step each weight took| in the latest update, exactly what the
  kernel subtracted: lr g (SGD), v (momentum), lr g / (sqrt(s) + eps) (RMSProp),
  lr m-hat / (sqrt(v-hat) + eps) (Adam).
- ``update_ratio``: ||step|| / ||theta||; practitioners aim for about 1e-3 (far below: the layer
  hardly learns; far above: it is thrown about).

Adam's late jumps on a solved problem show here: the gradients fade, v shrinks faster than m
(beta2 = 0.999 forgets more slowly, but squares are tiny), sqrt(v-hat) falls by decades, and
m-hat / sqrt(v-hat) — the step — grows back towards lr.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
SAMPLE = 20_000         #: quantiles of bigger layers are read from an even sample of this many


@dataclass
class LayerStats:
    velocity_norm: float
    sqrt_v: tuple[float, ...] | None
    step: tuple[float, ...]
    update_norm: float
    weight_norm: float

    @property
    def update_ratio(self) -> float:
        return self.update_norm / self.weight_norm if self.weight_norm > 0 else float("nan")


def layer_slices(network) -> dict[str, slice]:
    """Layer id -> its part of the flat parameter buffer (the layers that have parameters)."""
    slices: dict[str, slice] = {}
    offset = 0
    for key, p in network.parameters().items():
        layer = key.rsplit(".", 1)[0]
        start = slices[layer].start if layer in slices else offset
        offset += p.size
        slices[layer] = slice(start, offset)
    return slices


def _flat(optimizer, name: str) -> dict[str, np.ndarray]:
    return {slot: a.reshape(-1) for slot, a in optimizer.state()[name].items()}


def _adam_corrections(optimizer) -> tuple[float, float]:
    b1, b2 = optimizer.config["betas"]
    t = float(optimizer.t)
    return 1.0 - float(b1) ** t, 1.0 - float(b2) ** t


def sqrt_v_hat(optimizer, name: str = "all") -> np.ndarray | None:
    """sqrt(v-hat) per weight (RMSProp: sqrt(s)); None for SGD and momentum or before a step."""
    if optimizer.t == 0 or optimizer.name not in ("rmsprop", "adam"):
        return None
    state = _flat(optimizer, name)
    if optimizer.name == "rmsprop":
        return np.sqrt(state["square_avg"].astype(np.float64))
    _, bc2 = _adam_corrections(optimizer)
    v = state["max_exp_avg_sq"] if optimizer.config["amsgrad"] else state["exp_avg_sq"]
    return np.sqrt(v.astype(np.float64) / bc2)


def first_moment(optimizer, name: str = "all") -> np.ndarray | None:
    """Momentum's velocity v, or Adam's m-hat = m / (1 - beta1^t); None for the others."""
    if optimizer.t == 0:
        return None
    state = _flat(optimizer, name)
    if optimizer.name == "momentum":
        return state["velocity"].astype(np.float64)
    if optimizer.name == "adam":
        bc1, _ = _adam_corrections(optimizer)
        return state["exp_avg"].astype(np.float64) / bc1
    return None


def latest_step(optimizer, gradient: np.ndarray | None, name: str = "all") -> np.ndarray | None:
    """The step the latest update subtracted from each weight, from the optimizer's state (and,
    for SGD and RMSProp, which keep no copy of it, the gradient that step used)."""
    if optimizer.t == 0:
        return None
    lr = optimizer.lr
    kind = optimizer.name
    if kind == "momentum":
        return first_moment(optimizer, name)
    eps = float(optimizer.config.get("eps", 0.0))
    if kind == "adam":
        return lr * first_moment(optimizer, name) / (sqrt_v_hat(optimizer, name) + eps)
    if gradient is None:
        return None
    g = np.asarray(gradient, np.float64).reshape(-1)
    if kind == "rmsprop":
        return lr * g / (sqrt_v_hat(optimizer, name) + eps)
    return lr * g


def _quantiles(values: np.ndarray) -> tuple[float, ...]:
    if values.size > SAMPLE:
        values = values[::-(-values.size // SAMPLE)]
    return tuple(float(q) for q in np.quantile(values, QUANTILES))


def summarize(optimizer, network) -> dict[str, LayerStats]:
    """Layer id -> ``LayerStats`` for an optimizer over ``{"all": network.flat_params}`` (as the
    Trainer builds it); empty before the first step. Frozen layers' steps count as zero (the
    trainer puts their weights back)."""
    if optimizer.t == 0 or "all" not in optimizer.params:
        return {}
    step = latest_step(optimizer, network.flat_grads)
    if step is None:
        return {}
    if network.any_frozen:
        step = np.where(network.frozen_mask, 0.0, step)
    root = sqrt_v_hat(optimizer)
    moment = first_moment(optimizer)
    theta = network.flat_params.astype(np.float64)
    out = {}
    with np.errstate(over="ignore", invalid="ignore"):
        for layer, part in layer_slices(network).items():
            s, w = step[part], theta[part]
            out[layer] = LayerStats(
                velocity_norm=float(np.linalg.norm(moment[part])) if moment is not None
                else float("nan"),
                sqrt_v=_quantiles(root[part]) if root is not None else None,
                step=_quantiles(np.abs(s)),
                update_norm=float(np.linalg.norm(s)),
                weight_norm=float(np.linalg.norm(w)))
    return out
