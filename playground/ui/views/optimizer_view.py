"""The Optimizer tab of Weights & gradients: what the optimizer does to each layer, over steps.

Four log plots, one colour per layer (the gradient-norm plot's colours):

- ‖v‖, momentum's velocity (Adam: ‖m̂‖, its bias-corrected first moment);
- √v̂ per weight, the denominator RMSProp and Adam divide by (median line, 5-95 % band);
- |step| per weight, what the latest update subtracted from each weight (median, 5-95 % band);
- ‖Δw‖ / ‖w‖, with the practitioners' band around 1e-3 shaded.

The numbers come from the snapshot (``engine.optimizer_stats``, computed by the training worker
from the optimizer's own state). Adam's late jumps on a solved spiral read off the plots: √v̂
falls by decades as the gradients fade, the steps climb back, and the ratio leaves its band.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from .. import theme
from .axes import integer_axis
from .grid_places import place_items
from .layer_order import in_order, network_order, relist_legend
from .ranges import cache_axes, step_window
from .series import GrowingSeries
from .weight_axes import decade_ticks_for

LAYER_COLORS = [theme.BLUE, theme.ORANGE, (76, 175, 80), (171, 71, 188), (229, 57, 53),
                (0, 172, 193), (141, 110, 99), (96, 125, 139)]
RATIO_BAND = (3e-4, 3e-3)      #: the shaded band of ‖Δw‖/‖w‖ around the rule of thumb, 1e-3
LEGEND_COLUMNS, LEGEND_ROW = 3, 20   #: as the gradient-norm legend: four names at 8pt need ~300 px
MIN_DECADES = 2

PLOTS = {
    "velocity": ("‖v‖ momentum's velocity", "‖v‖",
                 "The norm of each layer's momentum velocity v ← ρv + lr·g (notes 2.2.1), in "
                 "weight units: the step momentum takes. For Adam, ‖m̂‖ = ‖m / (1 − β₁ᵗ)‖, its "
                 "bias-corrected running average of gradients."),
    "sqrt_v": ("√v̂ per weight (bias-corrected)", "√v̂",
               "The denominator of RMSProp and Adam: √v̂ = √(v / (1 − β₂ᵗ)), the running RMS of "
               "each weight's gradient (notes 2.3-2.4). Line: the median weight of the layer; "
               "band: 5 % to 95 % of its weights. When the gradients fade, √v̂ falls, and the "
               "same m̂ makes a bigger step."),
    "step": ("|step| per weight", "|Δw|",
             "What the latest update subtracted from each weight: lr·g (SGD), v (momentum), "
             "lr·g/(√v̂+ε) (RMSProp), lr·m̂/(√v̂+ε) (Adam). Line: the median weight of the layer; "
             "band: 5 % to 95 %."),
    "ratio": ("‖Δw‖ / ‖w‖ update ratio", "‖Δw‖/‖w‖",
              "How big the latest update was next to the weights themselves. Practitioners aim "
              "for about 1e-3 (the shaded band): far below, the layer hardly learns; far above, "
              "it is thrown about."),
}
MISSING = {"velocity": {"sgd": "SGD keeps no velocity", "rmsprop": "RMSProp keeps no velocity"},
           "sqrt_v": {"sgd": "SGD does not divide by √v̂",
                      "momentum": "momentum does not divide by √v̂"}}
NAMES = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam"}
#: the first plot's title for the optimizers that keep a first moment other than a velocity
VELOCITY_TITLES = {"adam": ("‖m̂‖ Adam's first moment", "‖m̂‖")}
SQRT_V_TITLES = {"rmsprop": ("√s per weight (RMSProp, no bias correction)", "√s")}
EMPTY = "Train to see what the optimizer does to each layer."


class _Layer:
    """The series of one layer: ‖v‖, √v̂ (5 %, median, 95 %), |step| (same), ratio."""

    def __init__(self):
        self.series = {key: GrowingSeries() for key in
                       ("velocity", "sqrt_v_lo", "sqrt_v", "sqrt_v_hi", "step_lo", "step",
                        "step_hi", "ratio")}

    def add(self, step: int, stats) -> None:
        values = {"velocity": stats.velocity_norm, "ratio": stats.update_ratio,
                  "step_lo": stats.step[0], "step": stats.step[2], "step_hi": stats.step[-1]}
        if stats.sqrt_v is not None:
            values.update(sqrt_v_lo=stats.sqrt_v[0], sqrt_v=stats.sqrt_v[2],
                          sqrt_v_hi=stats.sqrt_v[-1])
        for key, value in values.items():
            if value > 0 and math.isfinite(value):      # log axes: zeros and NaN have no place
                self.series[key].append(step, math.log10(value))


class OptimizerView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.header = QLabel(EMPTY)
        self.header.setWordWrap(True)
        self.header.setContentsMargins(6, 4, 6, 0)
        self.plots = pg.GraphicsLayoutWidget()
        self.plot = {}
        self.notes = {}
        for key, (title, unit, tip) in PLOTS.items():
            plot = pg.PlotItem()
            plot.setTitle(title, size="9pt")
            plot.setLabel("left", unit)
            plot.setToolTip(tip)
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.enableAutoRange(False)
            plot.getAxis("left").setWidth(44)
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.getAxis("bottom").enableAutoSIPrefix(False)
            integer_axis(plot.getAxis("bottom"))
            plot.getViewBox().sigResized.connect(lambda *_a, k=key: self._set_ticks(k))
            note = pg.TextItem("", color=theme.colors()["mid"], anchor=(0.5, 0.5))
            plot.addItem(note, ignoreBounds=True)
            self.plot[key], self.notes[key] = plot, note
            cache_axes(plot)
        self._ratio_band()
        self.legend = pg.LegendItem(labelTextSize="8pt", colCount=LEGEND_COLUMNS)
        self.layers: dict[str, _Layer] = {}
        self.items: dict[str, dict[str, pg.GraphicsObject]] = {}
        self.optimizer = ""
        self._last_step = -1
        self._order: tuple = ()         # the layers of the last recorded snapshot, in order
        self._view: dict[str, tuple] = {}
        self._wide: bool | None = None
        self._arrange(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.header)
        box.addWidget(self.plots, 1)
        self._empty()

    def _ratio_band(self) -> None:
        plot = self.plot["ratio"]
        lo, hi = (math.log10(v) for v in RATIO_BAND)
        band = pg.LinearRegionItem((lo, hi), orientation="horizontal", movable=False,
                                   brush=pg.mkBrush(76, 175, 80, 45), pen=pg.mkPen(None))
        band.setZValue(-10)
        band.setToolTip("about 1e-3: the practitioners' target for ‖Δw‖/‖w‖")
        plot.addItem(band)
        plot.addItem(pg.InfiniteLine(pos=-3, angle=0, pen=pg.mkPen((76, 175, 80), width=1,
                                                                   style=Qt.DashLine)))

    # -- arrangement ---------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        size = event.size()
        self._arrange(size.width() >= max(480, 1.3 * size.height()))

    def _arrange(self, wide: bool) -> None:
        """Tall: the four plots one under the other; wide: two by two. The legend under them."""
        if wide == self._wide:
            return
        self._wide = wide
        grid = self.plots.ci.layout
        items = [*self.plot.values(), self.legend]
        places = ([(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 1, 1), (2, 0, 1, 2)] if wide
                  else [(0, 0, 1, 1), (1, 0, 1, 1), (2, 0, 1, 1), (3, 0, 1, 1), (4, 0, 1, 1)])
        place_items(grid, items, places)
        for row in range(5):
            grid.setRowStretchFactor(row, 0 if row == (2 if wide else 4) else 1)
        bottom = ("step", "ratio") if wide else ("ratio",)
        for key, plot in self.plot.items():
            plot.setLabel("bottom", "step" if key in bottom else None)
            plot.showLabel("bottom", key in bottom)
        self.plots.ci.update()

    # -- data ----------------------------------------------------------------------------------
    def clear(self) -> None:
        for items in self.items.values():
            for key, item in items.items():
                self.plot[key.split(":")[0]].removeItem(item)
        self.items.clear()
        self.layers.clear()
        self.legend.clear()
        self._last_step = -1
        self._order = ()
        self._view.clear()
        self.optimizer = ""
        self.header.setText(EMPTY)
        self._titles()
        self._empty()

    def _titles(self) -> None:
        """Titles name what each optimizer keeps (Adam: m̂ where momentum has v)."""
        for key, table in (("velocity", VELOCITY_TITLES), ("sqrt_v", SQRT_V_TITLES)):
            title, unit = table.get(self.optimizer, PLOTS[key][:2])
            if self.plot[key].titleLabel.text != title:
                self.plot[key].setTitle(title, size="9pt")
                self.plot[key].setLabel("left", unit)

    def _empty(self) -> None:
        for key, plot in self.plot.items():
            plot.setXRange(0, 10, padding=0)
            plot.setYRange(-4, 0, padding=0)
            self._view[key] = (None, 10.0, -4, 0)     # (first step, steps, low, high)
            self.notes[key].setPos(5, -2)
            self._set_ticks(key)

    def record(self, snap) -> None:
        """Keep every snapshot's numbers, drawn or not (a hidden tab records only)."""
        if snap.step < self._last_step or (snap.optimizer and self.optimizer
                                          and snap.optimizer != self.optimizer):
            self.clear()                # a reset, or another optimizer: its state starts again
        stats = getattr(snap, "optimizer_stats", None)
        if not stats and snap.optimizer:
            # before the first step: the layers' lines and legend now, not in a run's first frames
            layers = [layer for layer in dict.fromkeys(name.rpartition(".")[0]
                                                        for name in snap.weights) if layer]
            for layer in layers:
                if layer not in self.layers:
                    self._add_layer(layer)
            self._follow_order(layers)
        if not stats or snap.step == self._last_step:
            return
        self.optimizer = snap.optimizer
        self._last_step = snap.step
        for layer, values in stats.items():
            if layer not in self.layers:
                self._add_layer(layer)
            self.layers[layer].add(snap.step, values)
        self._follow_order(stats)

    def _follow_order(self, layers) -> None:
        """The layers' lines and legend in the network's order (see layer_order)."""
        if tuple(layers) == self._order:
            return
        self._order = tuple(layers)
        order = network_order(self.layers, self._order)
        if order != list(self.layers):
            self.layers, self.items = in_order(self.layers, order), in_order(self.items, order)
            relist_legend(self.legend, {layer: items["ratio"]
                                        for layer, items in self.items.items()})

    def _add_layer(self, layer: str) -> None:
        color = LAYER_COLORS[len(self.layers) % len(LAYER_COLORS)]
        self.layers[layer] = _Layer()
        pen = pg.mkPen(color, width=2)
        items = {}
        for key in ("velocity", "ratio"):
            items[key] = self.plot[key].plot(pen=pen)
        for key in ("sqrt_v", "step"):
            # the band's edges are curves of their own, never drawn (a PlotDataItem without a
            # pen would not even hold its data)
            lo, hi = pg.PlotCurveItem(pen=pg.mkPen(None)), pg.PlotCurveItem(pen=pg.mkPen(None))
            band = pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(*color, 50))
            self.plot[key].addItem(band)
            items[f"{key}:band"] = band
            items[f"{key}:lo"], items[f"{key}:hi"] = lo, hi
            items[key] = self.plot[key].plot(pen=pen)
        self.items[layer] = items
        self.legend.addItem(items["ratio"], layer)
        rows = -(-len(self.layers) // LEGEND_COLUMNS)
        self.legend.setMinimumHeight(rows * LEGEND_ROW)
        self.legend.setMaximumHeight(rows * LEGEND_ROW + 2)

    def show_snapshot(self, snap) -> None:
        self.record(snap)
        name = NAMES.get(self.optimizer, self.optimizer)
        if self.layers and self._last_step >= 0:
            self.header.setText(f"{name}: what its latest update did to each layer, at step "
                                f"{self._last_step:,}. Lines: the layer's median weight; bands: "
                                f"5-95 % of its weights.")
        for layer, data in self.layers.items():
            items = self.items[layer]
            for key, item in items.items():
                if key.endswith(":band"):
                    continue
                series = data.series[key.replace(":lo", "_lo").replace(":hi", "_hi")]
                item.setData(series.x, series.y)
        self._titles()
        for key in self.plot:
            self.notes[key].setText(MISSING.get(key, {}).get(self.optimizer, ""))
            self._fit(key)

    def _fit(self, key: str) -> None:
        """x: the steps (ranges.step_window); y: whole decades around the data, moved only when
        they leave."""
        series = [d.series[s] for d in self.layers.values()
                  for s in (key, f"{key}_lo", f"{key}_hi") if s in d.series and len(d.series[s])]
        if not series:
            return
        old = self._view.get(key)
        first, last = min(float(s.x[0]) for s in series), max(float(s.x[-1]) for s in series)
        x0, steps = step_window(old[0] if old else None, old[1] if old else None, first, last)
        lo = min(float(np.min(s.y)) for s in series)
        hi = max(float(np.max(s.y)) for s in series)
        if key == "ratio":
            lo, hi = min(lo, math.log10(RATIO_BAND[0])), max(hi, math.log10(RATIO_BAND[1]))
        low, high = math.floor(lo), math.ceil(hi)
        if high - low < MIN_DECADES:
            low = high - MIN_DECADES
        if old is not None and old[2] <= lo and hi <= old[3] and old[3] - old[2] <= \
                high - low + 2:
            low, high = old[2], old[3]             # still fits: keep the axis as it is
        view = (x0, steps, low, high)
        if view != old:
            self._view[key] = view
            plot = self.plot[key]
            plot.setXRange(x0, x0 + steps * 1.02, padding=0)
            plot.setYRange(low - 0.05, high + 0.05, padding=0)
            self.notes[key].setPos(x0 + steps / 2, (low + high) / 2)
            self._set_ticks(key)

    def _set_ticks(self, key: str) -> None:
        view = self._view.get(key)
        if view is not None:
            height = self.plot[key].getViewBox().boundingRect().height()
            self.plot[key].getAxis("left").setTicks([decade_ticks_for(view[2], view[3], height),
                                                     []])
