"""Recipes for the generated point sets (2-D and 1-D) -> Datasets."""
from __future__ import annotations

import numpy as np

from . import functions1d, points
from .dataset import Dataset, DatasetInfo, split
from .recipe import integer, merge, number

_COMMON = {"noise": 0.0, "train_share": 0.5, "seed": 0, "n": 500}

#: name -> (generator, task, title, description, extra defaults)
POINT_SETS = {
    "circle": (points.circle, "classification", "Circle",
               "One class inside a circle, the other in a ring around it.", {}),
    "xor": (points.xor, "classification", "Exclusive or",
            "Classes by quadrant: a single neuron cannot separate them.", {}),
    "gauss": (points.gauss, "classification", "Two Gaussians",
              "Two Gaussian clouds; noise makes them overlap.", {}),
    "spiral": (points.spiral, "classification", "Spiral",
               "Two interleaved spirals: the hard one.", {}),
    "moons": (points.moons, "classification", "Moons", "Two interleaved half moons.", {}),
    "spiral3": (points.spiral3, "classification", "Three spirals",
                "Three interleaved spiral arms: three classes, softmax output.", {}),
    "blobs": (points.blobs, "classification", "Blobs",
              "k Gaussian blobs, one class each (setting k).", {"k": 4}),
    "linear": (points.linear, "classification", "Linearly separable",
               "Two classes split by a straight line with a margin: the perceptron's set.",
               {"margin": 0.5}),
    "multilabel": (points.multilabel, "multilabel", "Multi-label",
                   "Each point may carry any of three labels: inside circle A, inside circle B, "
                   "above a line. Sigmoid outputs with BCE.", {}),
    "plane": (points.plane, "regression", "Plane", "Target (x1 + x2) / 12: a tilted plane from -1 to 1.", {}),
    "multi_gaussian": (points.multi_gaussian, "regression", "Multi-Gaussian",
                       "Six bumps of +1 and -1: a regression surface.", {}),
}

FUNCTION_SETS = {name: desc for name, (_, desc) in functions1d.FUNCTIONS.items()}


def point_defaults(name: str) -> dict:
    return {"name": name, **_COMMON, **POINT_SETS[name][4]}


def function_defaults(name: str) -> dict:
    return {"name": name, "noise": 0.0, "train_share": 0.5, "seed": 0, "n": 200}


def _read_common(r: dict):
    return (integer(r, "n", 4, 100_000), number(r, "noise", 0.0, 0.5),
            number(r, "train_share", 0.1, 0.9), integer(r, "seed", 0, 2**32 - 1))


def build_points(recipe: dict) -> Dataset:
    r = merge(recipe, point_defaults(recipe.get("name")))
    n, noise, share, seed = _read_common(r)
    gen, task, *_ = POINT_SETS[r["name"]]
    options = {}
    if "k" in r:
        options["k"] = integer(r, "k", 2, 8)
    if "margin" in r:
        options["margin"] = number(r, "margin", 0.0, 2.0)
    rng = np.random.default_rng(seed)
    x, y = gen(n, noise, rng, **options)
    x = np.clip(x, -points.EXTENT, points.EXTENT).astype(np.float32)
    if task == "classification":
        k = options.get("k", 3 if r["name"] == "spiral3" else 2)
        names = [f"class {i}" for i in range(k)]
    else:
        names = list(points.MULTILABEL_NAMES) if task == "multilabel" else []
        y = y.astype(np.float32)
    parts = split(x, y, share, rng)
    return Dataset(r["name"], "2d", task, (2,), names, *parts, recipe=r)


def build_function(recipe: dict) -> Dataset:
    r = merge(recipe, function_defaults(recipe.get("name")))
    n, noise, share, seed = _read_common(r)
    rng = np.random.default_rng(seed)
    x, y = functions1d.sample(r["name"], n, noise, rng)
    parts = split(x.astype(np.float32), y.astype(np.float32), share, rng)
    return Dataset(r["name"], "1d", "regression", (1,), [], *parts, recipe=r)


def infos() -> list[DatasetInfo]:
    out = [DatasetInfo(name, "2d", task, title, desc)
           for name, (_, task, title, desc, _) in POINT_SETS.items()]
    out += [DatasetInfo(name, "1d", "regression", f"f(x) = {desc.split(':')[0]}",
                        f"Fit {desc} on x in [-6, 6]: the universal approximation demo.")
            for name, desc in FUNCTION_SETS.items()]
    return out
