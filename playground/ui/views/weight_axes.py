"""The weights heatmap's picture of a weight tensor (``weight_image``), and ticks for the heatmap
and the gradient-norm axis: on cell centres, named, and never more than the axis has room for.

A weight matrix W (out, in) is drawn with one cell per weight: a tick sits in the middle of its
column (named after the input: X1, X2 ... for the first layer on 2-D data, else the input's
index) and of its row (the unit's index). Convolution kernels are tiled (filter rows, input
channel columns, one blank pixel between kernels): a tick sits in the middle of each kernel.
"""
from __future__ import annotations

import math

import numpy as np

from .ranges import decade_label

MIN_ROW_PX = 16          #: vertical room one tick label needs
MIN_COL_GAP_PX = 8       #: room between two tick labels side by side


def weight_image(w: np.ndarray) -> np.ndarray:
    """A 2-D picture of a weight tensor: dense (out, in) as it is; conv (out, in, kh, kw) tiled
    with one NaN pixel between kernels (drawn transparent)."""
    if w.ndim == 2:
        return w
    if w.ndim == 1:
        return w[None, :]
    out, inp, kh, kw = w.shape[0], w.shape[1], w.shape[-2], w.shape[-1]
    tiles = np.full((out * (kh + 1) - 1, inp * (kw + 1) - 1), np.nan, dtype=np.float32)
    for o in range(out):
        for i in range(inp):
            tiles[o * (kh + 1):o * (kh + 1) + kh, i * (kw + 1):i * (kw + 1) + kw] = w[o, i]
    return tiles


def thinned(ticks: list[tuple[float, str]], room_px: float, label_px) -> list[tuple[float, str]]:
    """Every k-th of ``ticks`` (evenly spaced over ``room_px``), the smallest k with room between
    each two labels shown for half of each (``label_px(text)``: a label's size with its gap), so
    a short name beside a long one needs no more room than the two take. The first always shows."""
    if not ticks:
        return []
    n = len(ticks)
    sizes = [label_px(text) for _, text in ticks]
    cell = room_px / n
    for every in range(1, n):
        pairs = range(0, n - every, every)          # each label shown and the next one shown
        if all(every * cell >= (sizes[i] + sizes[i + every]) / 2 for i in pairs):
            return ticks[::every]
    return ticks[:1]


def cell_ticks(count: int, cell: int = 1, gap: int = 0,
               names: list[str] | None = None) -> list[tuple[float, str]]:
    """A tick in the middle of each of ``count`` cells ``cell`` pixels wide with ``gap`` pixels
    between them; labelled with ``names`` when given (and as many), else 0, 1, 2 ..."""
    labels = names if names is not None and len(names) == count else [str(i) for i in range(count)]
    return [(i * (cell + gap) + cell / 2.0, labels[i]) for i in range(count)]


def heatmap_ticks(shape: tuple, names: list[str] | None = None
                  ) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """(bottom ticks, left ticks) of a weight tensor's picture (see ``weight_image``)."""
    if len(shape) == 4:
        out, inp, kh, kw = shape
        return (cell_ticks(inp, kw, 1, [f"ch{i}" for i in range(inp)]), cell_ticks(out, kh, 1))
    if len(shape) == 1:
        return cell_ticks(shape[0]), [(0.5, "0")]
    return cell_ticks(shape[1], names=names), cell_ticks(shape[0])


def decade_ticks_for(low: int, high: int, height_px: float) -> list[tuple[float, str]]:
    """Ticks at whole decades 10^low .. 10^high, as many as ``height_px`` has room for (labels
    MIN_ROW_PX tall), spaced evenly and always including 10^low."""
    decades = high - low
    fits = max(1, int(height_px // (MIN_ROW_PX + 4)) - 1)
    every = max(1, math.ceil(decades / fits))
    return [(float(k), decade_label(k)) for k in range(low, high + 1, every)]
