"""Fully connected layer: z = x W^T + b, y = g(z) (notes section 1.2.2)."""
from __future__ import annotations

import numpy as np

from . import fields as F
from .base import register
from .fields import FieldSpec
from .common import WeightedLayer


@register
class Dense(WeightedLayer):
    """``units`` outputs, each a weighted sum of every input; weight has PyTorch's shape (out, in)."""

    type_name = "dense"
    example = ([3], [{"type": "dense", "units": 4, "activation": "tanh"}])
    defaults = {"units": None, "activation": "identity", "init": "auto", "bias": True,
                "alpha": None}
    title, group, family = "Dense", "Dense", "dense"
    palette_defaults = {"units": 8, "activation": "tanh"}
    fields = (FieldSpec("units", "Units", "int", 1, 4096), F.ACTIVATION, F.INIT, F.BIAS, F.ALPHA,
              F.TRAINABLE)
    help = ("Every unit takes a weighted sum of all its inputs, adds a bias and applies the "
            "activation g.", "z = W x + b,   y = g(z)\nparameters: units × (inputs + 1)")
    glyph = tuple(("line", 8, y1, 20, y2, False) for y1 in (8, 14, 20) for y2 in (10, 18)) + tuple(
        ("dot", x, y, 2.2, False) for x, y in ((8, 8), (8, 14), (8, 20), (20, 10), (20, 18)))

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

    def export_torch(self, w, name):
        w.module(self, name, f"nn.Linear({self.in_shape[0]}, {self.out_shape[0]}, "
                             f"bias={self.use_bias})")
        w.activation(self)

    def export_onnx(self, g):
        g.node("Gemm", g.weighted(self), self.id, transB=1)
        g.activation(self.activation, self.alpha, self.id)
