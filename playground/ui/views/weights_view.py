"""Weights and gradients: one layer's weight matrix as a heatmap, the histograms of its weights and
gradients, and every layer's gradient norm over time.

The heatmap's colour levels are fixed and symmetric (±range) so a colour means the same weight in
every frame. The gradient-norm plot is logarithmic with one line per layer: vanishing gradients
show as lines falling decades below the others near the input, exploding ones as lines climbing.
The histograms are views/weight_histograms.py, the colour range's controls views/colour_range.py.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout,
                               QWidget)

from .. import theme
from .axes import integer_axis
from .colour_range import ColourRange
from .grid_places import place_items
from .layer_order import in_order, network_order, relist_legend
from .optimizer_view import OptimizerView
from .ranges import cache_axes, step_window
from .rule_labels import label_for_rule, note_zero_update
from .series import GrowingSeries
from .weight_axes import (MIN_COL_GAP_PX, MIN_ROW_PX, decade_ticks_for, heatmap_ticks, thinned,
                          weight_image)
from .weight_histograms import WeightHistograms

LAYER_TIP = "The layer whose weights and gradients the heatmap and histograms show."
HEAT_TIP = ("The weight matrix W (rows: units of this layer, columns: its inputs), z = W x + b. "
            "Convolution kernels are tiled: one row per filter, one kernel per input channel, "
            "and their gradients dL/dW tiled the same way on the right, on their own ± scale.")
NORM_TIP = ("The L2 norm ||dL/dW|| = sqrt(sum of squared gradients) of every layer, per step, on a "
            "log axis. Lines falling far below the others near the input mean vanishing gradients "
            "(sigmoid'(z) <= 1/4 multiplies at every layer); lines climbing mean exploding ones.")
class NormView(NamedTuple):
    """What the gradient-norm plot shows: steps from ``x0`` to ``x0 + steps``, decades ``low`` to
    ``high`` (log10 of the norms)."""

    x0: float
    steps: float
    low: int
    high: int


LEGEND_COLUMNS, LEGEND_ROW = 3, 20     #: the gradient-norm legend: entries per row, row height
MIN_DECADES = 3        #: the gradient-norm axis spans at least this many decades
NORM_COLORS = [theme.BLUE, theme.ORANGE, (76, 175, 80), (171, 71, 188), (229, 57, 53),
               (0, 172, 193), (141, 110, 99), (96, 125, 139)]


class WeightsView(QWidget):
    """Layer chooser, weight heatmap with colour bar, weight and gradient histograms, gradient
    norms per layer over steps."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layer = QComboBox()
        self.layer.setToolTip(LAYER_TIP)
        self.layer.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.layer.setMinimumContentsLength(6)
        self.colour_range = ColourRange(self._weights, self)
        self.range, self.auto_range = self.colour_range.box, self.colour_range.auto
        self._input_names: list[str] | None = None
        self.norms: dict[str, GrowingSeries] = {}
        self.norm_lines: dict[str, pg.PlotDataItem] = {}
        self._norm_order: tuple = ()      # the layers of the last recorded snapshot, in order
        self._last = None
        self._last_step = -1
        self.plots = pg.GraphicsLayoutWidget()
        self._build_plots()
        self._layout()
        self.layer.currentTextChanged.connect(self._on_layer_changed)
        self.colour_range.levels_changed.connect(lambda r: self.colorbar.setLevels((-r, r)))
        self.colour_range.edited.connect(self._draw_layer)

    def _layout(self) -> None:
        controls = QHBoxLayout()
        controls.setContentsMargins(4, 4, 4, 0)     # 4 px: the tabs add their own frame
        controls.addWidget(QLabel("Layer"))
        controls.addWidget(self.layer, 1)
        scale = QHBoxLayout()
        scale.setContentsMargins(4, 0, 4, 0)
        scale.addWidget(QLabel("Colour range"))
        scale.addWidget(self.auto_range)
        scale.addWidget(self.range, 1)
        # the two rows of controls stand side by side when the view is wide (see _arrange)
        self._controls = QBoxLayout(QBoxLayout.TopToBottom)
        self._controls.setSpacing(2)
        self._controls.addLayout(controls)
        self._controls.addLayout(scale)
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(self._controls)
        box.addWidget(self.plots, 1)
        # a second tab: what the optimizer does to each layer (velocity, sqrt(v-hat), steps)
        self.optimizer = OptimizerView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(page, "Weights")
        self.tabs.setTabToolTip(0, "The chosen layer's weights and gradients, every layer's "
                                   "gradient norm")
        self.tabs.addTab(self.optimizer, "Optimizer")
        self.tabs.setTabToolTip(1, "Per layer over steps: momentum's velocity, Adam's √v̂, the "
                                   "step each weight takes and ‖Δw‖/‖w‖")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)

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
        # a convolution's kernel gradients, tiled as its kernels, to their right
        self.grad_heat = pg.ImageItem(axisOrder="row-major")
        self.grad_heat.setLookupTable(theme.diverging_colormap().getLookupTable(nPts=256))
        self.heat_plot.addItem(self.grad_heat)
        self.heat_plot.getViewBox().sigResized.connect(self._set_heat_ticks)
        self.colorbar = pg.ColorBarItem(values=(-1, 1), colorMap=theme.diverging_colormap(),
                                        interactive=False, width=10)
        self.colorbar.setImageItem(self.heat, insert_in=self.heat_plot)
        self.hists = WeightHistograms(g)
        h = self.hists
        self.weight_hist_plot, self.weight_hist = h.weight_hist_plot, h.weight_hist
        self.grad_hist_plot, self.grad_hist = h.grad_hist_plot, h.grad_hist
        self.norm_plot = g.addPlot(row=2, col=0, colspan=2,
                                   title="gradient norm per layer (log)")
        # the legend has a row of its own under the plot: it never covers a line or a point
        self.norm_legend = pg.LegendItem(labelTextSize="8pt", colCount=LEGEND_COLUMNS)
        g.addItem(self.norm_legend, row=3, col=0, colspan=2)
        self._wide: bool | None = None
        self._arrange(False)
        self._empty_norm_axis()
        self.norm_plot.setLogMode(y=True)
        self.norm_plot.setLabel("bottom", "step")
        self.norm_plot.setLabel("left", "‖dL/dW‖")
        self.norm_plot.getAxis("left").setStyle(hideOverlappingLabels=False)
        self.norm_plot.getAxis("left").setWidth(44)
        self.norm_plot.getViewBox().sigResized.connect(self._set_norm_ticks)
        self.norm_plot.setToolTip(NORM_TIP)
        self.norm_plot.setMouseEnabled(False, False)
        self.norm_plot.hideButtons()
        # no pyqtgraph downsampling or clipping: show_snapshot decimates the lines itself (two
        # points per pixel column) and the step axis always holds the whole run, and with them
        # every change of the step range re-ran both on every line (~5 ms a change)
        for plot in (self.heat_plot, self.weight_hist_plot, self.grad_hist_plot, self.norm_plot):
            plot.setMenuEnabled(False)
        # histogram ranges move only when they must: every range change repaints the axes
        for plot in (self.heat_plot, self.weight_hist_plot, self.grad_hist_plot, self.norm_plot):
            plot.enableAutoRange(False)
        self._heat_shape: tuple | None = None     # the heatmap's range follows its shape only
        self._norm_view: NormView | None = None     # what the gradient-norm plot shows
        self._readable_axes()
        for plot in (self.heat_plot, self.norm_plot):
            plot.titleLabel.setAttr("size", "9pt")     # an attribute: a restyle keeps it
            plot.titleLabel.setText(plot.titleLabel.text)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)
        for plot in (self.heat_plot, self.norm_plot, self.weight_hist_plot, self.grad_hist_plot):
            cache_axes(plot)       # the histograms' axes too: their bars change every frame

    def _readable_axes(self) -> None:
        """Counts and steps in whole numbers; weights and gradients with significant digits."""
        self.hists.readable_axes()
        integer_axis(self.norm_plot.getAxis("bottom"))

    def _fit_legend(self) -> None:
        """The legend's row is as tall as its entries (LEGEND_ROW each), never more."""
        rows = -(-len(self.norm_legend.items) // LEGEND_COLUMNS)
        self.norm_legend.setMinimumHeight(rows * LEGEND_ROW)
        self.norm_legend.setMaximumHeight(rows * LEGEND_ROW + 2)
        self.plots.ci.layout.invalidate()     # placed in its row now, not at the layout's corner

    # -- arrangement ---------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        size = event.size()
        self._arrange(size.width() >= max(480, 1.3 * size.height()))

    def _arrange(self, wide: bool) -> None:
        """Tall (a column of its own): heatmap, histograms, gradient norms, legend, one under the
        other. Wide (tabbed with the image views): the heatmap on the left, the histograms over
        the gradient norms on the right, and the controls on one row, so every plot keeps more
        than 80 px each way in a short dock."""
        if wide == self._wide:
            return
        self._wide = wide
        grid = self.plots.ci.layout
        items = (self.heat_plot, self.weight_hist_plot, self.grad_hist_plot, self.norm_plot,
                 self.norm_legend)
        places = ([(0, 0, 3, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 1, 1, 2), (2, 1, 1, 2)] if wide
                  else [(0, 0, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1), (2, 0, 1, 2), (3, 0, 1, 2)])
        place_items(grid, items, places)
        for row, stretch in enumerate((1, 1, 0, 0) if wide else (5, 3, 4, 0)):
            grid.setRowStretchFactor(row, stretch)
        for col, stretch in enumerate((4, 3, 3) if wide else (1, 1, 0)):
            grid.setColumnStretchFactor(col, stretch)
        self.norm_plot.setTitle(None if wide else "gradient norm per layer (log)", size="9pt")
        self.norm_plot.setLabel("left", "‖dL/dW‖ (log)" if wide else "‖dL/dW‖")
        if hasattr(self, "_controls"):
            self._controls.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)
        self.plots.ci.update()

    # -- data ----------------------------------------------------------------------------------
    def clear(self) -> None:
        for series in self.norms.values():
            series.clear()
        for line in self.norm_lines.values():
            self.norm_plot.removeItem(line)
        self.norms.clear()
        self.norm_lines.clear()
        self._norm_order = ()
        self.norm_legend.clear()
        self._fit_legend()
        self._norm_view = None
        self._empty_norm_axis()
        self.hists.clear()
        self._last_step = -1
        self._last = None
        self.layer.blockSignals(True)
        self.layer.clear()
        self.layer.blockSignals(False)
        self.heat.clear()
        self.optimizer.clear()

    def record(self, snap) -> None:
        """Keep the gradient norms of every snapshot, drawn or not (hidden views record only)."""
        label_for_rule(self, getattr(snap, "rule", "backprop"))     # a rule's Δw, titled so
        note_zero_update(self, snap)
        if snap.step < self._last_step:          # reset: start the norm lines again
            self.clear()
        if snap.step != self._last_step:
            self._add_norms(snap)
            self._last_step = snap.step
        self.optimizer.record(snap)

    def show_snapshot(self, snap) -> None:
        self.record(snap)
        self._last = snap
        if self.tabs.currentWidget() is self.optimizer:   # only the tab in front is drawn
            self.optimizer.show_snapshot(snap)
            return
        self._sync_layers(snap)
        self._fit_norm_view()
        view = self._norm_view or NormView(0.0, 10.0, 0, 0)
        x0, x1 = view.x0, view.x0 + view.steps * 1.04
        columns = max(int(self.norm_plot.getViewBox().boundingRect().width()), 16)
        for name, line in self.norm_lines.items():
            series = self.norms[name]
            # a line needs two points: the first one is drawn as a dot (set only when that
            # changes: symbol options rebuild the line's scatter item)
            dot = "o" if len(series) == 1 else None
            if line.opts["symbol"] != dot:
                line.setSymbol(dot)
            # at most ~2 points per pixel column: the cost stays flat however long the run
            line.setData(*series.decimated(x0, x1, columns))
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
            self.colour_range.choose()

    def set_input_names(self, names: list[str] | None) -> None:
        """The network's input features (X1, X2, X1² ...): the first layer's columns say them."""
        self._input_names = list(names) if names else None
        self._heat_shape = None

    def _weights(self):
        name = self.layer.currentText()
        return None if self._last is None else self._last.weights.get(f"{name}.weight")

    def _add_norms(self, snap) -> None:
        for name, value in snap.grad_norms.items():
            # a line per layer from the first snapshot on, so none is built in the first
            # frames of a run (each costs a legend relayout)
            if name not in self.norms:
                self.norms[name] = GrowingSeries()
                color = NORM_COLORS[len(self.norm_lines) % len(NORM_COLORS)]
                # no dynamic range limit: the values are decades (log10 of a finite norm), and
                # with the limit every change of the decades shown re-ran each line's data
                self.norm_lines[name] = self.norm_plot.plot(
                    pen=pg.mkPen(color, width=2), symbolSize=5, symbolBrush=pg.mkBrush(color),
                    symbolPen=None, dynamicRangeLimit=None)
                self.norm_legend.addItem(self.norm_lines[name], name)
                self._fit_legend()
            if value > 0 and math.isfinite(value):   # log axis: a zero norm (before the first
                self.norms[name].append(snap.step, value)   # step) has no place
        if tuple(snap.grad_norms) != self._norm_order:
            self._norm_order = tuple(snap.grad_norms)
            self._order_norms()

    def _order_norms(self) -> None:
        """The lines and the legend in the network's layer order (see layer_order)."""
        order = network_order(self.norm_lines, self._norm_order)
        if order != list(self.norm_lines):
            self.norm_lines, self.norms = in_order(self.norm_lines, order), in_order(self.norms, order)
            relist_legend(self.norm_legend, self.norm_lines)
            self._fit_legend()

    def _fit_norm_view(self) -> None:
        """Ranges that change only when the data leave them (each change repaints both axes):
        the steps as ranges.step_window grows them (with room after the last point, so its dot
        is whole); the log axis spans at least three whole decades around the norms, labelled
        0.01, 0.1, 1."""
        series = [s for s in self.norms.values() if len(s)]
        if not series:
            return
        old = self._norm_view
        first, last = min(float(s.x[0]) for s in series), max(float(s.x[-1]) for s in series)
        x0, steps = step_window(old and old.x0, old and old.steps, first, last)
        lo = min(float(np.min(s.y)) for s in series)
        hi = max(float(np.max(s.y)) for s in series)
        low, high = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        while high - low < MIN_DECADES:       # widen around the data: first upwards, then down
            if (high - low) % 2:
                low -= 1
            else:
                high += 1
        view = NormView(x0, steps, low, high)
        if old is not None and old.low <= math.log10(lo) and math.log10(hi) <= old.high and \
                high - low >= old.high - old.low - 1:
            view = view._replace(low=old.low, high=old.high)   # still fits: keep the axis as it is
        if view != old:
            self._norm_view = view
            if old is None or (old.x0, old.steps) != (x0, steps):   # each change re-lays an axis out
                self.norm_plot.setXRange(x0, x0 + steps * 1.04, padding=0)   # room for the last dot
            if old is None or (old.low, old.high) != (view.low, view.high):
                # log mode: in decades, with a sliver of room so the end labels are drawn whole
                self.norm_plot.setYRange(view.low - 0.08, view.high + 0.08, padding=0)
                self._set_norm_ticks()

    def _draw_layer(self) -> None:
        w = self._weights()
        if w is None:
            return
        self.colour_range.choose(force=False)
        r = self.range.value()
        image = weight_image(w)
        self.heat.setImage(image, autoLevels=False, levels=(-r, r))
        g = self._last.gradients.get(f"{self.layer.currentText()}.weight")
        g_max = self.hists.follow_gradients(g)      # sticky (see weight_histograms)
        conv = w.ndim == 4 and g is not None and g.shape == w.shape
        self._draw_kernel_gradients(g if conv else None, g_max, image.shape)
        shape = (w.shape, conv)
        if shape != self._heat_shape:
            self._heat_shape = shape
            width = image.shape[1] * (2 if conv else 1) + (1 if conv else 0)
            # kernels keep square pixels (a grid of little pictures); a dense matrix fills the plot
            self.heat_plot.setAspectLocked(w.ndim == 4)
            self.heat_plot.setRange(xRange=(0, width), yRange=(0, image.shape[0]), padding=0.02)
            self.heat_plot.setTitle("kernels W  |  gradients dL/dW" if conv else "weights W",
                                    size="9pt")
            self.heat_plot.setLabel("bottom", "input channel" if w.ndim == 4 else "input")
            self.heat_plot.setLabel("left", "filter" if w.ndim == 4 else "unit")
            self._set_heat_ticks()
        self.hists.draw(w, r, g, g_max)

    def _draw_kernel_gradients(self, g, g_max, shape: tuple) -> None:
        """A convolution's gradients tiled like its kernels, one blank column right of them."""
        if g is None or not g_max:
            self.grad_heat.setVisible(False)
            return
        self.grad_heat.setVisible(True)
        self.grad_heat.setImage(weight_image(g), autoLevels=False, levels=(-g_max, g_max))
        self.grad_heat.setRect(shape[1] + 1, 0, shape[1], shape[0])

    def _names_for_layer(self) -> list[str] | None:
        """The input features name the columns of the first layer only."""
        first = self.layer.itemText(0) if self.layer.count() else None
        return self._input_names if self.layer.currentText() == first else None

    def _set_heat_ticks(self, *_args) -> None:
        """Ticks on the middle of each weight's cell (or each kernel), as many as fit."""
        w = self._weights()
        if w is None:
            return
        bottom, left = heatmap_ticks(w.shape, self._names_for_layer())
        box = self.heat_plot.getViewBox().boundingRect()
        (x0, x1), (y0, y1) = self.heat_plot.viewRange()
        metrics = pg.QtGui.QFontMetricsF(self.heat_plot.getAxis("bottom").style.get("tickFont")
                                         or self.font())
        # pixels the ticked cells span: from the first cell's left edge to the last one's right
        x_px = box.width() * (bottom[-1][0] + bottom[0][0]) / max(x1 - x0, 1e-9)
        y_px = box.height() * (left[-1][0] + left[0][0]) / max(y1 - y0, 1e-9)
        bottom = thinned(bottom, x_px, lambda t: metrics.horizontalAdvance(t) + MIN_COL_GAP_PX)
        left = thinned(left, y_px, lambda t: MIN_ROW_PX)
        self.heat_plot.getAxis("bottom").setTicks([bottom, []])
        self.heat_plot.getAxis("left").setTicks([left, []])

    def _empty_norm_axis(self) -> None:
        """Before any gradient (or for a rule that has none, the perceptron's): whole decades
        0.01 to 10, not pyqtgraph's log minor ticks piled on each other ("9 8 7 6 5 4 3 2")."""
        self.norm_plot.setXRange(0, 10, padding=0)
        self.norm_plot.setYRange(-2.08, 1.08, padding=0)
        self.norm_plot.getAxis("left").setTicks([decade_ticks_for(-2, 1, 1000), []])

    def _set_norm_ticks(self, *_args) -> None:
        if self._norm_view is not None:
            height = self.norm_plot.getViewBox().boundingRect().height()
            self.norm_plot.getAxis("left").setTicks(
                [decade_ticks_for(self._norm_view.low, self._norm_view.high, height), []])

    def _on_tab_changed(self, _index: int) -> None:
        if self._last is not None:
            self.show_snapshot(self._last)

    def _on_layer_changed(self, _name: str) -> None:
        self.colour_range.choose()
        self._draw_layer()
