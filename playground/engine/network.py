"""A network built from a spec (DESIGN.md section 2): a chain of layers over flat parameter buffers."""
from __future__ import annotations

import copy
from typing import Any

import numpy as np

from . import layers as _layers  # noqa: F401  (registers every layer type)
from .errors import SpecError
from .layers.base import REGISTRY, Layer, shape_text

FORMAT = "playground-network"
VERSION = 1

#: default id prefixes (dense1, conv1, pool1, ...), from each layer class
ID_PREFIX = {name: cls.id_prefix or name for name, cls in REGISTRY.items()}


def _check_input_shape(shape: Any) -> tuple[int, ...]:
    if not isinstance(shape, (list, tuple)) or len(shape) not in (1, 3) or not all(
            isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in shape):
        raise SpecError(f"input_shape must be [features] or [channels, height, width] of positive "
                        f"whole numbers, not {shape!r}", None, "input_shape")
    return tuple(int(s) for s in shape)


def normalize_spec(spec: dict) -> dict:
    """Check the spec's envelope and give every layer its id; returns a new dict."""
    if not isinstance(spec, dict):
        raise SpecError("a network spec must be a JSON object")
    if spec.get("format", FORMAT) != FORMAT:
        raise SpecError(f"this is not a network spec (format {spec.get('format')!r})", None, "format")
    if spec.get("version", VERSION) != VERSION:
        raise SpecError(f"network spec version {spec.get('version')!r} is not supported "
                        f"(this Playground reads version {VERSION})", None, "version")
    layers = spec.get("layers")
    if not isinstance(layers, list):
        raise SpecError("a network spec needs a list of layers", None, "layers")
    out = {"format": FORMAT, "version": VERSION,
           "input_shape": list(_check_input_shape(spec.get("input_shape"))), "layers": []}
    counts: dict[str, int] = {}
    seen: set[str] = set()
    for i, layer in enumerate(layers):
        if not isinstance(layer, dict):
            raise SpecError(f"layer {i + 1} must be an object with a 'type'", None, "layers")
        kind = layer.get("type")
        if kind not in REGISTRY:
            raise SpecError(f"layer {i + 1} has unknown type {kind!r}; choose one of "
                            f"{', '.join(sorted(REGISTRY))}", layer.get("id"), "type")
        prefix = ID_PREFIX.get(kind, kind)
        counts[prefix] = counts.get(prefix, 0) + 1
        layer_id = layer.get("id") or f"{prefix}{counts[prefix]}"
        if not isinstance(layer_id, str) or "." in layer_id:
            raise SpecError(f"layer id {layer_id!r} must be text without dots", str(layer_id), "id")
        if layer_id in seen:
            raise SpecError(f"two layers are called '{layer_id}'; ids must be unique", layer_id, "id")
        seen.add(layer_id)
        out["layers"].append({**copy.deepcopy(layer), "id": layer_id})
    return out


class Network:
    """A sequential network. Parameters live in one flat buffer (``flat_params``) and their
    gradients in another (``flat_grads``); every layer's ``weight``/``bias`` is a view into them,
    so optimizers and regularizers update everything in one kernel call.
    """

    def __init__(self, spec: dict, seed: int = 0, dtype: str | np.dtype = "float32"):
        self.spec = normalize_spec(spec)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise SpecError(f"dtype must be float32 or float64, not {self.dtype}")
        self.seed = seed
        self.input_shape = tuple(self.spec["input_shape"])
        self.rng = np.random.default_rng(seed)
        context: dict[str, Any] = {"rng": self.rng, "layers": {}}
        self.layers: list[Layer] = []
        shape = self.input_shape
        for config in self.spec["layers"]:
            layer = REGISTRY[config["type"]](config["id"], config, shape, context)
            context["layers"][layer.id] = layer
            self.layers.append(layer)
            shape = layer.out_shape
        self.output_shape = shape
        self._allocate()
        self.init_params(seed)

    @classmethod
    def from_spec(cls, spec: dict, seed: int = 0, dtype: str | np.dtype = "float32") -> "Network":
        return cls(spec, seed=seed, dtype=dtype)

    # -- parameters ------------------------------------------------------------------------------
    def _allocate(self) -> None:
        total = sum(layer.n_params for layer in self.layers)
        self.flat_params = np.zeros(total, self.dtype)
        self.flat_grads = np.zeros(total, self.dtype)
        #: 1 where the flat parameter is a weight (L1/L2 apply), 0 for biases
        self.weight_mask = np.zeros(total, self.dtype)
        self._params: dict[str, np.ndarray] = {}
        self._grads: dict[str, np.ndarray] = {}
        self._buffers: dict[str, np.ndarray] = {}
        #: 1 where the flat parameter belongs to a frozen layer ("trainable": false)
        self.frozen_mask = np.zeros(total, bool)
        offset = 0
        for layer in self.layers:
            params, grads = {}, {}
            for name, shape in layer.param_shapes.items():
                size = int(np.prod(shape))
                params[name] = self.flat_params[offset:offset + size].reshape(shape)
                grads[name] = self.flat_grads[offset:offset + size].reshape(shape)
                if name in layer.regularized:
                    self.weight_mask[offset:offset + size] = 1
                if not layer.trainable:
                    self.frozen_mask[offset:offset + size] = True
                self._params[f"{layer.id}.{name}"] = params[name]
                self._grads[f"{layer.id}.{name}"] = grads[name]
                offset += size
            layer.bind(params, grads)
            self._allocate_buffers(layer)

    def _allocate_buffers(self, layer: Layer) -> None:
        """Non-trainable state (running statistics), named '<id>.<buffer>' as in PyTorch's
        state_dict; saved and restored with the weights, never touched by an optimizer."""
        layer.buffers = {name: np.zeros(shape, self.dtype)
                         for name, shape in layer.buffer_shapes.items()}
        for name, array in layer.buffers.items():
            self._buffers[f"{layer.id}.{name}"] = array

    def init_params(self, seed: int | None = None) -> None:
        """(Re)initialize every parameter from ``seed`` (the network's seed by default)."""
        rng = np.random.default_rng(self.seed if seed is None else seed)
        for layer in self.layers:
            layer.init_params(rng)

    def parameters(self) -> dict[str, np.ndarray]:
        return self._params

    def gradients(self) -> dict[str, np.ndarray]:
        return self._grads

    def buffers(self) -> dict[str, np.ndarray]:
        """'<id>.running_mean' -> the live array: state that is saved but not trained."""
        return self._buffers

    def state_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every name a weights file must hold (parameters and buffers) with its shape: what
        ``set_weights`` expects and ``get_weights`` gives."""
        return {k: tuple(v.shape) for k, v in {**self._params, **self._buffers}.items()}

    @property
    def any_frozen(self) -> bool:
        return bool(self.frozen_mask.any())

    def get_weights(self) -> dict[str, np.ndarray]:
        """Copies of every parameter and buffer, by name (PyTorch's state_dict names)."""
        return {k: v.copy() for k, v in {**self._params, **self._buffers}.items()}

    def set_weights(self, weights: dict[str, np.ndarray]) -> None:
        """Copy ``weights`` (parameters and buffers) into the network; every key and shape must
        match."""
        state = {**self._params, **self._buffers}
        missing = set(state) - set(weights)
        extra = set(weights) - set(state)
        if missing or extra:
            raise SpecError("the weights do not fit this network: "
                            + (f"missing {', '.join(sorted(missing))}" if missing else "")
                            + ("; " if missing and extra else "")
                            + (f"unexpected {', '.join(sorted(extra))}" if extra else ""))
        for key, value in weights.items():
            value = np.asarray(value)
            if value.shape != state[key].shape:
                raise SpecError(f"weights '{key}' have shape {value.shape}, the network needs "
                                f"{state[key].shape}", key.split(".")[0])
            state[key][...] = value

    @property
    def n_params(self) -> int:
        return int(self.flat_params.size)

    # -- computation -----------------------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Run every layer on ``x`` (batch first) and cache each layer's output."""
        x = np.asarray(x)
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        if x.shape[1:] != self.input_shape:
            raise ValueError(f"the network takes inputs of shape {shape_text(self.input_shape)}, "
                             f"not {shape_text(x.shape[1:])}")
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, dy: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Back-propagate dL/d(output); fills every gradient and returns dL/d(input).

        With ``input_grad=False`` (training: nobody needs dL/dx) the first layer may skip that
        product and the result is None.
        """
        self.layers[0].need_input_grad = input_grad
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
            if dy is None:  # only the first layer skips its input gradient
                break
        return dy

    def predict(self, x: np.ndarray, batch_size: int = 4096) -> np.ndarray:
        """Outputs for many inputs, in chunks (the caches keep the last chunk only)."""
        x = np.asarray(x)
        if len(x) <= batch_size:
            return self.forward(x).copy()
        return np.concatenate([self.forward(x[i:i + batch_size]).copy()
                               for i in range(0, len(x), batch_size)])

    def activations(self) -> dict[str, np.ndarray]:
        """Layer id -> that layer's output in the last forward pass."""
        return {layer.id: layer.output for layer in self.layers if layer.output is not None}

    def layer(self, layer_id: str) -> Layer:
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise KeyError(layer_id)

    def summary(self) -> list[tuple[str, str, tuple[int, ...], int]]:
        """Rows of (id, type, output shape, parameter count), as the notes' table."""
        return [(layer.id, layer.type_name, layer.out_shape, layer.n_params) for layer in self.layers]

    def to_spec(self) -> dict:
        return copy.deepcopy(self.spec)

    @property
    def output_activation(self) -> str:
        """The activation that produces the network's output (for choosing the loss)."""
        for layer in reversed(self.layers):
            if layer.type_name == "activation":
                return layer.config["function"]
            if hasattr(layer, "activation"):
                return layer.activation
            if layer.type_name not in ("flatten", "reshape", "dropout", "batchnorm"):
                return "identity"
        return "identity"
