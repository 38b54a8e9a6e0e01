"""The one dataset interface shared by the app, the CLI, the benchmark and the project file.

A ``Dataset`` is plain arrays plus the recipe that rebuilds it: ``make_dataset(recipe)`` is the only
way in, so a project file only needs to store the recipe. Tensors are NCHW like the engine's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import DatasetError

TASKS = ("classification", "regression", "multilabel")


@dataclass
class DatasetInfo:
    """One entry of the gallery: what the dataset is called and what its tooltip says."""
    name: str
    kind: str
    task: str
    title: str
    description: str
    needs_download: bool = False


@dataclass
class Dataset:
    """Training and test arrays with everything a view needs to draw them.

    ``x_*`` are float32 of shape (N,) + ``input_shape`` (points before feature expansion, or NCHW
    images). ``y_*`` are int64 class labels (classification), float32 0/1 columns (multilabel) or
    float32 (N, n_outputs) targets (regression). ``mean``/``std`` are set when images were
    standardised (per channel, from the training set), so previews can undo it. ``notes`` holds
    things the user should hear about, such as files that were skipped.
    """
    name: str
    kind: str
    task: str
    input_shape: tuple[int, ...]
    class_names: list[str]
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    recipe: dict
    mean: np.ndarray | None = None
    std: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_outputs(self) -> int:
        """Width of the network's output layer: classes, labels or regression targets."""
        if self.task == "classification":
            return self.n_classes
        return int(self.y_train.shape[1])

    @property
    def n_train(self) -> int:
        return int(len(self.x_train))

    @property
    def n_test(self) -> int:
        return int(len(self.x_test))

    def preview(self, n: int = 16) -> np.ndarray:
        """Gallery thumbnails: images (n, H, W[, 3]) in [0, 1]; for points a rendered scatter
        (H, W, 3) float in [0, 1]."""
        from .preview import image_thumbnails, scatter_image
        if self.kind == "image":
            return image_thumbnails(self, n)
        return scatter_image(self)

    def augment(self, xb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A randomly shifted / flipped copy of an image batch, if the recipe turns it on;
        otherwise the batch itself. Points are never augmented."""
        shift, flip = int(self.recipe.get("shift", 0) or 0), bool(self.recipe.get("flip", False))
        if self.kind != "image" or (shift == 0 and not flip):
            return xb
        from .augment import random_flip, random_shift
        fill = 0.0 if self.mean is None else (-self.mean / self.std).astype(np.float32)
        out = random_shift(xb, shift, rng, fill) if shift else xb.copy()
        return random_flip(out, rng) if flip else out


def split(x: np.ndarray, y: np.ndarray, train_share: float, rng: np.random.Generator):
    """Shuffle, then the first ``train_share`` of the examples train and the rest test
    (TensorFlow Playground's split); both halves keep at least one example."""
    n = len(x)
    if n < 2:
        raise DatasetError(f"a dataset needs at least 2 examples to split into training and test, not {n}")
    order = rng.permutation(n)
    cut = min(max(int(np.floor(n * train_share)), 1), n - 1)
    return x[order[:cut]], y[order[:cut]], x[order[cut:]], y[order[cut:]]
