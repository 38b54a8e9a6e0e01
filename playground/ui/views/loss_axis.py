"""The Curves' loss axis: linear from 0 to a round top with three ticks (no half a mistake for
the perceptron), or whole decades on a log scale. It moves only when the data leave it (every
range change re-lays the axis out)."""
from __future__ import annotations

import math

import numpy as np

from .ranges import decade_ticks, sticky_top


class LossAxis:
    """The y axis of ``plot``; ``view`` is (log?, low, high) as shown, None to fit anew."""

    def __init__(self, plot):
        self.plot = plot
        self.view: tuple | None = None

    def fit(self, loss: list[np.ndarray], log: bool, perceptron: bool) -> None:
        """Fit the values of every line ``loss`` (none: the axis stays as it is)."""
        if not loss:
            return
        hi = max(float(np.max(y)) for y in loss)
        if log:
            positive = [y[y > 0] for y in loss]
            lo = min((float(np.min(y)) for y in positive if y.size), default=hi)
            if not (lo > 0 and hi > 0):
                return
            low, high = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
            view = (True, low, max(high, low + 1))
            old = self.view
            if old and old[0] and old[1] <= math.log10(lo) and math.log10(hi) <= old[2]:
                return                               # the data still fit the decades shown
            self.view = view
            self.plot.setYRange(view[1], view[2], padding=0.02)
            self.plot.getAxis("left").setTicks([decade_ticks(view[1], view[2]), []])
            return
        old_top = self.view[2] if self.view and not self.view[0] else None
        top = sticky_top(old_top, hi)
        if top != old_top:
            self.view = (False, 0.0, top)
            self.plot.setYRange(0, top, padding=0.02)
            ticks = [(0.0, "0"), (top / 2, f"{top / 2:g}"), (top, f"{top:g}")]
            if perceptron and not (top / 2).is_integer():
                del ticks[1]                         # no half a mistake on the axis
            self.plot.getAxis("left").setTicks([ticks, []])
