"""Layers without weights that reshape, gate or drop: flatten, reshape, activation, dropout."""
from __future__ import annotations

import numpy as np

from .. import activations
from .base import Layer, register, shape_text


@register
class Flatten(Layer):
    """[C, H, W] -> [C*H*W], so dense layers can follow convolutions."""

    type_name = "flatten"
    defaults: dict = {}

    def _build(self, context: dict) -> None:
        self.out_shape = (int(np.prod(self.in_shape)),)

    def forward(self, x, training=False):
        self.output = x.reshape(x.shape[0], -1)
        return self.output

    def backward(self, dy):
        return dy.reshape((dy.shape[0],) + self.in_shape)


@register
class Reshape(Layer):
    """Any shape with the same number of values; one entry may be -1 (inferred)."""

    type_name = "reshape"
    defaults = {"shape": None}

    def _build(self, context: dict) -> None:
        shape = self.config["shape"]
        if not isinstance(shape, (list, tuple)) or not shape or not all(
                isinstance(s, int) and not isinstance(s, bool) and (s > 0 or s == -1) for s in shape):
            raise self.error(f"'shape' must be a list of positive whole numbers, not {shape!r}",
                             "shape")
        total = int(np.prod(self.in_shape))
        known = int(np.prod([s for s in shape if s != -1]))
        if list(shape).count(-1) > 1:
            raise self.error("'shape' may contain -1 only once", "shape")
        if -1 in shape:
            if total % known:
                raise self.error(f"cannot reshape {shape_text(self.in_shape)} ({total} values) "
                                 f"to {shape}", "shape")
            shape = [total // known if s == -1 else s for s in shape]
        if int(np.prod(shape)) != total:
            raise self.error(f"cannot reshape {shape_text(self.in_shape)} ({total} values) into "
                             f"{shape_text(tuple(shape))} ({int(np.prod(shape))} values)", "shape")
        self.out_shape = tuple(int(s) for s in shape)

    def forward(self, x, training=False):
        self.output = x.reshape((x.shape[0],) + self.out_shape)
        return self.output

    def backward(self, dy):
        return dy.reshape((dy.shape[0],) + self.in_shape)


@register
class Activation(Layer):
    """An activation function on its own, applied elementwise (softmax: over axis 1)."""

    type_name = "activation"
    defaults = {"function": None, "alpha": 0.1}

    def _build(self, context: dict) -> None:
        msg = activations.check_name(self.config["function"])
        if msg:
            raise self.error(msg, "function")
        self.alpha = self.float_field("alpha", 0.0, 1.0)

    def forward(self, x, training=False):
        self.output = activations.forward(self.config["function"], x, self.alpha)
        return self.output

    def backward(self, dy):
        return activations.backward(self.config["function"], self.output, dy, self.alpha)


@register
class Dropout(Layer):
    """While training, zero each value with probability ``rate`` and scale the rest by 1/(1-rate)
    (inverted dropout, as PyTorch), so nothing changes at test time."""

    type_name = "dropout"
    defaults = {"rate": 0.5}

    def _build(self, context: dict) -> None:
        self.rate = self.float_field("rate", 0.0, 0.99)
        self.rng = context["rng"]
        self.mask = None

    def forward(self, x, training=False):
        if not training or self.rate == 0:
            self.mask = None
            self.output = x
            return x
        keep = (self.rng.random(x.shape) >= self.rate).astype(x.dtype)
        self.mask = keep / x.dtype.type(1.0 - self.rate)
        self.output = x * self.mask
        return self.output

    def backward(self, dy):
        return dy if self.mask is None else dy * self.mask
