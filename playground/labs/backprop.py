"""One example's trip through backpropagation, layer by layer, with the engine's numbers (notes
1.2.3-1.2.4; issue 11 section 2).

    trace = backprop_trace(network, x, target, "auto")
    trace.layers[k].z, .y, .delta      # z = W x + b, y = g(z), delta = dL/dz = dL/dy * g'(z)
    trace.gradients["dense1.weight"]   # dL/dW = delta x^T, equal to Network.backward's

Every number comes from the network's own layers: ``forward`` and ``backward`` are called one
layer at a time on a batch of one. z is computed by a twin of each weighted layer whose activation
is the identity (the conv kernels apply ReLU inside and keep no z).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from ..engine import Network
from ..engine.layers.common import WeightedLayer
from .landscape import _loss


@dataclass
class LayerTrace:
    """One layer for one example (the batch axis dropped). ``z`` is None for layers without an
    activation (pooling, flatten). ``dy`` is dL/dy, ``delta`` dL/dz, ``dx`` dL/d(input)."""

    id: str
    type: str
    activation: str | None
    x: np.ndarray
    z: np.ndarray | None
    y: np.ndarray
    dy: np.ndarray | None = None
    delta: np.ndarray | None = None
    dx: np.ndarray | None = None
    gradients: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class BackpropTrace:
    x: np.ndarray
    target: np.ndarray
    output: np.ndarray
    loss: float
    loss_name: str
    layers: list[LayerTrace]
    #: "<id>.weight" / "<id>.bias" -> dL/d(parameter) for this one example
    gradients: dict[str, np.ndarray]


def _identity_twin(network: Network) -> Network:
    """The same network with every built-in activation set to the identity (same weights)."""
    spec = copy.deepcopy(network.spec)
    for layer in spec["layers"]:
        if "activation" in layer or layer["type"] in ("dense", "conv2d", "conv_transpose2d"):
            layer["activation"] = "identity"
    twin = Network.from_spec(spec, seed=0, dtype=network.dtype)
    np.copyto(twin.flat_params, network.flat_params)
    return twin


def _activation_of(layer) -> str | None:
    if isinstance(layer, WeightedLayer):
        return layer.activation
    if layer.type_name == "activation":
        return layer.config["function"]
    return None


def backprop_trace(network: Network, x, target, loss="auto") -> BackpropTrace:
    """Forward, loss and backward for the single example ``x`` (shaped as the network's input, or
    with a batch axis of 1) and its ``target`` (a class label, or the output's values).
    ``loss`` is a loss name ("auto" as training picks it) or a Loss. The network's parameters are
    untouched; its gradient buffer is restored afterwards.
    """
    x = np.asarray(x, network.dtype)
    if x.shape == network.input_shape:
        x = x[None]
    if x.shape[1:] != network.input_shape or len(x) != 1:
        raise ValueError(f"backprop_trace takes one example of shape "
                         f"{'x'.join(map(str, network.input_shape))}, not {x.shape}")
    target = np.asarray(target)
    batch_target = target.reshape((1,) + target.shape) if target.ndim else target.reshape(1)
    loss_fn = _loss(loss, network)
    twin = _identity_twin(network)
    saved_grads = network.flat_grads.copy()
    layers: list[LayerTrace] = []
    a = x
    for layer, plain in zip(network.layers, twin.layers):
        inp = a
        a = layer.forward(inp, training=False)
        act = _activation_of(layer)
        if isinstance(layer, WeightedLayer):
            z = plain.forward(inp, training=False)[0].copy()
        elif act is not None:
            z = inp[0].copy()
        else:
            z = None
        layers.append(LayerTrace(layer.id, layer.type_name, act, inp[0].copy(), z, a[0].copy()))
    output = a
    value = loss_fn.forward(output, batch_target)
    dy = loss_fn.backward()
    try:
        network.layers[0].need_input_grad = True
        for layer, rec in zip(reversed(network.layers), reversed(layers)):
            rec.dy = dy[0].copy()
            if isinstance(layer, WeightedLayer):
                rec.delta = layer.grad_pre_activation(np.ascontiguousarray(dy))[0].copy()
            dx = layer.backward(dy)
            rec.dx = dx[0].copy()
            if rec.activation is not None and rec.delta is None:   # an activation layer: z is x
                rec.delta = rec.dx
            rec.gradients = {f"{layer.id}.{name}": g.copy() for name, g in layer.grads.items()}
            dy = dx
    finally:
        np.copyto(network.flat_grads, saved_grads)
    gradients = {k: g for rec in layers for k, g in rec.gradients.items()}
    return BackpropTrace(x[0].copy(), target, output[0].copy(), float(value), loss_fn.name,
                         layers, gradients)
