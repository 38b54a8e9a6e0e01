"""A project's "comparison" section: several configurations of one project trained side by side.

project.json may hold::

    "comparison": {"x_axis": "examples",
                   "variants": [{"label": "SGD (batch 1)", "training": {"batch_size": 1}},
                                {"label": "He, ReLU", "layers": {"activation": "relu", "init": "he"}},
                                {"label": "normal(0, 0.01)", "init_std": 0.01}]}

Each variant is the base project with overrides: ``training`` is merged into the training
settings (an optimizer of another type replaces the base's optimizer whole), ``layers`` sets
fields on every layer but the output layer that has them (activation, init, alpha), and
``init_std`` fills every weight with N(0, init_std²) after the network is built (the engine's
"normal" init is N(0, 0.1²)). The variants' networks must keep the base's shapes. The first
variant is the project itself (the editor and the main views show it): it may name its
settings but not change them. Checked here;
``comparison_run`` trains them.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

from .project import SECTIONS, Project, ProjectError, check_network, check_training, json_kind

MIN_VARIANTS, MAX_VARIANTS = 2, 8
MAX_LABEL = 40
#: the fields a variant may set on the hidden layers
LAYER_FIELDS = ("activation", "init", "alpha")
X_AXES = ("epoch", "step", "examples", "seconds")


@dataclass
class Variant:
    """One configuration: its label and its overrides of the base project."""

    label: str
    training: dict = field(default_factory=dict)
    layers: dict = field(default_factory=dict)
    init_std: float | None = None

    def to_json(self) -> dict:
        out: dict[str, Any] = {"label": self.label}
        if self.training:
            out["training"] = copy.deepcopy(self.training)
        if self.layers:
            out["layers"] = dict(self.layers)
        if self.init_std is not None:
            out["init_std"] = self.init_std
        return out


@dataclass
class Comparison:
    variants: list[Variant]
    x_axis: str = "epoch"
    #: the configurations' trained states (``comparison_state.SavedVariant``) saved in the
    #: .nnplay beside project.json, resumed on opening; not part of the comparison's JSON
    saved: list | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict:
        return {"x_axis": self.x_axis, "variants": [v.to_json() for v in self.variants]}


def check_comparison(data: Any, project: Project) -> Comparison:
    """The comparison section, every variant applied to ``project`` and checked; raises
    ``ProjectError`` naming the variant and what is wrong."""
    if not isinstance(data, dict):
        raise ProjectError(f"the comparison must be an object with its 'variants', not "
                           f"{json_kind(data)}")
    unknown = set(data) - {"variants", "x_axis"}
    if unknown:
        raise ProjectError(f"the comparison has unknown entries: {', '.join(sorted(map(str, unknown)))}")
    x_axis = data.get("x_axis", "epoch")
    if x_axis not in X_AXES:
        raise ProjectError(f"the comparison's x_axis must be one of {', '.join(X_AXES)}, not {x_axis!r}")
    raw = data.get("variants")
    if not isinstance(raw, list) or not MIN_VARIANTS <= len(raw) <= MAX_VARIANTS:
        raise ProjectError(f"a comparison needs a list of {MIN_VARIANTS} to {MAX_VARIANTS} variants")
    variants = [_variant(item, i + 1) for i, item in enumerate(raw)]
    labels = [v.label for v in variants]
    if len(set(labels)) != len(labels):
        raise ProjectError("two variants of the comparison have the same label")
    comparison = Comparison(variants, x_axis)
    for variant in variants:
        variant_project(project, variant)           # raises for a variant that does not build
    first = variant_project(project, variants[0])
    if first.network != project.network or first.training != project.training \
            or variants[0].init_std is not None:
        raise ProjectError(f"the comparison's first variant ('{variants[0].label}') is the one the "
                           f"network editor shows: it must be the project's own settings (give the "
                           f"project its settings, or list that variant later)")
    return comparison


def _variant(item: Any, number: int) -> Variant:
    if not isinstance(item, dict):
        raise ProjectError(f"variant {number} of the comparison must be an object, not {json_kind(item)}")
    unknown = set(item) - {"label", "training", "layers", "init_std"}
    if unknown:
        raise ProjectError(f"variant {number} has unknown entries: {', '.join(sorted(map(str, unknown)))}")
    label = item.get("label")
    if not isinstance(label, str) or not 0 < len(label.strip()) <= MAX_LABEL:
        raise ProjectError(f"variant {number} needs a label of 1 to {MAX_LABEL} characters")
    training = item.get("training", {})
    layers = item.get("layers", {})
    if not isinstance(training, dict) or not isinstance(layers, dict):
        raise ProjectError(f"variant {number} ('{label}'): 'training' and 'layers' must be objects")
    bad = set(layers) - set(LAYER_FIELDS)
    if bad:
        raise ProjectError(f"variant {number} ('{label}'): a variant can set {', '.join(LAYER_FIELDS)} "
                           f"on the layers, not {', '.join(sorted(map(str, bad)))}")
    std = item.get("init_std")
    if std is not None and not (isinstance(std, (int, float)) and not isinstance(std, bool)
                                and math.isfinite(std) and 0 <= std <= 10):
        raise ProjectError(f"variant {number} ('{label}'): init_std must be a number from 0 to 10")
    return Variant(label.strip(), copy.deepcopy(training), dict(layers),
                   None if std is None else float(std))


def merged_training(base: dict, override: dict) -> dict:
    """The base training settings (as a dict) with a variant's overrides."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if key == "optimizer" and isinstance(value, dict):
            same = value.get("type", out["optimizer"]["type"]) == out["optimizer"]["type"]
            out["optimizer"] = {**(out["optimizer"] if same else {}), **copy.deepcopy(value)}
            out["optimizer"].setdefault("type", base["optimizer"]["type"])
            if not same:        # the new optimizer's own defaults, with the base's lr only if given
                out["optimizer"] = {k: v for k, v in out["optimizer"].items()}
        else:
            out[key] = copy.deepcopy(value)
    return out


def merged_network(spec: dict, layers: dict) -> dict:
    """The spec with ``layers``' fields set on every layer but the last that has the field."""
    spec = copy.deepcopy(spec)
    if not layers:
        return spec
    body = spec["layers"][:-1]
    for layer in body:
        for key, value in layers.items():
            if key in layer or (key in ("activation", "init") and layer.get("type") in ("dense", "conv2d")):
                layer[key] = value
    return spec


def variant_project(base: Project, variant: Variant) -> Project:
    """The base project with the variant's overrides applied (no comparison of its own)."""
    where = f"the comparison's variant '{variant.label}'"
    try:
        training = check_training(merged_training(base.training.to_dict(), variant.training))
    except ProjectError as exc:
        raise ProjectError(f"{where}: {exc}") from None
    try:
        network = check_network(merged_network(base.network, variant.layers))
    except ProjectError as exc:
        raise ProjectError(f"{where}: {exc}") from None
    project = base.copy()
    project.training, project.network = training, network
    project.weights, project.history = None, []
    project.comparison = None
    return project


SECTIONS["comparison"] = (check_comparison, Comparison.to_json)
