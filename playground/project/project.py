"""The project: everything a saved Playground document holds, and its JSON form (DESIGN.md section 5).

A ``Project`` is plain data: the network spec, the dataset recipe, the input features, the training
settings, view settings, trained weights and the training history. ``project_to_json`` and
``project_from_json`` turn it into project.json's object and back; reading checks every field and
raises ``ProjectError`` with a message a student understands.
"""
from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.data.features import FEATURES
from playground.engine import Network, SpecError, TrainingSettings
from playground.engine.layers.base import REGISTRY
from playground.engine.network import normalize_spec

FORMAT = "playground-project"
VERSION = 1

#: recipe fields the project layer owns and applies itself (``make_dataset`` never sees them):
#: "painted" = [[x1, x2, label], ...] points the student painted; "reconstruct" = the target is
#: the input (autoencoders)
SESSION_KEYS = ("painted", "reconstruct")

_COLUMN = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
#: the largest network a file may describe (the editor's fields stop well below): 50M float32
#: parameters are 200 MB, 400 MB with their gradients
MAX_PARAMETERS = 50_000_000
#: values one example's forward pass computes (every layer's output): 20 MB per example, so a batch
#: of 32 needs at most 640 MB (a dense layer of 10 million units is refused)
MAX_VALUES = 5_000_000
#: rows of training history a file may hold (one per epoch; an hour flat out is ~70,000)
MAX_HISTORY_ROWS = 300_000


#: optional sections of project.json kept by other modules of this package, which register them
#: here (so this module imports none of them): name -> (parse(value, project), to_json(value));
#: each is an attribute of Project, None when absent ("comparison": comparison.py)
SECTIONS: dict[str, tuple] = {}


class ProjectError(Exception):
    """A project that cannot be read, saved or run; the message says what is wrong in the user's
    words, e.g. "weights for 'dense1.weight' have shape (8, 3) but the network needs (8, 2)"."""


@dataclass
class Project:
    """One Playground document: the network spec, the dataset recipe, the input features (for 2-D
    data), the training settings, view settings, trained weights (``None`` before training) and
    the per-epoch history. ``description`` is the short teaching text examples carry.
    """

    network: dict
    dataset: dict
    features: list[str] = field(default_factory=lambda: ["x1", "x2"])
    training: TrainingSettings = field(default_factory=TrainingSettings)
    view: dict = field(default_factory=dict)
    weights: dict[str, np.ndarray] | None = None
    history: list[dict] = field(default_factory=list)
    title: str = "Untitled"
    description: str = ""
    #: several configurations trained side by side (``comparison.Comparison``), or None
    comparison: Any = None
    #: runs kept as baselines (``pinned.PinnedRun``), drawn over the current run's curves
    pinned: list = field(default_factory=list)
    #: a teacher's classroom settings (project/classroom.py), None for none
    classroom: dict | None = None
    #: the run's timeline moments (engine/timeline.py), only from or for "Save with timeline"
    timeline: list | None = None

    def copy(self) -> "Project":
        """A deep copy (weights included), safe to hand to another thread."""
        return Project(copy.deepcopy(self.network), copy.deepcopy(self.dataset), list(self.features),
                       TrainingSettings.from_dict(copy.deepcopy(self.training.to_dict())),
                       copy.deepcopy(self.view),
                       None if self.weights is None else {k: v.copy() for k, v in self.weights.items()},
                       copy.deepcopy(self.history), self.title, self.description,
                       copy.deepcopy(self.comparison), [run.copy() for run in self.pinned],
                       copy.deepcopy(self.classroom))


# -- writing -------------------------------------------------------------------------------------
def project_to_json(project: Project) -> dict:
    """project.json's object (weights and history go into their own files)."""
    return {"format": FORMAT, "version": VERSION, "title": project.title,
            "description": project.description, "network": copy.deepcopy(project.network),
            "dataset": copy.deepcopy(project.dataset), "features": list(project.features),
            "training": project.training.to_dict(), "view": copy.deepcopy(project.view),
            **{name: dump(getattr(project, name)) for name, (_parse, dump) in SECTIONS.items()
               if getattr(project, name, None) is not None}}


# -- reading -------------------------------------------------------------------------------------
def project_from_json(data: Any) -> Project:
    """A Project from project.json's object, every field checked; raises ``ProjectError``."""
    if not isinstance(data, dict):
        raise ProjectError("This file is not a Playground project (project.json is not an object)")
    if data.get("format") != FORMAT:
        raise ProjectError(f"This file is not a Playground project (its format is "
                           f"{data.get('format')!r}, not {FORMAT!r})")
    version = data.get("version")
    if version != VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise ProjectError(f"This project was saved by a newer Playground (file version {version}); "
                               f"this one reads version {VERSION}: please update Playground")
        raise ProjectError(f"project.json has an unknown version {version!r} (expected {VERSION})")
    network = check_network(data.get("network"))
    project = Project(network=network, dataset=check_recipe(data.get("dataset")),
                   features=check_features(data.get("features", ["x1", "x2"])),
                   training=check_training(data.get("training", {})),
                   view=_check_object(data.get("view", {}), "the view settings"),
                   title=_check_text(data.get("title", "Untitled"), "the title"),
                   description=_check_text(data.get("description", ""), "the description"))
    for name, (parse, _dump) in SECTIONS.items():
        if data.get(name) is not None:
            setattr(project, name, parse(data[name], project))
    return project


def json_kind(value: Any) -> str:
    """What a JSON value is, in words: "null", "a list", "an object", "a number", "true/false"."""
    if value is None:
        return "null (empty)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _check_text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ProjectError(f"{what} must be text in quotes, not {json_kind(value)}")
    return value


def _check_object(value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise ProjectError(f"{what} must be an object, not {type(value).__name__}")
    return copy.deepcopy(value)


def check_network(spec: Any) -> dict:
    """The spec, normalized; it must build (``Network.from_spec``) and stay under
    MAX_PARAMETERS parameters and MAX_VALUES values per example (counted before anything is
    allocated)."""
    if not isinstance(spec, dict):
        raise ProjectError("the project has no network (the 'network' entry is missing or not an object)")
    try:
        _check_field_kinds(spec)
        params, values = network_size(spec)
    except SpecError as exc:
        raise ProjectError(f"the network does not build: {exc}") from None
    except (TypeError, ValueError, KeyError, IndexError, OverflowError) as exc:
        raise ProjectError(f"the network does not build: a setting has the wrong kind of value "
                           f"({exc})") from None
    if params > MAX_PARAMETERS:
        raise ProjectError(f"the network has {params:,} parameters; Playground builds networks of up "
                           f"to {MAX_PARAMETERS:,} (about {MAX_PARAMETERS * 8 // 10**6:,} MB with their "
                           f"gradients): make its layers smaller")
    if values > MAX_VALUES:
        raise ProjectError(f"the network computes {values:,} values for each example; Playground "
                           f"builds networks of up to {MAX_VALUES:,}: make its layers smaller")
    try:
        return Network.from_spec(spec).to_spec()
    except SpecError as exc:
        raise ProjectError(f"the network does not build: {exc}") from None
    except MemoryError:
        raise ProjectError(f"the network ({params:,} parameters) does not fit in this computer's "
                           f"memory") from None
    except (TypeError, ValueError, KeyError, IndexError, OverflowError) as exc:
        raise ProjectError(f"the network does not build: a setting has the wrong kind of value "
                           f"({exc})") from None


def network_size(spec: dict) -> tuple[int, int]:
    """(parameters, values computed per example) of the network ``spec`` describes, from the
    layers' shapes alone: nothing is allocated. Raises SpecError like building would."""
    shapes, values = _dry_build(spec)
    return sum(math.prod(s) for s in shapes.values()), values


def parameter_shapes(spec: dict) -> dict[str, tuple[int, ...]]:
    """"<layer id>.<name>" -> shape of every parameter and buffer (BatchNorm's running
    statistics), without building the network: what weights.npz must hold."""
    return _dry_build(spec)[0]


def _dry_build(spec: dict):
    normal = normalize_spec(spec)
    context: dict[str, Any] = {"rng": np.random.default_rng(0), "layers": {}}
    shape = tuple(normal["input_shape"])
    shapes, values = {}, math.prod(shape)
    for config in normal["layers"]:
        layer = REGISTRY[config["type"]](config["id"], config, shape, context)
        context["layers"][layer.id] = layer
        shapes.update({f"{layer.id}.{name}": tuple(int(n) for n in s)
                       for name, s in {**layer.param_shapes, **layer.buffer_shapes}.items()})
        shape = layer.out_shape
        values += math.prod(shape)
    return shapes, values


def _check_field_kinds(spec: dict) -> None:
    """A layer setting given as the wrong kind of JSON value (a list where a name or a number
    belongs, an object anywhere) is named, instead of failing deep inside the engine."""
    layers = spec.get("layers")
    if not isinstance(layers, list):
        return
    for i, layer in enumerate(layers):
        if not isinstance(layer, dict):
            continue
        kind = layer.get("type")
        if not isinstance(kind, str):
            raise ProjectError(f"the network does not build: layer {i + 1}'s 'type' must be a layer "
                               f"name in quotes like \"dense\", not {json_kind(kind)}")
        defaults = getattr(REGISTRY.get(kind), "defaults", {})
        name = f"layer {i + 1} ({kind}" + (f" '{layer['id']}')" if isinstance(layer.get("id"), str) else ")")
        for key, value in layer.items():
            default = defaults.get(key)
            if isinstance(value, dict) or (isinstance(default, str) and not isinstance(value, str)) \
                    or (isinstance(default, float) and not _is_real(value)):
                want = "a name in quotes" if isinstance(default, str) else "a number"
                raise ProjectError(f"the network does not build: {name}: '{key}' must be "
                                   f"{want}, not {json_kind(value)}")


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_training(data: Any) -> TrainingSettings:
    try:
        settings = TrainingSettings.from_dict(copy.deepcopy(data))
    except (TypeError, ValueError) as exc:
        raise ProjectError(f"the training settings are wrong: {exc}") from None
    return settings


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def check_features(features: Any) -> list[str]:
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise ProjectError("the input features must be a list of names like [\"x1\", \"x2\"]")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ProjectError(f"unknown input feature {unknown[0]!r}; the features are "
                           f"{', '.join(FEATURES)}")
    if len(set(features)) != len(features):
        raise ProjectError("an input feature is listed twice")
    return list(features)


def check_recipe(recipe: Any) -> dict:
    """The dataset recipe: an object naming a dataset the gallery knows; the project's own keys
    (painted points, reconstruct) are checked here, the rest by ``make_dataset`` when it is built."""
    if not isinstance(recipe, dict) or not isinstance(recipe.get("name"), str):
        raise ProjectError("the dataset settings must be an object with the dataset's 'name'")
    from playground.data import list_datasets
    names = [info.name for info in list_datasets()]
    if recipe["name"] not in names:
        raise ProjectError(f"unknown dataset {recipe['name']!r}; the datasets are {', '.join(names)}")
    if "reconstruct" in recipe and not isinstance(recipe["reconstruct"], bool):
        raise ProjectError("the dataset's 'reconstruct' setting must be true or false")
    if "painted" in recipe:
        check_painted(recipe["painted"])
    return copy.deepcopy(recipe)


def check_painted(painted: Any) -> None:
    """Painted points are [x1, x2, label] triples of finite numbers, label a whole number >= 0."""
    if not isinstance(painted, list):
        raise ProjectError("the painted points must be a list of [x1, x2, label]")
    for i, point in enumerate(painted):
        if not (isinstance(point, list) and len(point) == 3 and all(_is_number(v) for v in point)):
            raise ProjectError(f"painted point {i + 1} must be [x1, x2, label] numbers, not {point!r}")


def check_history(rows: list[dict]) -> list[dict]:
    """History rows: every column a short lowercase name, epoch and step whole numbers."""
    for row in rows:
        for key, value in row.items():
            if not _COLUMN.match(key):
                raise ProjectError(f"the training history has a strange column {key[:40]!r}")
            if not (isinstance(value, (int, float)) and not isinstance(value, bool)):
                raise ProjectError(f"the training history's '{key}' must be a number, not {value!r}")
        for key in ("epoch", "step"):
            if key not in row or not float(row[key]).is_integer() or row[key] < 0:
                raise ProjectError(f"every row of the training history needs a whole-number '{key}'")
    return rows
