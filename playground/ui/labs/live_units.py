"""The activation explorer's live half: the chosen layer of the network being trained, its
pre-activations z on a probe batch as a histogram behind f and f′, and per layer over steps the
share of saturated units (sigmoid, tanh) and of dead ReLU units.

The numbers come from the training worker's snapshots (``labs.unit_health``, in
``Snapshot.unit_health``); this widget reads the newest one a few times a second through
``source`` (a callable returning a snapshot or None), so it never waits on training. The shares
over steps come from the worker's record (``labs.run_record``, through ``history``) which starts
with training, so a window opened late draws the whole run.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.labs.unit_health import MOST, SLOPE

from .. import theme
from ..views.series import GrowingSeries

POLL_MS = 250
COLORS = [theme.BLUE, theme.ORANGE, (76, 175, 80), (171, 71, 188), (229, 57, 53), (0, 172, 193)]
NONE = "— none: the curves only —"
SHARE_TIP = (f"Per layer, over training steps: the share of units that are saturated (sigmoid, "
             f"tanh: |f′(z)| < {SLOPE} on more than {MOST:.0%} of the probe inputs; solid) or "
             f"dead (ReLU: z ≤ 0 on every probe input; dashed). Saturated and dead units pass "
             f"back almost no gradient (notes 1.9).")


class LiveUnits(QWidget):
    """Layer chooser, the share plot and the histogram it puts behind ``curve_plot``."""

    #: the chosen layer's activation and α, for the explorer to show (None: no layer)
    layer_chosen = Signal(object, object)
    #: the half-width of z the curves should span to show the chosen layer's z (at least 6)
    span_needed = Signal(float)

    def __init__(self, curve_plot: pg.PlotWidget, parent=None):
        super().__init__(parent)
        self.source = None
        self.history = None
        self._seen_records = -1
        self._wanted: str | None = None        # a layer asked for before its snapshot came
        self.layer = QComboBox()
        self.layer.addItem(NONE, None)
        self.layer.setToolTip("A layer of the network in the main window: its pre-activations z "
                              "on a probe batch of training inputs are drawn behind f and f′")
        self.layer.currentIndexChanged.connect(self._on_layer)
        self.status = QLabel("Train the network in the main window to see its units here.")
        self.status.setWordWrap(True)
        self._histogram(curve_plot)
        self.share = pg.PlotWidget()
        item = self.share.getPlotItem()
        item.setTitle("saturated (solid) and dead (dashed) units per layer", size="9pt")
        item.setLabel("left", "share of units")
        item.setLabel("bottom", "step")
        item.setMenuEnabled(False)
        item.setMouseEnabled(False, False)
        item.hideButtons()
        item.setYRange(0, 1.02, padding=0)
        item.getAxis("left").setTicks([[(v, f"{v:.0%}") for v in (0, 0.25, 0.5, 0.75, 1.0)], []])
        # three columns along the top: a deep network's lines stay listed whole (one column ran
        # past the plot's bottom from the fifth line on)
        legend = item.addLegend(offset=(-4, 4), labelTextSize="8pt", colCount=3)
        legend.setBrush(pg.mkBrush(255, 255, 255, 190) if not theme.is_dark()
                        else pg.mkBrush(30, 34, 39, 190))
        self.share.setToolTip(SHARE_TIP)
        self.share.setMinimumHeight(140)
        self.share.setMaximumHeight(240)
        self.series: dict[tuple[str, str], GrowingSeries] = {}
        self.lines: dict[tuple[str, str], pg.PlotDataItem] = {}
        self._last_step = -1
        self._last = None
        row = QHBoxLayout()
        row.addWidget(QLabel("Live layer"))
        row.addWidget(self.layer, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.status)
        box.addWidget(self.share, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def _histogram(self, curve_plot: pg.PlotWidget) -> None:
        """A second view box sharing the curves' z axis, behind them, with its own count axis."""
        item = curve_plot.getPlotItem()
        self.hist_box = pg.ViewBox(enableMouse=False)
        item.showAxis("right")
        item.scene().addItem(self.hist_box)
        item.getAxis("right").linkToView(self.hist_box)
        item.getAxis("right").setLabel("share of z")
        item.getAxis("right").enableAutoSIPrefix(False)
        self.hist_box.setXLink(item.getViewBox())
        self.hist_box.setZValue(-100)
        item.getViewBox().setZValue(10)
        self.hist = pg.BarGraphItem(x=[], height=[], width=1, brush=pg.mkBrush(*theme.BLUE, 60),
                                    pen=pg.mkPen(None))
        self.hist_box.addItem(self.hist)
        self.hist_box.setMouseEnabled(False, False)
        self._plot_item = item

        def follow():
            self.hist_box.setGeometry(item.getViewBox().sceneBoundingRect())
        item.getViewBox().sigResized.connect(follow)
        follow()
        item.getAxis("right").hide()

    # -- data ------------------------------------------------------------------------------------
    def set_source(self, source, history=None) -> None:
        """``source()``: the newest snapshot or None; ``history()``: the worker's ``LabsRecord``
        of the same network, or None (then the shares are those seen since the window opened)."""
        self.source = source
        self.history = history
        self.timer.start()
        self.poll()

    def choose(self, layer_id: str) -> None:
        """Select ``layer_id`` (the Inspector's link); it appears with the next snapshot if the
        network has not published it yet."""
        self._wanted = layer_id
        self.poll()
        index = self.layer.findData(layer_id)
        if index >= 0:
            self.layer.setCurrentIndex(index)

    def poll(self) -> None:
        snap = self.source() if self.source is not None else None
        if snap is None or not getattr(snap, "unit_health", None):
            return
        if snap.step < self._last_step:
            self._clear_series()
        self._sync_layers(snap.unit_health)
        record = self.history() if self.history is not None else None
        if record is not None:
            if record.records != self._seen_records:
                self._load(record.health_series())
                self._seen_records, self._last_step = record.records, snap.step
        elif snap.step != self._last_step:
            self._last_step = snap.step
            self._record(snap)
        self._last = snap
        self._draw()

    def _sync_layers(self, health: dict) -> None:
        ids = list(health)
        have = [self.layer.itemData(i) for i in range(1, self.layer.count())]
        if ids != have:
            chosen = self._wanted or self.layer.currentData()
            self.layer.blockSignals(True)
            while self.layer.count() > 1:
                self.layer.removeItem(1)
            for layer_id in ids:
                self.layer.addItem(f"{layer_id} · {health[layer_id].activation}", layer_id)
            self.layer.setCurrentIndex(max(0, self.layer.findData(chosen)) if chosen else 0)
            self.layer.blockSignals(False)
            self._wanted = None
            self._on_layer()
        elif self._wanted:
            self.layer.setCurrentIndex(max(0, self.layer.findData(self._wanted)))
            self._wanted = None

    def _line(self, key: tuple[str, str], k: int) -> None:
        if key in self.series:
            return
        self.series[key] = GrowingSeries()
        style = pg.QtCore.Qt.SolidLine if key[1] == "saturated" else pg.QtCore.Qt.DashLine
        pen = pg.mkPen(COLORS[k % len(COLORS)], width=2, style=style)
        self.lines[key] = self.share.getPlotItem().plot(pen=pen, name=f"{key[0]} {key[1]}")

    def _record(self, snap) -> None:
        for k, (layer_id, h) in enumerate(snap.unit_health.items()):
            for kind, value in (("saturated", h.saturated), ("dead", h.dead)):
                if value is None:
                    continue
                self._line((layer_id, kind), k)
                self.series[(layer_id, kind)].append(snap.step, value)

    def _load(self, history: dict) -> None:
        """The whole run's shares, from the worker's record (replacing what is drawn)."""
        layers = list(dict.fromkeys(layer for layer, _ in history))
        if set(self.series) - set(history):
            self._clear_series()
        for key, (x, y) in history.items():
            self._line(key, layers.index(key[0]))
            series = self.series[key] = GrowingSeries()
            series.extend(x, y)

    def _clear_series(self) -> None:
        item = self.share.getPlotItem()
        for line in self.lines.values():
            item.removeItem(line)
            if item.legend is not None:
                item.legend.removeItem(line)
        self.series.clear()
        self.lines.clear()
        self._last_step = -1
        self._seen_records = -1

    def _on_layer(self, *_args) -> None:
        layer_id = self.layer.currentData()
        h = self._health(layer_id)
        self.layer_chosen.emit(h.activation if h else None, h.alpha if h else None)
        self._draw()

    def _health(self, layer_id):
        if layer_id is None or self._last is None:
            return None
        return self._last.unit_health.get(layer_id)

    def _draw(self) -> None:
        for key, line in self.lines.items():
            series = self.series[key]
            line.setData(series.x, series.y)
        if self.series:
            last = max(float(s.x[-1]) for s in self.series.values() if len(s))
            self.share.getPlotItem().setXRange(0, max(last, 1.0), padding=0.02)
        h = self._health(self.layer.currentData())
        self.hist_box.setVisible(h is not None)
        self._plot_item.getAxis("right").setVisible(h is not None)
        if h is None:
            if self.series:
                self.status.setText(f"The shares below cover the whole run, to step "
                                    f"{self._last_step:,}. Choose a live layer to see its z "
                                    f"behind f and f′.")
            return
        z = np.asarray(h.z, np.float64)
        z = z[np.isfinite(z)]
        reach = float(np.quantile(np.abs(z), 0.99)) if len(z) else 0.0
        span = 6.0 if reach <= 6 else min(float(np.ceil(reach / 5) * 5), 100.0)
        self.span_needed.emit(span)
        x0, x1 = -span, span
        counts, edges = np.histogram(np.clip(z, x0, x1), bins=60, range=(x0, x1))
        share = counts / max(len(z), 1)
        self.hist.setOpts(x=(edges[:-1] + edges[1:]) / 2, height=share,
                          width=(edges[1] - edges[0]) * 0.95)
        self.hist_box.setYRange(0, max(float(share.max()), 1e-3) * 1.1, padding=0)
        outside = float(np.mean((z < x0) | (z > x1))) if len(z) else 0.0
        parts = [f"Layer {self.layer.currentData()} ({h.units} units, {h.activation}) at step "
                 f"{self._last_step:,}: z of the probe batch behind the curves"]
        if outside:
            parts.append(f"{outside:.0%} of z lie beyond the plot (piled at its edges)")
        if h.saturated is not None:
            parts.append(f"{h.saturated:.0%} of units saturated")
        if h.dead is not None:
            parts.append(f"{h.dead:.0%} of units dead")
        self.status.setText("; ".join(parts) + ".")
