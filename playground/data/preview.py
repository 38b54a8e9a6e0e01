"""Gallery thumbnails: image samples, or a small scatter plot rendered with numpy."""
from __future__ import annotations

import numpy as np

# TensorFlow Playground's colours: orange for class 0 (its -1), blue for class 1 (its +1)
PALETTE = np.array([[0.96, 0.58, 0.13], [0.03, 0.47, 0.74], [0.30, 0.69, 0.29], [0.89, 0.10, 0.11],
                    [0.60, 0.31, 0.64], [0.65, 0.34, 0.16], [0.97, 0.51, 0.75], [0.40, 0.40, 0.40]])
BACKGROUND = np.array([0.97, 0.97, 0.97])


def image_thumbnails(ds, n: int) -> np.ndarray:
    """The first n training images as (n, H, W) gray or (n, H, W, 3) colour in [0, 1]."""
    x = ds.x_train[:n].astype(np.float32)
    if ds.mean is not None:                          # undo standardisation for display
        x = x * ds.std[:, None, None] + ds.mean[:, None, None]
    x = np.clip(x, 0, 1)
    return x[:, 0] if x.shape[1] == 1 else x.transpose(0, 2, 3, 1)


def _colours(ds, y) -> np.ndarray:
    if ds.task == "classification":
        return PALETTE[y % len(PALETTE)]
    if ds.task == "multilabel":                      # mix the colours of the labels a point carries
        weights = y / np.maximum(y.sum(axis=1, keepdims=True), 1)
        mixed = weights @ PALETTE[1:1 + y.shape[1]]
        return np.where(y.sum(axis=1, keepdims=True) > 0, mixed, PALETTE[0] * 0 + 0.6)
    t = np.clip(y[:, 0], -1, 1)[:, None]             # regression: orange (-1) to blue (+1)
    return (1 - (t + 1) / 2) * PALETTE[0] + (t + 1) / 2 * PALETTE[1]


def scatter_image(ds, size: int = 96, extent: float = 6.0) -> np.ndarray:
    """The training points drawn as 2x2 dots on a (size, size, 3) float image in [0, 1]; 1-D data
    is drawn as (x, target). Axes as the decision map: x1 right, x2 up."""
    x, y = ds.x_train, ds.y_train
    if ds.kind == "1d":
        pts = np.stack([x[:, 0], np.asarray(y[:, 0]) * extent / 1.25], axis=1)
        colours = np.tile(PALETTE[1], (len(x), 1))
    else:
        pts, colours = x[:, :2], _colours(ds, y)
    img = np.tile(BACKGROUND, (size, size, 1))
    scale = np.abs(pts).max() if ds.kind == "table" and len(pts) else extent
    col = np.clip(((pts[:, 0] / scale + 1) / 2 * size).astype(int), 0, size - 2)
    row = np.clip(((1 - pts[:, 1] / scale) / 2 * size).astype(int), 0, size - 2)
    for dr in (0, 1):
        for dc in (0, 1):
            img[row + dr, col + dc] = colours
    return img.astype(np.float32)
