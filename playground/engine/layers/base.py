"""The one contract every layer keeps, and the registry that maps a type name to its class.

As in ConvNetJS and Keras: the constructor checks the config and computes the output shape from the
input shape; ``forward`` caches what ``backward`` needs and the output (so any view can draw any
layer); ``backward`` fills the parameter gradients and returns the gradient of the loss with respect
to the layer's input. Parameters are named ``weight``/``bias`` locally and ``<id>.weight`` in the
network; they and their gradients are live views into the network's flat buffers, so an optimizer
updates every parameter in one kernel call.
"""
from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..errors import SpecError

REGISTRY: dict[str, type["Layer"]] = {}


def register(cls: type["Layer"]) -> type["Layer"]:
    """Class decorator: make a layer type buildable from a spec by its ``type_name``."""
    REGISTRY[cls.type_name] = cls
    return cls


def id_prefix(type_name: str) -> str:
    """Default ids of a type: dense1, conv1, pool1, ..."""
    cls = REGISTRY.get(type_name)
    return (cls.id_prefix or cls.type_name) if cls is not None else type_name


def shape_text(shape: tuple[int, ...]) -> str:
    """(1, 28, 28) -> '1x28x28'; (10,) -> '10'."""
    return "x".join(str(int(s)) for s in shape)


class Layer:
    """Base class of every layer. Subclasses set ``type_name`` and ``defaults`` and implement
    ``_build`` (check config, set ``out_shape`` and ``param_shapes``), ``forward`` and ``backward``.
    """

    type_name: ClassVar[str] = ""
    #: every config field the layer knows, with its default (None: required)
    defaults: ClassVar[dict[str, Any]] = {}
    #: fields whose default None means "chosen by something else" (alpha: by the activation)
    optional: ClassVar[tuple[str, ...]] = ("alpha",)

    # -- how the editor presents the type (fields.py); the registries derive from these -------
    title: ClassVar[str] = ""
    group: ClassVar[str] = ""
    #: colour key of its block and icon
    family: ClassVar[str] = ""
    #: default ids are <id_prefix>1, <id_prefix>2, ... (the type name when empty)
    id_prefix: ClassVar[str] = ""
    #: the config a freshly dropped layer gets
    palette_defaults: ClassVar[dict[str, Any]] = {}
    #: editable fields, in inspector order (FieldSpec)
    fields: ClassVar[tuple] = ()
    #: (what it does, its formula), for the palette's tooltip and the inspector
    help: ClassVar[tuple[str, str]] = ("", "")
    #: palette icon drawing steps (see fields.py)
    glyph: ClassVar[tuple] = ()
    #: the canvas draws its output as channel maps (images), not as units
    shows_channels: ClassVar[bool] = False
    #: its weight is a bank of image kernels (the filters view draws them)
    has_kernels: ClassVar[bool] = False
    #: a small network ending in this layer, for the registry-driven tests: (input shape, layers)
    example: ClassVar[tuple[list[int], list[dict]] | None] = None
    #: parameters L1/L2 regularization applies to
    regularized: ClassVar[tuple[str, ...]] = ("weight",)
    #: False when nobody needs dL/dx of this layer (the network's first layer while training):
    #: layers that can skip that product then return None from ``backward``
    need_input_grad: bool = True

    def __init__(self, layer_id: str, config: dict, in_shape: tuple[int, ...], context: dict):
        self.id = layer_id
        unknown = set(config) - set(self.defaults) - {"type", "id", "trainable"}
        if unknown:
            raise self.error(f"unknown field(s) {', '.join(sorted(unknown))}", sorted(unknown)[0])
        self.config = {k: config.get(k, v) for k, v in self.defaults.items()}
        for k, v in self.config.items():
            if v is None and k not in self.optional:
                raise self.error(f"needs a value for '{k}'", k)
        #: False freezes the layer's parameters: the trainer never changes them
        self.trainable = config.get("trainable", True)
        if not isinstance(self.trainable, bool):
            raise self.error(f"'trainable' must be true or false, not {self.trainable!r}",
                             "trainable")
        self.in_shape = tuple(int(s) for s in in_shape)
        self.out_shape: tuple[int, ...] = self.in_shape
        self.param_shapes: dict[str, tuple[int, ...]] = {}
        #: non-trainable state saved with the weights (batchnorm's running statistics)
        self.buffer_shapes: dict[str, tuple[int, ...]] = {}
        self.buffers: dict[str, np.ndarray] = {}
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.output: np.ndarray | None = None
        self._build(context)

    # -- construction -------------------------------------------------------------------------
    def _build(self, context: dict) -> None:
        """Check the config against ``in_shape``; set ``out_shape`` and ``param_shapes``."""

    def error(self, message: str, field: str | None = None) -> SpecError:
        return SpecError(f"{self.type_name} '{self.id}': {message}", self.id, field)

    def int_field(self, name: str, minimum: int = 1) -> int:
        value = self.config[name]
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) and not (
                isinstance(value, float) and value.is_integer()):
            raise self.error(f"'{name}' must be a whole number, not {value!r}", name)
        if value < minimum:
            raise self.error(f"'{name}' must be at least {minimum}, not {value}", name)
        return int(value)

    def pair_field(self, name: str, minimum: int = 1) -> tuple[int, int]:
        """An int or an [h, w] pair, as kernel_size, stride and padding take."""
        value = self.config[name]
        if isinstance(value, (list, tuple)):
            if len(value) != 2:
                raise self.error(f"'{name}' must be a number or a pair [h, w], not {value!r}", name)
            pair = []
            for v in value:
                self.config[name] = v
                pair.append(self.int_field(name, minimum))
            self.config[name] = list(value)
            return pair[0], pair[1]
        v = self.int_field(name, minimum)
        return v, v

    def float_field(self, name: str, low: float | None = None, high: float | None = None) -> float:
        value = self.config[name]
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise self.error(f"'{name}' must be a number, not {value!r}", name)
        value = float(value)
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.error(f"'{name}' must be between {low} and {high}, not {value}", name)
        return value

    def need_rank(self, rank: int, what: str) -> None:
        if len(self.in_shape) != rank:
            raise self.error(f"needs {what} input, but gets {shape_text(self.in_shape)}"
                             + (" (add a flatten or reshape before it)" if rank == 1 else
                                " (add a reshape to [channels, height, width] before it)"))

    # -- parameters -----------------------------------------------------------------------------
    @property
    def n_params(self) -> int:
        return int(sum(int(np.prod(s)) for s in self.param_shapes.values()))

    def bind(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Take live views into the network's flat parameter and gradient buffers."""
        self.params, self.grads = params, grads

    def init_params(self, rng: np.random.Generator) -> None:
        """Fill ``self.params`` (in place) from ``rng``."""

    # -- computation ------------------------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dy: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    # -- export: each type writes its own PyTorch lines and ONNX nodes --------------------------
    def export_torch(self, w, name: str) -> None:
        """Add this layer's ``__init__`` and ``forward`` lines to the PyTorch writer ``w``."""
        raise NotImplementedError(f"{self.type_name} has no PyTorch export")

    def export_onnx(self, g) -> None:
        """Append this layer's ONNX nodes to the graph builder ``g`` (reading tensor ``g.x``)."""
        raise NotImplementedError(f"{self.type_name} has no ONNX export")

    def extra_state(self) -> dict[str, np.ndarray]:
        """What views may want beyond the output (pool argmax positions, pre-activations)."""
        return {}
