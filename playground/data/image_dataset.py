"""Turning image arrays into a Dataset: scaling options shared by every image source."""
from __future__ import annotations

import numpy as np

from .dataset import Dataset, split
from .recipe import choice, integer

#: the image options every image recipe carries (defaults)
IMAGE_OPTIONS = {"scale": "unit", "shift": 0, "flip": False}


def read_image_options(r: dict) -> None:
    """Validate the shared options in place (raises DatasetError)."""
    from .recipe import flag
    choice(r, "scale", ("unit", "standardize"))
    integer(r, "shift", 0, 8)
    flag(r, "flip")


def from_split(name, x_train, y_train, x_test, y_test, class_names, recipe) -> Dataset:
    """A classification Dataset from [0, 1] float32 NCHW arrays already split; standardises per
    channel with the training set's mean and std when the recipe asks for it."""
    mean = std = None
    if recipe.get("scale") == "standardize":
        mean = x_train.mean(axis=(0, 2, 3), dtype=np.float64).astype(np.float32)
        std = np.maximum(x_train.std(axis=(0, 2, 3), dtype=np.float64), 1e-6).astype(np.float32)
        x_train = (x_train - mean[:, None, None]) / std[:, None, None]
        x_test = (x_test - mean[:, None, None]) / std[:, None, None]
    return Dataset(name, "image", "classification", tuple(x_train.shape[1:]), list(class_names),
                   x_train.astype(np.float32, copy=False), y_train.astype(np.int64),
                   x_test.astype(np.float32, copy=False), y_test.astype(np.int64),
                   recipe=recipe, mean=mean, std=std)


def from_pool(name, x, y, class_names, recipe, train_share: float, rng) -> Dataset:
    """Split one pool of images by ``train_share`` (shuffled with ``rng``), then as ``from_split``."""
    return from_split(name, *split(x, y, train_share, rng), class_names, recipe)
