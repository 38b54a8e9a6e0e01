"""Loss functions with PyTorch's mean reductions (DESIGN.md section 2; notes sections 1.5.3, 1.6.4).

- mse: mean over every element of (y - t)^2
- bce: -mean over every element of t log y + (1 - t) log(1 - y)    (logs clamped at -100, as PyTorch)
- cce: -sum over classes of t log y, averaged over the batch        (y is a softmax output)
- auto: chosen from the output activation, as the notes' table: sigmoid -> bce (binary and
  multi-label), softmax -> cce (multi-class), anything else -> mse (regression).
"""
from __future__ import annotations

import numpy as np

NAMES = ("auto", "mse", "bce", "cce")
FORMULAS = {
    "mse": "L = 1/n sum (y - t)^2",
    "bce": "L = -1/n sum [t log y + (1 - t) log(1 - y)]",
    "cce": "L = -1/N sum_i sum_k t_ik log y_ik",
}
_LOG_FLOOR = -100.0
_EPS = 1e-12


def auto_loss(output_activation: str) -> str:
    """The notes' table: binary / multi-label -> sigmoid + BCE, multi-class -> softmax + CCE,
    regression -> identity + MSE."""
    return {"sigmoid": "bce", "softmax": "cce"}.get(output_activation, "mse")


def as_target(y: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Bring targets to the output's shape: class labels (N,) become one-hot for a K-unit output,
    or a column for a 1-unit output."""
    target = np.asarray(target)
    if target.shape == y.shape:
        return target.astype(y.dtype, copy=False)
    if target.ndim == 1 and y.ndim == 2:
        if y.shape[1] == 1:
            return target.astype(y.dtype).reshape(-1, 1)
        onehot = np.zeros_like(y)
        onehot[np.arange(len(target)), target.astype(np.int64)] = 1
        return onehot
    return target.reshape(y.shape).astype(y.dtype, copy=False)


class Loss:
    """``forward(y, target)`` returns the loss and remembers what ``backward()`` needs: dL/dy."""

    name = ""

    def forward(self, y: np.ndarray, target: np.ndarray) -> float:
        self.y, self.t = y, as_target(y, target)
        return float(self._value())

    def __call__(self, y, target):
        return self.forward(y, target)


class MSE(Loss):
    name = "mse"

    def _value(self):
        d = self.y - self.t
        return np.mean(d * d, dtype=np.float64)

    def backward(self):
        return (self.y - self.t) * self.y.dtype.type(2.0 / self.y.size)


class BCE(Loss):
    name = "bce"

    def _value(self):
        with np.errstate(divide="ignore"):
            log_y = np.maximum(np.log(self.y), _LOG_FLOOR)
            log_1my = np.maximum(np.log(1 - self.y), _LOG_FLOOR)
        return -np.mean(self.t * log_y + (1 - self.t) * log_1my, dtype=np.float64)

    def backward(self):
        y = self.y
        # d/dy of -[t log y + (1-t) log(1-y)] = (y - t) / (y (1 - y)); PyTorch clamps the denominator.
        return (y - self.t) / np.maximum(y * (1 - y), y.dtype.type(_EPS)) / y.dtype.type(y.size)


class CCE(Loss):
    name = "cce"

    def _value(self):
        with np.errstate(divide="ignore"):
            log_y = np.maximum(np.log(self.y), _LOG_FLOOR)
        return -np.sum(self.t * log_y, dtype=np.float64) / len(self.y)

    def backward(self):
        y = self.y
        return -self.t / np.maximum(y, y.dtype.type(_EPS)) / y.dtype.type(len(y))


LOSSES = {"mse": MSE, "bce": BCE, "cce": CCE}


def make_loss(config: dict | str, output_activation: str = "identity") -> Loss:
    """``make_loss({"type": "cce"})``; "auto" picks from ``output_activation``."""
    kind = config if isinstance(config, str) else config.get("type", "auto")
    if kind == "auto":
        kind = auto_loss(output_activation)
    if kind not in LOSSES:
        raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(NAMES)}")
    return LOSSES[kind]()
