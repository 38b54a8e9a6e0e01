"""Image augmentation for training batches: random shifts and horizontal flips (NCHW)."""
from __future__ import annotations

import numpy as np


def random_shift(xb: np.ndarray, max_shift: int, rng: np.random.Generator, fill=0.0) -> np.ndarray:
    """Each image moved by a whole number of pixels in [-max_shift, max_shift] on both axes;
    uncovered pixels take ``fill`` (a scalar or one value per channel)."""
    n, c, h, w = xb.shape
    s = int(max_shift)
    padded = np.empty((n, c, h + 2 * s, w + 2 * s), dtype=xb.dtype)
    padded[...] = np.asarray(fill, dtype=xb.dtype).reshape(-1, 1, 1) if np.ndim(fill) else fill
    padded[:, :, s:s + h, s:s + w] = xb
    # a window starting at (s - dy, s - dx) shows the image moved by (dy, dx)
    oy = s - rng.integers(-s, s + 1, size=n)
    ox = s - rng.integers(-s, s + 1, size=n)
    rows = oy[:, None] + np.arange(h)[None, :]                      # (n, h)
    cols = ox[:, None] + np.arange(w)[None, :]                      # (n, w)
    idx = np.arange(n)[:, None, None, None]
    ch = np.arange(c)[None, :, None, None]
    return padded[idx, ch, rows[:, None, :, None], cols[:, None, None, :]]


def random_flip(xb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Half of the images (at random) mirrored left to right, in place."""
    mask = rng.random(len(xb)) < 0.5
    xb[mask] = xb[mask][..., ::-1]
    return xb
