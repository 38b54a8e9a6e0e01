"""Axis ranges that move only when the data leave them, and readable log-axis ticks.

Every change of a plot's range makes pyqtgraph regenerate and repaint both axes; a range that
follows the data frame by frame costs that on every frame. So x ranges grow by doubling (the
history of a run only grows) and y ranges jump to a round number above the data, shrinking only
when the data have fallen far below it.
"""
from __future__ import annotations

import math


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k at or above ``value`` (1.0 for zero or a non-number)."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    exp = math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * 10 ** exp >= value * (1 - 1e-12):
            return float(m * 10 ** exp)
    return float(10 ** (exp + 1))


def doubled(span: float, needed: float) -> float:
    """``span`` doubled until it covers ``needed`` (a growing history's x range). A span that
    must more than double leaves room for as much again: at a run's start a fast network's
    steps outgrow the axis every frame, and each change re-lays the axis out (the dearest
    paints of a run's first second)."""
    span = max(span, 1e-9)
    leap = needed > 2 * span
    while span < needed:
        span *= 2
    return span * 2 if leap else span


def step_window(x0: float | None, steps: float | None, first: float,
                last: float) -> tuple[float, float]:
    """(start, span) of a growing history's step axis. The start, once shown (``x0``), stays;
    a new axis starts at 0, or at ``first`` when the history starts later (a run going on after
    an edit: the step counter goes on, the lines start again, and from 0 they were a sliver at
    the right). The span is ``steps`` (10 at first) doubled to hold ``last`` (see doubled)."""
    if x0 is None:
        x0 = first if first > 10.0 else 0.0
    return x0, doubled(steps or 10.0, last - x0)


def sticky_top(top: float | None, peak: float, shrink_below: float = 0.25) -> float:
    """A y range's top: the nice ceiling of ``peak`` when the data go above ``top`` or fall
    below ``shrink_below`` of it, else ``top`` unchanged."""
    if top is None or peak > top or peak < top * shrink_below:
        return nice_ceiling(peak * 1.05)
    return top


def decade_label(k: int) -> str:
    """10^k written the way a student reads it: 0.01, 0.1, 1, 10, 100; 1e-3 beyond."""
    return f"{10.0 ** k:g}" if -2 <= k <= 2 else f"1e{k}"


def decade_ticks(low: int, high: int) -> list[tuple[float, str]]:
    """Ticks at whole decades from 10^low to 10^high (log-mode coordinates), at most ~5."""
    every = max(1, math.ceil((high - low) / 4))
    return [(float(k), decade_label(k)) for k in range(low, high + 1, every)]


def cache_axes(plot) -> None:
    """Keep ``plot``'s axes and title as pixmaps (QGraphicsItem.DeviceCoordinateCache).

    A curve's update dirties the scene around it, and every item the dirty region touches
    repaints: without a cache each axis replays its tick picture (~1 ms) on every frame although
    nothing on it changed. With the cache it is a blit; the axis draws again only when its range,
    size or style changes (pyqtgraph calls update() then, which invalidates the cache)."""
    from PySide6.QtWidgets import QGraphicsItem
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        if axis is not None:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.titleLabel.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
