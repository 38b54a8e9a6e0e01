"""Pieces shared by the layers that carry weights: the activation and init fields."""
from __future__ import annotations

import numbers

import numpy as np

from .. import activations, init
from .base import Layer


class WeightedLayer(Layer):
    """A layer with ``weight`` (+ optional ``bias``) and a built-in activation.

    Subclasses set ``param_shapes`` in ``_build`` after calling ``_check_common`` and define
    ``fan_in``. ``output`` is g(z), ``pre_activation`` is z.
    """

    def _check_common(self) -> None:
        act = self.config.get("activation", "identity")
        msg = activations.check_name(act)
        if msg:
            raise self.error(msg, "activation")
        msg = init.check_name(self.config.get("init", "auto"))
        if msg:
            raise self.error(msg, "init")
        if not isinstance(self.config.get("bias", True), bool):
            raise self.error("'bias' must be true or false", "bias")
        self.activation = act
        self.alpha = activation_param(self, act, "alpha")
        self.use_bias = bool(self.config.get("bias", True))

    @property
    def fan_in(self) -> int:
        raise NotImplementedError

    @property
    def init_name(self) -> str:
        return init.resolve(self.config.get("init", "auto"), self.activation)

    def init_params(self, rng: np.random.Generator) -> None:
        init.fill(self.params["weight"], self.init_name, self.fan_in, rng)
        if "bias" in self.params:
            self.params["bias"][...] = 0

    def activate(self, z: np.ndarray) -> np.ndarray:
        self.pre_activation = z
        self.output = activations.forward(self.activation, z, self.alpha)
        return self.output

    def grad_pre_activation(self, dy: np.ndarray) -> np.ndarray:
        return activations.backward(self.activation, self.output, dy, self.alpha,
                                    self.pre_activation)


def activation_param(layer: Layer, act: str, field: str) -> float:
    """The activation's parameter from ``layer.config[field]``: its default when unset (None),
    checked against the activation's range when it takes one (leaky ReLU: alpha in [0, 1]),
    else only required to be a number. Raises the layer's SpecError naming the field."""
    value = layer.config.get(field)
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
        raise layer.error(f"'{field}' must be a number, not {value!r}", field)
    try:
        return activations.param_value(act, value)
    except ValueError as exc:
        raise layer.error(str(exc), field) from None
