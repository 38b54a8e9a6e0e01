"""Layers without weights that reshape, gate or drop: flatten, reshape, activation, dropout."""
from __future__ import annotations

import numpy as np

from .. import activations
from .base import Layer, register, shape_text
from . import fields as F
from .common import activation_param
from .fields import FieldSpec


@register
class Flatten(Layer):
    """[C, H, W] -> [C*H*W], so dense layers can follow convolutions."""

    type_name = "flatten"
    example = ([2, 3, 3], [{"type": "flatten"}])
    defaults: dict = {}
    title, group, family = "Flatten", "Shape", "shape"
    help = ("Lays an image [C, H, W] out as one long vector so dense layers can follow.",
            "C × H × W values in a row")
    glyph = (("grid", 2, 8, 4, 10, ()), ("grid", 1, 4, 16, 5, (0,)),
             ("rect", 16, 10, 4, 4, False), ("rect", 16, 15, 4, 4, False),
             ("rect", 16, 20, 4, 4, False))

    def export_torch(self, w, name):
        w.forward.append(f"x = x.flatten(1)  # {w.label(self)}")

    def export_onnx(self, g):
        g.node("Flatten", [g.x], self.id, axis=1)

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
    example = ([6], [{"type": "reshape", "shape": [2, 3]}])
    defaults = {"shape": None}
    title, group, family = "Reshape", "Shape", "shape"
    palette_defaults = {"shape": [-1]}
    fields = (FieldSpec("shape", "Shape", "shape"),)
    help = ("Arranges the same values into a new shape; -1 means ‘whatever fits’.",
            "same number of values before and after")
    glyph = tuple(("rect", 5, y, 4, 4, False) for y in (5, 10, 15, 20)) + (
        ("line", 11, 14, 14, 14, False), ("grid", 2, 8, 16, 10, ()))

    def export_torch(self, w, name):
        dims = ", ".join(str(s) for s in self.out_shape)
        w.forward.append(f"x = x.reshape(x.shape[0], {dims})  # {w.safe(self.id)}")

    def export_onnx(self, g):
        shape = g.constant(f"{self.id}/shape", np.array((-1,) + self.out_shape, np.int64))
        g.node("Reshape", [g.x, shape], self.id)

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
    example = ([3], [{"type": "activation", "function": "leaky_relu", "alpha": 0.2}])
    defaults = {"function": None, "alpha": None}
    title, group, family, id_prefix = "Activation", "Dense", "activation", "act"
    palette_defaults = {"function": "relu"}
    fields = (FieldSpec("function", "Function", "choice", options=F.ACTIVATION.options), F.ALPHA)
    help = ("Applies an activation function to every value on its own.", "y = g(x)")
    glyph = (("curve", 5, 21, 13, 21, 15, 7, 23, 7),)

    def export_torch(self, w, name):
        code = w.activation_code(self.activation, self.alpha)
        label = w.safe(self.id)
        w.forward.append(f"x = {code}  # {label}" if code else f"# {label}: identity")

    def export_onnx(self, g):
        g.activation(self.activation, self.alpha, self.id)

    def _build(self, context: dict) -> None:
        msg = activations.check_name(self.config["function"])
        if msg:
            raise self.error(msg, "function")
        self.activation = self.config["function"]
        self.alpha = activation_param(self, self.activation, "alpha")

    def forward(self, x, training=False):
        self.input = x
        self.output = activations.forward(self.activation, x, self.alpha)
        return self.output

    def backward(self, dy):
        return activations.backward(self.activation, self.output, dy, self.alpha, self.input)


@register
class Dropout(Layer):
    """While training, zero each value with probability ``rate`` and scale the rest by 1/(1-rate)
    (inverted dropout, as PyTorch), so nothing changes at test time."""

    type_name = "dropout"
    example = ([4], [{"type": "dropout", "rate": 0.3}])
    defaults = {"rate": 0.5}
    title, group, family = "Dropout", "Regularization", "regularization"
    palette_defaults = {"rate": 0.5}
    fields = (FieldSpec("rate", "Drop rate", "float", 0.0, 0.95, 0.05, default=0.5),)
    help = ("While training, zeroes each value with probability p and scales the rest by "
            "1/(1 − p); does nothing at test time.", "y = x · mask / (1 − p)")
    glyph = tuple(("dot", x, y, 2.6, i % 2 == 0)
                  for i, (x, y) in enumerate((x, y) for y in (9, 19) for x in (8, 14, 20)))

    def export_torch(self, w, name):
        w.module(self, name, f"nn.Dropout(p={self.rate!r})")

    def export_onnx(self, g):
        """Nothing at inference: inverted dropout already scaled the training outputs."""

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
