"""A growing (x, y) series in a preallocated array that doubles when full (pyqtgraph's pattern),
bounded in length, and drawn at a cost that does not depend on how long the run has been.

Appending is amortised O(1) and ``x``/``y`` are views, never copies. Past ``limit`` points the
older half is halved keeping each group's extremes (``thin``), so an hour-long run holds at most
``limit`` points and a loss spike never disappears; ``decimated(x0, x1, columns)`` gives at most
two points per pixel column (its lowest and highest), which is what a plot that wide can show.
"""
from __future__ import annotations

import numpy as np

#: the most points a series keeps (a long run thins its older half, keeping the extremes)
SERIES_LIMIT = 8192


def _extremes(x: np.ndarray, y: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """Per segment [start, end): its lowest and highest points, in the order the curve visits
    them (the higher first where the segment falls), so a falling curve stays a falling line."""
    lo = np.minimum.reduceat(y, starts)
    hi = np.maximum.reduceat(y, starts)
    falling = y[starts] >= y[ends - 1]
    first = np.where(falling, hi, lo)
    second = np.where(falling, lo, hi)
    return first, second


class GrowingSeries:
    """Points appended one at a time or in blocks; ``x``/``y`` are views of the filled part.
    ``x`` must not decrease (epochs)."""

    def __init__(self, capacity: int = 256, limit: int = SERIES_LIMIT):
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self._n = 0
        self.limit = max(int(limit), 16)

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
        if self._n > self.limit:
            self.thin()

    def extend(self, xs, ys) -> None:
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        self._reserve(len(xs))
        self._x[self._n:self._n + len(xs)] = xs
        self._y[self._n:self._n + len(ys)] = ys
        self._n += len(xs)
        while self._n > self.limit:
            self.thin()

    def thin(self) -> None:
        """Halve the older half: each group of 4 points becomes its lowest and highest point.
        The first point and the newer half stay exact."""
        groups = (self._n - 1) // 2 // 4
        if groups == 0:
            return
        h = 4 * groups
        xs, ys = self._x[1:1 + h].reshape(-1, 4), self._y[1:1 + h].reshape(-1, 4)
        rows = np.arange(groups)
        i_lo, i_hi = ys.argmin(axis=1), ys.argmax(axis=1)
        first, second = np.minimum(i_lo, i_hi), np.maximum(i_lo, i_hi)
        kept_x = np.stack([xs[rows, first], xs[rows, second]], axis=1).ravel()
        kept_y = np.stack([ys[rows, first], ys[rows, second]], axis=1).ravel()
        rest = self._n - 1 - h
        k = len(kept_x)
        self._x[1:1 + k], self._y[1:1 + k] = kept_x, kept_y
        self._x[1 + k:1 + k + rest] = self._x[1 + h:self._n].copy()
        self._y[1 + k:1 + k + rest] = self._y[1 + h:self._n].copy()
        self._n = 1 + k + rest

    def decimated(self, x0: float, x1: float, columns: int) -> tuple[np.ndarray, np.ndarray]:
        """At most about 2 points per column of [x0, x1] (each column's lowest and highest, the
        first and last points exact); the series itself when it is that short already."""
        x, y = self.x, self.y
        columns = max(int(columns), 1)
        if self._n <= 2 * columns or not x1 > x0:
            return x, y
        col = np.clip(((x - x0) * (columns / (x1 - x0))).astype(np.int64), 0, columns)
        starts = np.concatenate(([0], np.flatnonzero(np.diff(col)) + 1))
        ends = np.append(starts[1:], self._n)
        first, second = _extremes(x, y, starts, ends)
        out_x = np.repeat(x[starts], 2)
        out_x[1::2] = x[ends - 1]
        out_y = np.stack([first, second], axis=1).ravel()
        out_x = np.concatenate(([x[0]], out_x, [x[-1]]))
        out_y = np.concatenate(([y[0]], out_y, [y[-1]]))
        return out_x, out_y

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
