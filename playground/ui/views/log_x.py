"""A log x axis for the Curves (no Qt): its range in whole decades, its ticks, and the points a
log axis needs.

Runs compared per example seen (SGD with batch 1 against the full batch) reach x values decades
apart: on a linear axis the batch-1 line is a sliver at the left. On a log axis each line gets
room. Ticks are whole decades (1, 10, 100, 1,000, 10k ...), with 2 and 5 in between when only
a few decades are shown; an axis of whole quantities (epochs, steps, examples) starts at 1 and
never shows a fraction.
"""
from __future__ import annotations

import math

import numpy as np

SPREAD = 20.0          #: runs whose last x differ by this factor turn the log axis on by themselves
MINOR_DECADES = 3      #: up to this many decades shown, 2 and 5 get ticks too


def number_label(value: float, integer: bool) -> str:
    """1, 20, 500, 1,000, 5,000, 20k, 100k, 2M for whole quantities; 0.01, 0.5, 20 for seconds."""
    if integer or value >= 1:
        if value >= 1e6:
            return f"{value / 1e6:g}M"
        if value >= 1e4:
            return f"{value / 1e3:g}k"
        return f"{value:,.0f}"
    return f"{value:g}"


def decades(lo: float, hi: float, integer: bool) -> tuple[int, int]:
    """The whole decades holding [lo, hi] (lo > 0); an integer axis starts at 10^0 at least."""
    low = math.floor(math.log10(lo) + 1e-9)
    high = math.ceil(math.log10(max(hi, lo)) - 1e-9)
    if integer:
        low = max(low, 0)
    return low, max(high, low + 1)


def ticks(low: int, high: int, integer: bool) -> list[list[tuple[float, str]]]:
    """pyqtgraph tick levels in log coordinates: decades, then 2x and 5x (few decades only)."""
    every = max(1, math.ceil((high - low) / 6))
    major = [(float(k), number_label(10.0 ** k, integer)) for k in range(low, high + 1, every)]
    minor = []
    if high - low <= MINOR_DECADES:
        for k in range(low, high):
            for m in (2, 5):
                minor.append((math.log10(m) + k, number_label(m * 10.0 ** k, integer)))
    return [major, minor]


def log_sample(x: np.ndarray, y: np.ndarray, points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most about ``points`` of the positive-x points, spaced evenly in log x (a linear
    thinning would leave the first decades, where a run changes most, a point or two)."""
    keep = x > 0
    x, y = x[keep], y[keep]
    if len(x) <= points:
        return x, y
    marks = np.geomspace(x[0], x[-1], points)
    idx = np.unique(np.r_[np.searchsorted(x, marks).clip(0, len(x) - 1), len(x) - 1])
    return x[idx], y[idx]


def spread(lasts: list[float]) -> float:
    """How many times the largest of the runs' last x is the smallest (1 with fewer than 2)."""
    positive = [v for v in lasts if v > 0]
    if len(positive) < 2:
        return 1.0
    return max(positive) / min(positive)
