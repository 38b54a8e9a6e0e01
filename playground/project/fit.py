"""Making the network fit the data (Qt-free): the input that follows the data, the one-click fixes
the banner offers, and the weights and counters a rebuilt session carries over.

``follow_input(spec, shape)`` is the network with its input set to what the data gives (the Data
panel's edits apply it as part of the same undoable edit). When the data and the rest of the
network still disagree, ``suggest_fixes`` returns the edits that would make them fit, each a
``Fix`` with the button's words and the whole network spec after the edit, checked by building it:
"Use 3 outputs with softmax", "Add flatten", "Start from the LeNet template"...

``carry_weights`` moves trained weights into a rebuilt network: every parameter whose name and
shape still fit is kept; a first dense layer whose input features changed keeps the columns of the
features that stayed (by name) and the new features' columns start from the fresh initialisation.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass

import numpy as np

from playground.engine import Network, SpecError
from playground.engine.network import normalize_spec

from .fit_rules import check_network_fits
from .project import ProjectError

LENET_EXAMPLE = "lenet_digits"          #: the example whose network is the LeNet template
DENSE_EXAMPLE = "spiral"                #: the example whose network is the points template


@dataclass(frozen=True)
class Fix:
    """One edit the banner offers: ``label`` is the button's text, ``tip`` says what it does,
    ``network`` is the whole network spec after the edit, ``kind`` names the edit ("input",
    "outputs", "flatten", "template")."""

    kind: str
    label: str
    tip: str
    network: dict


class FitError(ProjectError):
    """The data and the network disagree; ``fixes`` are the edits that would make them fit, best
    first (``fix`` is the first one, or None)."""

    def __init__(self, message: str, fixes: list[Fix] | tuple[Fix, ...] = ()):
        super().__init__(message)
        self.fixes = tuple(fixes)

    @property
    def fix(self) -> Fix | None:
        return self.fixes[0] if self.fixes else None


# -- the input follows the data ------------------------------------------------------------------
def follow_input(spec: dict, shape) -> dict:
    """``spec`` with its input set to ``shape`` (a copy; the layers are untouched)."""
    out = copy.deepcopy(spec)
    out["input_shape"] = [int(s) for s in shape]
    return out


# -- the fixes -------------------------------------------------------------------------------------
def output_for(dataset) -> tuple[int, str, str]:
    """(units, activation, words) the last layer needs for ``dataset``'s task."""
    if dataset.task == "classification":
        k = dataset.n_classes
        if k <= 2:
            return 1, "sigmoid", "Use 1 output with sigmoid"
        return k, "softmax", f"Use {k} outputs with softmax"
    k = dataset.n_outputs
    s = "" if k == 1 else "s"
    if dataset.task == "multilabel":
        return k, "sigmoid", f"Use {k} output{s} with sigmoid"
    return k, "identity", f"Use {k} output{s} with no activation"


def suggest_fixes(spec: dict, dataset, input_shape, reconstruct: bool = False) -> list[Fix]:
    """The edits that make ``spec`` fit ``dataset`` (whose network input is ``input_shape``), each
    checked: the fixed network builds and ``fits`` says yes. Empty when nothing simple would do."""
    fixes: list[Fix] = []
    spec = copy.deepcopy(spec)
    steps: list[str] = []
    if list(spec.get("input_shape", [])) != list(input_shape):
        spec = follow_input(spec, input_shape)
        steps.append(f"Set the input to {'x'.join(map(str, input_shape))}")
    image = len(tuple(input_shape)) == 3
    has_conv = any(layer.get("type") in ("conv2d", "conv_transpose2d", "maxpool2d", "avgpool2d")
                   for layer in spec.get("layers", []))
    if image:
        flat = _with_flatten(spec)
        if flat is not spec:
            spec = flat
            steps.append("Add flatten")
    if not reconstruct and _builds(spec):
        fixed = _with_outputs(spec, dataset)
        if fixed is not None:
            spec, words = fixed
            steps.append(words)
    if steps and fits(spec, dataset, input_shape, reconstruct):
        label = _join(steps)
        fixes.append(Fix(_kind(steps), label, _tip(steps), spec))
    if not reconstruct:
        if image and not has_conv:
            template = _template(LENET_EXAMPLE, dataset, input_shape)
            if template is not None:
                fixes.append(Fix("template", "Start from the LeNet template",
                                 "Replace the network by LeNet (two convolutions with pooling, then "
                                 "dense layers), the network made for images; undo brings yours back.",
                                 template))
        elif not image and has_conv:
            template = _template(DENSE_EXAMPLE, dataset, input_shape)
            if template is not None:
                fixes.append(Fix("template", "Start from the dense template",
                                 "Convolutions need images: replace the network by two hidden dense "
                                 "layers, made for points; undo brings yours back.", template))
    return fixes


def fits(spec: dict, dataset, input_shape, reconstruct: bool = False) -> bool:
    """Whether ``spec`` builds and fits ``dataset`` (the same test as ``session.check_fit``)."""
    try:
        network = Network.from_spec(spec)
        check_network_fits(network, dataset, tuple(input_shape), reconstruct)
    except (SpecError, ProjectError):
        return False
    return True


def _builds(spec: dict) -> bool:
    try:
        Network.from_spec(spec)
    except SpecError:
        return False
    return True


def _with_flatten(spec: dict) -> dict:
    """A flatten before the first dense layer that meets a tensor; ``spec`` itself when none does."""
    layers = spec["layers"]
    for i, layer in enumerate(layers):
        if layer.get("type") == "flatten":
            return spec
        if layer.get("type") == "dense":
            before = _shape_before(spec, i)
            if before is not None and len(before) > 1:
                out = copy.deepcopy(spec)
                out["layers"].insert(i, {"type": "flatten", "id": _new_id(out, "flatten")})
                return out
            return spec
    return spec


def _with_outputs(spec: dict, dataset) -> tuple[dict, str] | None:
    """The last dense layer set to the units and activation the task needs (a flatten and a dense
    layer appended when the network ends in a tensor); None when it already fits."""
    units, activation, words = output_for(dataset)
    out = copy.deepcopy(spec)
    layers = out["layers"]
    last = max((i for i, c in enumerate(layers) if c.get("type") == "dense"), default=None)
    tail_ok = last is not None and all(c.get("type") in ("dropout", "activation")
                                       for c in layers[last + 1:])
    if not tail_ok:
        if _output_rank(out) != 1:
            layers.append({"type": "flatten", "id": _new_id(out, "flatten")})
        layers.append({"type": "dense", "id": _new_id(out, "dense"), "units": units,
                       "activation": activation})
        return out, words.replace("Use", "End with a dense layer of", 1).replace(
            " outputs", " units").replace(" output", " unit")
    config = layers[last]
    current = config.get("activation", "identity")
    after = [c for c in layers[last + 1:] if c.get("type") == "activation"]
    if after:
        current = after[-1].get("function", current)
    if config.get("units") == units and current == activation:
        return None
    if dataset.task == "classification" and dataset.n_classes == 2 and config.get("units") == 2 \
            and current == "softmax":
        return None
    config["units"] = units
    config["activation"] = activation
    out["layers"] = [c for j, c in enumerate(layers) if j <= last or c.get("type") != "activation"]
    return out, words


def _template(example: str, dataset, input_shape) -> dict | None:
    from .examples import load_example
    try:
        spec = load_example(example).network
    except ProjectError:
        return None
    spec = normalize_spec(follow_input(spec, input_shape))
    fixed = _with_outputs(spec, dataset)
    if fixed is not None:
        spec = fixed[0]
    return spec if fits(spec, dataset, input_shape) else None


def _shape_before(spec: dict, index: int) -> tuple[int, ...] | None:
    if index == 0:
        return tuple(spec["input_shape"])
    try:
        net = Network.from_spec({**spec, "layers": spec["layers"][:index]})
    except SpecError:
        return None
    return tuple(net.output_shape)


def _output_rank(spec: dict) -> int:
    try:
        return len(Network.from_spec(spec).output_shape)
    except SpecError:
        return 0


def _new_id(spec: dict, layer_type: str) -> str:
    """The engine's default id for a new layer of ``layer_type``: the lowest unused number."""
    from playground.engine.network import ID_PREFIX
    prefix = ID_PREFIX.get(layer_type, layer_type)
    used = {c.get("id") for c in spec["layers"]}
    k = 1
    while f"{prefix}{k}" in used:
        k += 1
    return f"{prefix}{k}"


def _join(steps: list[str]) -> str:
    text = steps[0]
    for step in steps[1:]:
        text += " and " + step[0].lower() + step[1:]
    return text


def _kind(steps: list[str]) -> str:
    last = steps[-1]
    if last.startswith("Use") or last.startswith("End"):
        return "outputs"
    if last == "Add flatten":
        return "flatten"
    return "input"


def _tip(steps: list[str]) -> str:
    return ("; ".join(steps) + ". The layers that still fit keep their weights; Ctrl+Z undoes it.")


# -- weights and counters across a rebuild ------------------------------------------------------
def carry_weights(old: dict[str, np.ndarray] | None, network: Network,
                  old_features: list[str] | None = None,
                  new_features: list[str] | None = None) -> list[str]:
    """Copy into ``network`` every parameter of ``old`` whose name and shape still fit; returns
    the names of the parameters that start fresh. A first dense layer whose input features changed
    keeps the weights of the features that stayed (matched by name); the new features' weights
    keep the fresh initialisation."""
    params = network.parameters()
    fresh = []
    first = _first_dense(network)
    for key, value in params.items():
        before = None if old is None else old.get(key)
        if before is not None and np.shape(before) == value.shape:
            value[...] = before
            continue
        if (before is not None and first is not None and key == f"{first}.weight"
                and old_features and new_features and before.ndim == 2
                and before.shape[0] == value.shape[0]
                and before.shape[1] == len(old_features) and value.shape[1] == len(new_features)):
            for j, feature in enumerate(new_features):
                if feature in old_features:
                    value[:, j] = before[:, old_features.index(feature)]
        fresh.append(key)
    return fresh


def carry_note(network: Network, fresh: list[str], kept: list[str], old: dict,
               old_features: list[str] | None, new_features: list[str] | None) -> str:
    """The status bar's words for what a rebuild kept ("" when everything was kept)."""
    from playground.data.features import LABELS
    if not fresh:
        return ""
    if not kept:
        return "No layer fits as it was: the network starts from fresh weights."
    layers = sorted({k.split(".")[0] for k in fresh}, key=lambda i: [l.id for l in network.layers].index(i))
    first = _first_dense(network)
    names = lambda fs: ", ".join(LABELS.get(f, f) for f in fs)  # noqa: E731
    if layers == [first] and old_features and new_features and f"{first}.weight" in old:
        stayed = [f for f in new_features if f in old_features]
        added = [f for f in new_features if f not in old_features]
        text = f"Weights kept; {first} keeps its weights for {names(stayed) or 'no input'}"
        if added:
            text += f" and starts {names(added)} from fresh random weights"
        return text + "."
    return f"Weights kept, except {', '.join(layers)}: new shape, fresh random weights."


def _first_dense(network: Network) -> str | None:
    if network.layers and network.layers[0].type_name == "dense":
        return network.layers[0].id
    return None


def spec_key(spec: dict) -> str:
    """A stable text key of a spec or recipe (for telling whether two are the same)."""
    return json.dumps(spec, sort_keys=True, default=str)
