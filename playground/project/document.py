"""The network being edited (Qt-free): input shape, ordered layer configs, validation by the engine.

As in Orange's canvas, the document is the single source of truth. Every edit is one small method
that changes the configs and then announces it with a past-tense signal (``layer_inserted``,
``layer_removed``, ``layer_moved``, ``layer_changed``, ``input_changed``, ``spec_reset``) followed by
``changed``. Undo commands call these methods; views listen and redraw. The engine decides whether
the network builds: ``validate()`` runs ``Network.from_spec`` (cheap) and caches the answer until the
next edit.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from playground.engine import Network, SpecError, activations, init
from playground.engine.layers import REGISTRY
from playground.engine.layers.fields import GROUPS, FieldSpec  # noqa: F401  (re-exported)
from playground.engine.network import FORMAT, ID_PREFIX, VERSION, normalize_spec

from .signals import Signal

#: pass as ``value`` to ``set_field`` to remove the field, so the engine's default applies again
UNSET: Any = type("Unset", (), {"__repr__": lambda self: "UNSET"})()

#: every activation the engine has, in menu order (each activation module adds itself)
ACTIVATIONS = activations.NAMES
INITS = init.NAMES


@dataclass(frozen=True)
class LayerType:
    """A row of the palette table: the type's name, palette group, colour family, the config a
    freshly dropped layer gets, and its editable fields (all read from the layer's class)."""

    type: str
    title: str
    group: str
    family: str
    defaults: dict
    fields: tuple[FieldSpec, ...]


def _layer_type(cls) -> LayerType:
    return LayerType(cls.type_name, cls.title, cls.group, cls.family, dict(cls.palette_defaults),
                     tuple(cls.fields))


#: the one table of layer types the palette offers, in palette order (groups in GROUPS order),
#: derived from the engine's layer classes
LAYER_TYPES: dict[str, LayerType] = {
    t.type: t for t in sorted((_layer_type(cls) for cls in REGISTRY.values() if cls.group),
                              key=lambda t: GROUPS.index(t.group))}


@dataclass
class ValidationResult:
    """What the engine says about the document: ``ok`` or the ``error`` (a SpecError naming the
    layer and field), and the summary rows (id, type, output_shape, n_params) of every layer that
    builds - all of them when ok, those before the failing layer otherwise."""

    ok: bool
    error: SpecError | None = None
    summary: list[tuple[str, str, tuple[int, ...], int]] = field(default_factory=list)
    total_params: int = 0
    output_shape: tuple[int, ...] | None = None
    #: "<id>.weight" -> shape, for telling whether trained weights still fit
    param_shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return "" if self.error is None else str(self.error)

    def output_shape_of(self, layer_id: str) -> tuple[int, ...] | None:
        for row in self.summary:
            if row[0] == layer_id:
                return row[2]
        return None

    def params_of(self, layer_id: str) -> int | None:
        for row in self.summary:
            if row[0] == layer_id:
                return row[3]
        return None


def _build(spec: dict) -> Network:
    return Network.from_spec(spec, seed=0)


class NetworkDocument:
    """The network being edited: ``input_shape`` (e.g. [2] or [1, 28, 28]), optional
    ``input_labels`` (feature names shown on the input block) and an ordered list of layer configs,
    each a dict with "type", a unique "id" and that type's fields (DESIGN.md section 2).

    Edits go through ``insert_layer``, ``remove_layer``, ``move_layer``, ``set_field``,
    ``set_input`` and ``set_spec``; each announces itself through the past-tense signals and then
    ``changed``. Getters return copies, so nobody can change the document behind its back.
    """

    def __init__(self, spec: dict | None = None, input_labels: list[str] | None = None):
        self._input_shape: list[int] = [2]
        self._input_labels: list[str] | None = None
        self._layers: list[dict] = []
        self._validation: ValidationResult | None = None
        self.layer_inserted = Signal("layer_inserted")  # (index)
        self.layer_removed = Signal("layer_removed")    # (index)
        self.layer_moved = Signal("layer_moved")        # (src, dst)
        self.layer_changed = Signal("layer_changed")    # (layer_id, field)
        self.input_changed = Signal("input_changed")    # ()
        self.spec_reset = Signal("spec_reset")          # () everything replaced by set_spec
        self.changed = Signal("changed")                # () after every edit
        if spec is not None:
            self.set_spec(spec)
        if input_labels is not None:
            self._input_labels = list(input_labels)

    # -- reading ------------------------------------------------------------------------------
    @property
    def input_shape(self) -> list[int]:
        return list(self._input_shape)

    @property
    def input_labels(self) -> list[str] | None:
        return None if self._input_labels is None else list(self._input_labels)

    def __len__(self) -> int:
        return len(self._layers)

    def layers(self) -> list[dict]:
        return copy.deepcopy(self._layers)

    def layer_at(self, index: int) -> dict:
        return copy.deepcopy(self._layers[index])

    def layer_ids(self) -> list[str]:
        return [layer["id"] for layer in self._layers]

    def index_of(self, layer_id: str) -> int:
        for i, layer in enumerate(self._layers):
            if layer["id"] == layer_id:
                return i
        raise KeyError(f"there is no layer called '{layer_id}'")

    def layer(self, layer_id: str) -> dict:
        return self.layer_at(self.index_of(layer_id))

    def spec(self) -> dict:
        """The full network spec, ready for ``Network.from_spec`` or a project file."""
        return {"format": FORMAT, "version": VERSION, "input_shape": list(self._input_shape),
                "layers": copy.deepcopy(self._layers)}

    # -- new layers -----------------------------------------------------------------------------
    def new_id(self, layer_type: str) -> str:
        """The engine's default naming (dense1, conv1, pool1 ...): the lowest unused number."""
        prefix = ID_PREFIX.get(layer_type, layer_type)
        used = set(self.layer_ids())
        k = 1
        while f"{prefix}{k}" in used:
            k += 1
        return f"{prefix}{k}"

    def new_layer_config(self, layer_type: str, index: int) -> dict:
        """The palette's default config for a layer dropped at ``index``, with a fresh id.

        maxunpool2d takes the nearest maxpool2d before ``index``; reshape turns a flat input of a
        square size n*n into [1, n, n] (the usual way back to an image), otherwise [-1].
        """
        if layer_type not in LAYER_TYPES:
            raise KeyError(f"unknown layer type {layer_type!r}")
        config = {"id": self.new_id(layer_type), "type": layer_type,
                  **copy.deepcopy(LAYER_TYPES[layer_type].defaults)}
        if layer_type == "maxunpool2d":
            pools = [c["id"] for c in self._layers[:index] if c["type"] == "maxpool2d"]
            config["pool"] = pools[-1] if pools else None
        elif layer_type == "reshape":
            before = self.shape_before(index)
            if before is not None and len(before) == 1:
                side = int(round(before[0] ** 0.5))
                if side * side == before[0]:
                    config["shape"] = [1, side, side]
        return config

    def shape_before(self, index: int) -> tuple[int, ...] | None:
        """The tensor shape flowing into position ``index`` (None where the network breaks)."""
        if index == 0:
            return tuple(self._input_shape)
        result = self.validate()
        if index - 1 < len(result.summary):
            return result.summary[index - 1][2]
        return None

    # -- edits ------------------------------------------------------------------------------------
    def insert_layer(self, index: int, config: dict) -> str:
        """Insert ``config`` before position ``index``; gives it a fresh id if it has none."""
        if not 0 <= index <= len(self._layers):
            raise IndexError(f"cannot insert at {index}: the network has {len(self._layers)} layers")
        config = copy.deepcopy(config)
        if config.get("type") not in LAYER_TYPES:
            raise SpecError(f"unknown layer type {config.get('type')!r}", config.get("id"), "type")
        if not config.get("id"):
            config["id"] = self.new_id(config["type"])
        elif config["id"] in self.layer_ids():
            raise SpecError(f"two layers are called '{config['id']}'; ids must be unique",
                            config["id"], "id")
        self._layers.insert(index, config)
        self._edited(self.layer_inserted, index)
        return config["id"]

    def remove_layer(self, index: int) -> dict:
        """Remove and return the config at ``index``."""
        config = self._layers.pop(index)
        self._edited(self.layer_removed, index)
        return config

    def move_layer(self, src: int, dst: int) -> None:
        """Move the layer at ``src`` so that it ends up at index ``dst``."""
        n = len(self._layers)
        if not (0 <= src < n and 0 <= dst < n):
            raise IndexError(f"cannot move layer {src} to {dst}: the network has {n} layers")
        if src == dst:
            return
        self._layers.insert(dst, self._layers.pop(src))
        self._edited(self.layer_moved, src, dst)

    def set_field(self, layer_id: str, field_name: str, value: Any) -> None:
        """Set one field of one layer (``UNSET`` removes it, so the default applies)."""
        if field_name in ("id", "type"):
            raise ValueError(f"'{field_name}' cannot be edited")
        config = self._layers[self.index_of(layer_id)]
        if value is UNSET:
            if field_name not in config:
                return
            del config[field_name]
        else:
            if config.get(field_name, UNSET) == value:
                return
            config[field_name] = copy.deepcopy(value)
        self._edited(self.layer_changed, layer_id, field_name)

    def set_input(self, shape: list[int], labels: list[str] | None = None) -> None:
        """The shape of one input sample ([features] or [C, H, W]) and optional feature names."""
        shape = [int(s) for s in shape]
        labels = None if labels is None else [str(s) for s in labels]
        if shape == self._input_shape and labels == self._input_labels:
            return
        self._input_shape, self._input_labels = shape, labels
        self._edited(self.input_changed)

    def set_spec(self, spec: dict) -> None:
        """Replace everything by ``spec``; layers without an id get the engine's default ids.

        Raises SpecError when the spec is not a network spec at all (wrong format, unknown layer
        types); a spec that merely does not build (a kernel too large) loads, and shows red.
        """
        normal = normalize_spec(spec)
        self._input_shape = list(normal["input_shape"])
        self._layers = normal["layers"]
        self._edited(self.spec_reset)

    def _edited(self, signal: Signal, *args: Any) -> None:
        self._validation = None
        signal.emit(*args)
        self.changed.emit()

    # -- validation -----------------------------------------------------------------------------
    def validate(self) -> ValidationResult:
        """Build the network with the engine; cached until the next edit."""
        if self._validation is None:
            self._validation = self._run_validation()
        return self._validation

    def _run_validation(self) -> ValidationResult:
        spec = self.spec()
        try:
            net = _build(spec)
        except SpecError as error:
            return ValidationResult(False, error, self._partial_summary(spec, error))
        shapes = {name: tuple(p.shape) for name, p in net.parameters().items()}
        return ValidationResult(True, None, net.summary(), net.n_params, net.output_shape, shapes)

    def _partial_summary(self, spec: dict, error: SpecError) -> list:
        """Rows for the layers before the failing one, so their shapes still show."""
        ids = self.layer_ids()
        if error.layer_id not in ids:
            return []
        spec["layers"] = spec["layers"][:ids.index(error.layer_id)]
        try:
            return _build(spec).summary()
        except SpecError:
            return []
