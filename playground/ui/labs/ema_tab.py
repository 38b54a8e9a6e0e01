"""The EMA demo (notes 2.1): a noisy series, its exponentially weighted average with a β slider
and bias correction on or off, and the "average of the last 1/(1 − β) values" reading marked at
a cursor the student drags."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QVBoxLayout, QWidget)

from playground.labs.ema import ema, noisy_series, window

from .. import theme

N = 200


class EmaTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.seed = 0
        self.series = noisy_series(N, noise=2.0, seed=self.seed)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "t (step)")
        item.setLabel("left", "value")
        item.setMenuEnabled(False)
        item.addLegend(offset=(8, 8), labelTextSize="9pt")
        muted = theme.colors()["muted"]
        self.points = pg.ScatterPlotItem(size=5, brush=pg.mkBrush(muted), pen=None,
                                         name="the noisy values xₜ")
        self.line = pg.PlotDataItem(pen=pg.mkPen(theme.ACCENT, width=2.5), name="EMA")
        self.other = pg.PlotDataItem(pen=pg.mkPen(theme.ORANGE_HEX, width=1.5, style=Qt.DashLine),
                                     name="without bias correction")
        self.band = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(8, 119, 189, 40),
                                        pen=pg.mkPen(None))
        self.band.setToolTip("The last 1/(1 − β) values: roughly what the EMA averages "
                             "(they carry about 63 % of its weight)")
        self.cursor = pg.InfiniteLine(pos=120, movable=True, pen=pg.mkPen(theme.ACCENT, width=1.5),
                                      bounds=(1, N - 1))
        self.cursor.setToolTip("Drag: read the EMA at this step")
        for it in (self.band, self.points, self.other, self.line, self.cursor):
            self.plot.addItem(it)
        self.cursor.sigPositionChanged.connect(self.redraw)
        self.beta = QSlider(Qt.Horizontal)
        self.beta.setRange(0, 99)
        self.beta.setValue(90)
        self.beta.setToolTip("β: how much of the old average each step keeps")
        self.beta.valueChanged.connect(self.redraw)
        self.correct = QCheckBox("Bias correction: divide by 1 − βᵗ")
        self.correct.setChecked(True)
        self.correct.setToolTip("v starts at 0, so the first averages are too small; Adam divides "
                                "by 1 − βᵗ to fix that")
        self.correct.toggled.connect(self.redraw)
        again = QPushButton("New noise")
        again.setToolTip("Draw another noisy series")
        again.clicked.connect(self._on_new_noise)
        self.beta_label = QLabel()
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        self.reading.setTextFormat(Qt.RichText)
        form = QFormLayout()
        form.addRow(self.beta_label, self.beta)
        row = QHBoxLayout()
        row.addWidget(self.correct)
        row.addStretch(1)
        row.addWidget(again)
        formula = QLabel("v₀ = 0,  v<sub>t</sub> = β·v<sub>t−1</sub> + (1 − β)·x<sub>t</sub>, "
                         "bias-corrected v<sub>t</sub> / (1 − βᵗ) — the form of Adam's m and v "
                         "(notes 2.1, 2.2.3).")
        formula.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plot, 1)
        layout.addWidget(formula)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.reading)
        self.redraw()

    @property
    def beta_value(self) -> float:
        return self.beta.value() / 100

    def redraw(self, *_):
        beta = self.beta_value
        t = np.arange(1, N + 1)
        corrected = ema(self.series, beta, True)
        plain = ema(self.series, beta, False)
        on = self.correct.isChecked()
        self.points.setData(t, self.series)
        self.line.setData(t, corrected if on else plain)
        self.other.setData(t, plain if on else corrected)
        names = {id(self.line): "EMA, bias-corrected" if on else "EMA, no bias correction",
                 id(self.other): "(without bias correction)" if on else "(with bias correction)"}
        for sample, label in self.plot.getPlotItem().legend.items:
            if id(sample.item) in names:
                label.setText(names[id(sample.item)])
        w = window(beta)
        self.beta_label.setText(f"β = {beta:.2f}")
        at = int(round(self.cursor.value()))
        at = min(max(at, 1), N)
        self.band.setRegion((max(at - w + 0.5, 0.5), at + 0.5))
        last = self.series[max(at - int(round(w)), 0):at]
        value = (corrected if on else plain)[at - 1]
        self.reading.setText(
            f"1/(1 − β) = {w:.1f}: the EMA is roughly the average of the last {w:.0f} values. "
            f"At t = {at}: EMA = <b>{value:.2f}</b>, mean of the last {len(last)} values = "
            f"<b>{last.mean():.2f}</b>. At t = 1 without bias correction the EMA is "
            f"(1 − β)·x₁ = {plain[0]:.2f}, far below x₁ = {self.series[0]:.2f}.")

    def _on_new_noise(self) -> None:
        self.seed += 1
        self.series = noisy_series(N, noise=2.0, seed=self.seed)
        self.redraw()
