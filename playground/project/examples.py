"""The example projects: one JSON file each in resources/examples/ (the project.json format plus a
title and a short teaching text), in the order of the notes."""
from __future__ import annotations

import json
from pathlib import Path

from playground import resources_dir

from .project import Project, ProjectError, project_from_json

#: the notes' order; files not listed here follow in alphabetical order
ORDER = ("perceptron", "adaline", "logistic_regression", "xor", "spiral", "spiral3", "multilabel",
         "universal_approximation", "regression_plane", "lenet_digits", "lenet_mnist",
         "notes_cnn_rgb", "dense_autoencoder", "conv_autoencoder", "pool_unpool",
         "batch_sizes", "initializations", "optimizers", "activations")
DEFAULT = "spiral"


def examples_dir() -> Path:
    return resources_dir() / "examples"


def example_names() -> list[str]:
    """Every example in resources/examples, in teaching order."""
    present = {p.stem for p in examples_dir().glob("*.json")}
    return [n for n in ORDER if n in present] + sorted(present - set(ORDER))


def load_example(name: str) -> Project:
    """The example ``name`` as a fresh Project; raises ``ProjectError`` if there is none."""
    path = examples_dir() / f"{name}.json"
    if "/" in name or "\\" in name or not path.is_file():
        raise ProjectError(f"there is no example called {name!r}; the examples are "
                           f"{', '.join(example_names())}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProjectError(f"the example {name!r} cannot be read ({exc})") from None
    return project_from_json(data)


def list_examples() -> list[tuple[str, str, str, str]]:
    """(name, title, description, kind) for every example; kind is the data's "2d", "1d" or
    "image"."""
    kinds = _dataset_kinds()
    out = []
    for name in example_names():
        data = json.loads((examples_dir() / f"{name}.json").read_text(encoding="utf-8"))
        out.append((name, data.get("title", name), data.get("description", ""),
                    kinds.get(data.get("dataset", {}).get("name"), "2d")))
    return out


def default_project() -> Project:
    """The project a new window starts with: the two-spiral example, ready to train."""
    return load_example(DEFAULT)


def _dataset_kinds() -> dict[str, str]:
    from playground.data import list_datasets
    return {info.name: info.kind for info in list_datasets()}


def dataset_for_input(input_shape: list[int]) -> tuple[dict, list[str]]:
    """(recipe, features) of a dataset a bare network spec with this input shape can train on:
    [1] the sine curve, [k] the spiral with the first k input features, [1, s, s] stroke digits,
    [3, 32, 32] coloured shapes."""
    from playground.data.features import FEATURES
    shape = list(input_shape)
    if shape == [1]:
        return {"name": "sine"}, []
    if len(shape) == 1 and 2 <= shape[0] <= len(FEATURES):
        return {"name": "spiral"}, list(FEATURES[:shape[0]])
    if len(shape) == 3 and shape[0] == 1 and shape[1] == shape[2] and 12 <= shape[1] <= 64:
        return {"name": "stroke_digits", "size": shape[1]}, []
    if shape == [3, 32, 32]:
        return {"name": "shapes", "color": "rgb"}, []
    raise ProjectError(f"a bare network spec carries no dataset, and none fits an input of "
                       f"{'x'.join(map(str, shape))}: save it as a project with its data")
