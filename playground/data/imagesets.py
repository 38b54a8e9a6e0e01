"""Recipes for the offline image sets (generated, no download) -> Datasets."""
from __future__ import annotations

import numpy as np

from .dataset import DatasetInfo
from .image_dataset import IMAGE_OPTIONS, from_pool, read_image_options
from .images import digits, orientations, shapes
from .recipe import choice, integer, merge, number

_COMMON = {"n": 10000, "size": 28, "seed": 0, "noise": 0.05, "train_share": 0.8, **IMAGE_OPTIONS}

IMAGE_SETS = {
    "shapes": ("Shapes", "Circles, squares, triangles, crosses and rings of any size, position, "
               "rotation and stroke; set colour to 'rgb' for coloured 32x32 shapes.",
               {"color": "gray"}),
    "stroke_digits": ("Stroke digits", "Handwriting-like digits 0-9 drawn from pen strokes with "
                      "random slant, thickness and position: MNIST without the download; set "
                      "colour to 'rgb' for coloured 32x32 digits (ten classes, CIFAR-sized).",
                      {"color": "gray"}),
    "orientations": ("Orientations", "Bars at k angles (setting k): which way does it point?",
                     {"k": 8}),
}


def defaults(name: str) -> dict:
    return {"name": name, **_COMMON, **IMAGE_SETS[name][2]}


def build(recipe: dict):
    r = merge(recipe, defaults(recipe.get("name")))
    if r.get("color") == "rgb" and "size" not in recipe:
        r["size"] = 32                              # the coloured variants are CIFAR-sized
    n, seed = integer(r, "n", 20, 100_000), integer(r, "seed", 0, 2**32 - 1)
    size, noise = integer(r, "size", 12, 64), number(r, "noise", 0.0, 0.5)
    share = number(r, "train_share", 0.1, 0.9)
    read_image_options(r)
    rng = np.random.default_rng(seed)
    name = r["name"]
    if name == "shapes":
        names = shapes.CLASS_NAMES
        color = choice(r, "color", ("gray", "rgb"))
        make = lambda labels: shapes.render_shapes(labels, size, rng, noise, color)  # noqa: E731
    elif name == "stroke_digits":
        names = digits.CLASS_NAMES
        color = choice(r, "color", ("gray", "rgb"))
        make = lambda labels: digits.render_digits(labels, size, rng, noise, color)  # noqa: E731
    else:
        k = integer(r, "k", 2, 12)
        names = orientations.class_names(k)
        make = lambda labels: orientations.render_orientations(labels, size, rng, noise, k)  # noqa: E731
    # equal class counts (to within one), in random order
    labels = rng.permutation(np.arange(n) % len(names))
    return from_pool(name, make(labels), labels, names, r, share, rng)


def infos() -> list[DatasetInfo]:
    return [DatasetInfo(name, "image", "classification", title, desc)
            for name, (title, desc, _) in IMAGE_SETS.items()]
