"""Weights and gradients: one layer's weight matrix as a heatmap, the histograms of its weights and
gradients, and every layer's gradient norm over time.

The heatmap's colour levels are fixed and symmetric (±range) so a colour means the same weight in
every frame. The gradient-norm plot is logarithmic with one line per layer: vanishing gradients
show as lines falling decades below the others near the input, exploding ones as lines climbing.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QVBoxLayout,
                               QWidget)

from .. import theme
from .series import GrowingSeries

LAYER_TIP = "The layer whose weights and gradients the heatmap and histograms show."
RANGE_TIP = ("The fixed colour range ±r of the heatmap: -r is orange, 0 white, +r blue. Fixed, so a "
             "colour means the same weight in every frame while the weights change.")
HEAT_TIP = ("The weight matrix W (rows: units of this layer, columns: its inputs), z = W x + b. "
            "Convolution kernels are tiled: one row per filter, one kernel per input channel.")
HIST_TIP = "How the weights are spread. Xavier init: N(0, 1/n_in); He init: N(0, 2/n_in)."
GRAD_TIP = ("How the gradients dL/dW of the last batch are spread. Backprop: dL/dW = delta x^T, "
            "where delta is the error signal of this layer.")
NORM_TIP = ("The L2 norm ||dL/dW|| = sqrt(sum of squared gradients) of every layer, per step, on a "
            "log axis. Lines falling far below the others near the input mean vanishing gradients "
            "(sigmoid'(z) <= 1/4 multiplies at every layer); lines climbing mean exploding ones.")
BINS = 41
NORM_COLORS = [theme.BLUE, theme.ORANGE, (76, 175, 80), (171, 71, 188), (229, 57, 53),
               (0, 172, 193), (141, 110, 99), (96, 125, 139)]


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


def nice_range(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k at or above ``value`` (a round colour range)."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    exp = math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * 10 ** exp >= value:
            return float(m * 10 ** exp)
    return float(10 ** (exp + 1))


class WeightsView(QWidget):
    """Layer chooser, weight heatmap with colour bar, weight and gradient histograms, gradient
    norms per layer over steps."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layer = QComboBox()
        self.layer.setToolTip(LAYER_TIP)
        self.layer.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.layer.setMinimumContentsLength(6)
        self.range = QDoubleSpinBox()
        self.range.setRange(0.001, 1000.0)
        self.range.setDecimals(3)
        self.range.setPrefix("± ")
        self.range.setToolTip(RANGE_TIP)
        self.norms: dict[str, GrowingSeries] = {}
        self.norm_lines: dict[str, pg.PlotDataItem] = {}
        self._last = None
        self._last_step = -1
        self.plots = pg.GraphicsLayoutWidget()
        self._build_plots()
        self._layout()
        self.layer.currentTextChanged.connect(self._on_layer_changed)
        self.range.valueChanged.connect(self._on_range_changed)

    def _layout(self) -> None:
        controls = QHBoxLayout()
        controls.setContentsMargins(6, 4, 6, 0)
        controls.addWidget(QLabel("Layer"))
        controls.addWidget(self.layer, 1)
        controls.addWidget(QLabel("Range"))
        controls.addWidget(self.range)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(controls)
        box.addWidget(self.plots, 1)

    def _build_plots(self) -> None:
        g = self.plots
        # the heatmap gets the full width of the first row: one column per input stays readable
        self.heat_plot = g.addPlot(row=0, col=0, colspan=2, title="weights W")
        self.heat_plot.invertY(True)
        self.heat_plot.setAspectLocked(False)
        self.heat_plot.setLabel("bottom", "input")
        self.heat_plot.setLabel("left", "unit")
        self.heat_plot.setToolTip(HEAT_TIP)
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.heat_plot.addItem(self.heat)
        self.colorbar = pg.ColorBarItem(values=(-1, 1), colorMap=theme.diverging_colormap(),
                                        interactive=False, width=10)
        self.colorbar.setImageItem(self.heat, insert_in=self.heat_plot)
        self.weight_hist_plot = g.addPlot(row=1, col=0, title="weights")
        self.weight_hist_plot.setLabel("bottom", "weight")
        self.weight_hist_plot.setToolTip(HIST_TIP)
        self.weight_hist = self.weight_hist_plot.plot(stepMode="center", fillLevel=0,
                                                      brush=(*theme.BLUE, 150), pen=theme.BLUE)
        self.grad_hist_plot = g.addPlot(row=1, col=1, title="gradients")
        self.grad_hist_plot.setLabel("bottom", "dL/dW")
        self.grad_hist_plot.setToolTip(GRAD_TIP)
        self.grad_hist = self.grad_hist_plot.plot(stepMode="center", fillLevel=0,
                                                  brush=(*theme.ORANGE, 150), pen=theme.ORANGE)
        self.norm_plot = g.addPlot(row=2, col=0, colspan=2, title="gradient norm per layer")
        g.ci.layout.setRowStretchFactor(0, 5)
        g.ci.layout.setRowStretchFactor(1, 3)
        g.ci.layout.setRowStretchFactor(2, 4)
        self.norm_plot.setLogMode(y=True)
        self.norm_plot.setLabel("bottom", "step")
        self.norm_plot.setLabel("left", "||dL/dW||")
        self.norm_plot.getAxis("left").setStyle(hideOverlappingLabels=False)
        self.norm_plot.showGrid(x=True, y=True, alpha=0.15)
        self.norm_plot.addLegend(offset=(-6, 6), labelTextSize="8pt")
        self.norm_plot.setToolTip(NORM_TIP)
        for plot in (self.heat_plot, self.weight_hist_plot, self.grad_hist_plot, self.norm_plot):
            plot.setMenuEnabled(False)
        # histogram ranges move only when they must: every range change repaints the axes
        for plot in (self.weight_hist_plot, self.grad_hist_plot, self.norm_plot):
            plot.enableAutoRange(False)
        self._norm_view = None              # (steps, log10 low, log10 high) the norm plot shows
        self._hist_top = {id(self.weight_hist_plot): 1.0, id(self.grad_hist_plot): 1.0}
        for plot in (self.heat_plot, self.weight_hist_plot, self.grad_hist_plot, self.norm_plot):
            plot.titleLabel.setAttr("size", "9pt")     # an attribute: a restyle keeps it
            plot.titleLabel.setText(plot.titleLabel.text)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)

    # -- data ----------------------------------------------------------------------------------
    def clear(self) -> None:
        for series in self.norms.values():
            series.clear()
        for line in self.norm_lines.values():
            self.norm_plot.removeItem(line)
        self.norms.clear()
        self.norm_lines.clear()
        self.norm_plot.legend.clear()
        self._norm_view = None
        self._last_step = -1
        self._last = None
        self.layer.blockSignals(True)
        self.layer.clear()
        self.layer.blockSignals(False)
        self.heat.clear()

    def record(self, snap) -> None:
        """Keep the gradient norms of every snapshot, drawn or not (hidden views record only)."""
        if snap.step < self._last_step:          # reset: start the norm lines again
            self.clear()
        if snap.step != self._last_step:
            self._add_norms(snap)
            self._last_step = snap.step

    def show_snapshot(self, snap) -> None:
        self.record(snap)
        self._last = snap
        self._sync_layers(snap)
        for name, line in self.norm_lines.items():
            series = self.norms[name]
            # a line needs two points: the first one is drawn as a dot
            line.setData(series.x, series.y, symbol="o" if len(series) == 1 else None,
                         symbolSize=5, symbolBrush=line.opts["pen"].color(), symbolPen=None)
        self._fit_norm_view()
        self._draw_layer()

    def _sync_layers(self, snap) -> None:
        names = [k[:-len(".weight")] for k in snap.weights if k.endswith(".weight")]
        current = [self.layer.itemText(i) for i in range(self.layer.count())]
        if names != current:
            chosen = self.layer.currentText()
            self.layer.blockSignals(True)
            self.layer.clear()
            self.layer.addItems(names)
            self.layer.setCurrentIndex(max(names.index(chosen) if chosen in names else 0, 0))
            self.layer.blockSignals(False)
            self._choose_range()

    def _choose_range(self) -> None:
        w = self._weights()
        if w is not None:
            self.range.blockSignals(True)
            self.range.setValue(nice_range(float(np.max(np.abs(w))) if w.size else 1.0))
            self.range.blockSignals(False)
            self.colorbar.setLevels((-self.range.value(), self.range.value()))

    def _weights(self):
        name = self.layer.currentText()
        return None if self._last is None else self._last.weights.get(f"{name}.weight")

    def _add_norms(self, snap) -> None:
        for name, value in snap.grad_norms.items():
            if not (value > 0 and math.isfinite(value)):
                continue                      # log axis: a zero norm (before the first step) has no place
            if name not in self.norms:
                self.norms[name] = GrowingSeries()
                color = NORM_COLORS[len(self.norm_lines) % len(NORM_COLORS)]
                self.norm_lines[name] = self.norm_plot.plot(pen=pg.mkPen(color, width=2), name=name)
            self.norms[name].append(snap.step, value)

    def _fit_norm_view(self) -> None:
        """Ranges that change only when the data leave them (each change repaints both axes):
        steps grow by doubling from 10, the log axis spans whole decades around the norms, so
        a single point still gets a readable axis instead of ticks crowded into a sliver."""
        series = [s for s in self.norms.values() if len(s)]
        if not series:
            return
        last = max(float(s.x[-1]) for s in series)
        lo = min(float(np.min(s.y)) for s in series)
        hi = max(float(np.max(s.y)) for s in series)
        steps = self._norm_view[0] if self._norm_view else 10.0
        while steps < last:
            steps *= 2
        low, high = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        if high - low < 1:
            high = low + 1
        view = (steps, low, high)
        if self._norm_view is not None:
            _, old_low, old_high = self._norm_view
            if old_low <= math.log10(lo) and math.log10(hi) <= old_high and high - low >= \
                    old_high - old_low - 1:
                view = (steps, old_low, old_high)       # still fits: keep the axis as it is
        if view != self._norm_view:
            self._norm_view = view
            self.norm_plot.setXRange(0, steps, padding=0)
            self.norm_plot.setYRange(view[1], view[2], padding=0)   # log mode: in decades
            # whole decades only: pyqtgraph labels minor log ticks too, which crowd a short axis
            every = max(1, (view[2] - view[1] + 3) // 4)
            self.norm_plot.getAxis("left").setTicks(
                [[(k, f"1e{k}") for k in range(view[1], view[2] + 1, every)], []])

    def _draw_layer(self) -> None:
        w = self._weights()
        if w is None:
            return
        r = self.range.value()
        self.heat.setImage(weight_image(w), autoLevels=False, levels=(-r, r))
        counts, edges = np.histogram(w, bins=BINS, range=(-r, r))
        self._set_hist(self.weight_hist_plot, self.weight_hist, edges, counts)
        g = self._last.gradients.get(f"{self.layer.currentText()}.weight")
        if g is not None and g.size:
            g_max = nice_range(float(np.max(np.abs(g)))) if np.isfinite(g).all() else 1.0
            counts, edges = np.histogram(g, bins=BINS, range=(-g_max, g_max))
            self._set_hist(self.grad_hist_plot, self.grad_hist, edges, counts)

    def _set_hist(self, plot, curve, edges: np.ndarray, counts: np.ndarray) -> None:
        curve.setData(edges, counts)
        top = self._hist_top[id(plot)]
        peak = float(counts.max()) if counts.size else 1.0
        if peak > top or peak < top / 4:            # grow at once, shrink only when far too tall
            top = self._hist_top[id(plot)] = max(peak * 1.2, 1.0)
            plot.setYRange(0, top, padding=0)
        x_range = plot.getViewBox().viewRange()[0]
        lo, hi = float(edges[0]), float(edges[-1])      # python floats: float32 overflows in pyqtgraph
        if x_range[0] != lo or x_range[1] != hi:
            plot.setXRange(lo, hi, padding=0)

    def _on_layer_changed(self, _name: str) -> None:
        self._choose_range()
        self._draw_layer()

    def _on_range_changed(self, value: float) -> None:
        self.colorbar.setLevels((-value, value))
        self._draw_layer()
