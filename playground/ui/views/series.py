"""A growing (x, y) series in a preallocated array that doubles when full (pyqtgraph's pattern).

Appending is amortised O(1) and ``x``/``y`` are views, never copies, so a view can call
``setData`` on every tick without re-allocating a history that grows for hours.
"""
from __future__ import annotations

import numpy as np


class GrowingSeries:
    """Points appended one at a time or in blocks; ``x``/``y`` are views of the filled part."""

    def __init__(self, capacity: int = 256):
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def _reserve(self, extra: int) -> None:
        need = self._n + extra
        if need <= len(self._x):
            return
        size = len(self._x)
        while size < need:
            size *= 2
        for name in ("_x", "_y"):
            grown = np.empty(size, dtype=np.float64)
            grown[:self._n] = getattr(self, name)[:self._n]
            setattr(self, name, grown)

    def append(self, x: float, y: float) -> None:
        self._reserve(1)
        self._x[self._n], self._y[self._n] = x, y
        self._n += 1

    def extend(self, xs, ys) -> None:
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        self._reserve(len(xs))
        self._x[self._n:self._n + len(xs)] = xs
        self._y[self._n:self._n + len(ys)] = ys
        self._n += len(xs)

    def clear(self) -> None:
        self._n = 0

    @property
    def capacity(self) -> int:
        return len(self._x)

    @property
    def x(self) -> np.ndarray:
        return self._x[:self._n]

    @property
    def y(self) -> np.ndarray:
        return self._y[:self._n]
