"""The Weights & gradients view's two histograms of the chosen layer: its weights, over the
heatmap's colour range ±r, and its gradients dL/dW, over a ± range of their own.

Both redraw only what changed: the same bars are not set again, the count axis grows at once and
shrinks only when far too tall, and the gradient range is sticky, since one batch's gradients can
be decades below the last one's and a range that followed every batch would re-lay the axis out
every frame (it shrinks only after SHRINK_AFTER draws in a row far below it)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .. import theme
from .axes import integer_axis, significant_axis
from .ranges import sticky_top

HIST_TIP = "How the weights are spread. Xavier init: N(0, 1/n_in); He init: N(0, 2/n_in)."
GRAD_TIP = ("How the gradients dL/dW of the last batch are spread. Backprop: dL/dW = delta x^T, "
            "where delta is the error signal of this layer.")
BINS = 41
SHRINK_AFTER = 8       #: draws in a row with gradients far below the histogram's range before it shrinks


class WeightHistograms:
    """The weight histogram (``weight_hist_plot``, its bars ``weight_hist``) and the gradient
    histogram (``grad_hist_plot``, ``grad_hist``), in row 1 of ``layout`` (a
    GraphicsLayoutWidget; the view arranges them further)."""

    def __init__(self, layout: pg.GraphicsLayoutWidget):
        # the histograms' axis labels say what they count: no titles, more room for the bars
        self.weight_hist_plot = layout.addPlot(row=1, col=0)
        self.weight_hist_plot.setLabel("bottom", "weight")
        self.weight_hist_plot.setToolTip(HIST_TIP)
        self.weight_hist = self.weight_hist_plot.plot(stepMode="center", fillLevel=0,
                                                      brush=(*theme.BLUE, 150), pen=theme.BLUE)
        self.grad_hist_plot = layout.addPlot(row=1, col=1)
        self.grad_hist_plot.setLabel("bottom", "dL/dW")
        self.grad_hist_plot.setToolTip(GRAD_TIP)
        self.grad_hist = self.grad_hist_plot.plot(stepMode="center", fillLevel=0,
                                                  brush=(*theme.ORANGE, 150), pen=theme.ORANGE)
        self.plots = (self.weight_hist_plot, self.grad_hist_plot)
        self._top = {id(plot): 1.0 for plot in self.plots}
        self.grad_range: float | None = None       # the gradient histogram's ± range
        self._grad_low = 0                  # draws in a row whose gradients fell far below it
        self._x: dict[int, tuple[float, float]] = {}   # the x range each histogram shows
        self._shown: dict[int, tuple[np.ndarray, np.ndarray]] = {}   # (edges, counts) drawn

    def readable_axes(self) -> None:
        """Counts in whole numbers; weights and gradients with significant digits."""
        for plot in self.plots:
            integer_axis(plot.getAxis("left"))
            significant_axis(plot.getAxis("bottom"))

    def clear(self) -> None:
        self.grad_range, self._grad_low = None, 0
        self._shown.clear()

    def follow_gradients(self, g) -> float | None:
        """The gradient histogram's ± range for gradients ``g`` (None without any), sticky."""
        if g is None or not g.size:
            return None
        peak = float(np.max(np.abs(g))) if np.isfinite(g).all() else 1.0
        low = self.grad_range is not None and peak <= self.grad_range and \
            peak < 0.1 * self.grad_range
        self._grad_low = self._grad_low + 1 if low else 0
        if not low or self._grad_low >= SHRINK_AFTER:
            self.grad_range = sticky_top(self.grad_range, peak, shrink_below=0.1)
            self._grad_low = 0
        return self.grad_range

    def draw(self, w: np.ndarray, r: float, g, g_max: float | None) -> None:
        """The bars of weights ``w`` over ±``r``, and of gradients ``g`` over ±``g_max``."""
        counts, edges = np.histogram(w, bins=BINS, range=(-r, r))
        self._set(self.weight_hist_plot, self.weight_hist, edges, counts)
        if g_max is not None:
            counts, edges = np.histogram(g, bins=BINS, range=(-g_max, g_max))
            self._set(self.grad_hist_plot, self.grad_hist, edges, counts)

    def _set(self, plot, curve, edges: np.ndarray, counts: np.ndarray) -> None:
        shown = self._shown.get(id(plot))
        if shown is not None and np.array_equal(shown[0], edges) and np.array_equal(shown[1], counts):
            return                  # the same bars: no new path, no repaint
        self._shown[id(plot)] = (edges, counts)
        curve.setData(edges, counts)
        top = self._top[id(plot)]
        peak = float(counts.max()) if counts.size else 1.0
        if peak > top or peak < top / 4:            # grow at once, shrink only when far too tall
            top = self._top[id(plot)] = max(peak * 1.2, 1.0)
            plot.setYRange(0, top, padding=0)
        lo, hi = float(edges[0]), float(edges[-1])      # python floats: float32 overflows in pyqtgraph
        if self._x.get(id(plot)) != (lo, hi):      # our own record: viewRange() rounds
            self._x[id(plot)] = (lo, hi)
            plot.setXRange(lo, hi, padding=0)
