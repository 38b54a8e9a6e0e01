"""Fully connected layer: z = x W^T + b, y = g(z) (notes section 1.2.2)."""
from __future__ import annotations

import numpy as np

from .base import register
from .common import WeightedLayer


@register
class Dense(WeightedLayer):
    """``units`` outputs, each a weighted sum of every input; weight has PyTorch's shape (out, in)."""

    type_name = "dense"
    defaults = {"units": None, "activation": "identity", "init": "auto", "bias": True,
                "alpha": 0.1}

    def _build(self, context: dict) -> None:
        self._check_common()
        self.need_rank(1, "a flat")
        units = self.int_field("units")
        self.out_shape = (units,)
        self.param_shapes = {"weight": (units, self.in_shape[0])}
        if self.use_bias:
            self.param_shapes["bias"] = (units,)

    @property
    def fan_in(self) -> int:
        return self.in_shape[0]

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.input = x
        z = x @ self.params["weight"].T
        if self.use_bias:
            z += self.params["bias"]
        return self.activate(z)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        dz = self.grad_pre_activation(dy)
        np.dot(dz.T, self.input, out=self.grads["weight"])
        if self.use_bias:
            dz.sum(axis=0, out=self.grads["bias"])
        return dz @ self.params["weight"]
