"""TensorFlow Playground's input features for 2-D points, and the decision-map grid.

The trainer expands both the data and the grid with the same ``expand`` so the decision map shows
exactly the function the network computes on the data.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .errors import DatasetError

FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2")

#: what the input panel shows for each feature
LABELS = {"x1": "X1", "x2": "X2", "x1^2": "X1²", "x2^2": "X2²", "x1x2": "X1X2",
          "sin_x1": "sin(X1)", "sin_x2": "sin(X2)"}

_FUNCS = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1x2": lambda a, b: a * b,
    "sin_x1": lambda a, b: np.sin(a),
    "sin_x2": lambda a, b: np.sin(b),
}


def label(feature: str) -> str:
    """The display label of a feature ("x1^2" -> "X1²")."""
    return LABELS[_check(feature)]


def _check(feature: str) -> str:
    if feature not in _FUNCS:
        raise DatasetError(f"unknown input feature {feature!r}; choose from {', '.join(FEATURES)}")
    return feature


def expand(points: np.ndarray, features: Sequence[str]) -> np.ndarray:
    """The (N, k) float32 matrix of the chosen features of (N, 2) points, in the order given."""
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise DatasetError(f"feature expansion needs points of shape (N, 2), not {pts.shape}")
    if not features:
        raise DatasetError("choose at least one input feature")
    a, b = pts[:, 0], pts[:, 1]
    cols = [_FUNCS[_check(f)](a, b) for f in features]
    return np.stack(cols, axis=1).astype(np.float32)


def grid(extent: float = 6.0, resolution: int = 100) -> np.ndarray:
    """The (R*R, 2) points of the decision map over [-extent, extent]^2, pixel centres.

    Row-major like an image: row r runs over x2 from the top (high, +extent) down to the bottom,
    column c over x1 from left (-extent) to right, so ``out.reshape(R, R, 2)[r, c]`` is the point
    drawn at pixel (r, c) and a network's outputs reshape straight into an image.
    """
    if resolution < 1:
        raise DatasetError(f"grid resolution must be at least 1, not {resolution}")
    step = 2.0 * extent / resolution
    centres = -extent + step * (np.arange(resolution) + 0.5)
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)
