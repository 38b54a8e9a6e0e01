"""The activation explorer: f and f′ of every activation the engine has (read from the engine,
so new ones appear by themselves), α for leaky ReLU, softmax for one component with the others
held, and a readout under the mouse."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QListWidget, QSlider,
                               QVBoxLayout, QWidget)

from playground.labs import activation_curves as ac

from .. import theme
from .live_units import LiveUnits

X = np.linspace(-6, 6, 601)
TITLES = {"identity": "Identity", "step": "Step (binary)", "sigmoid": "Sigmoid", "tanh": "TanH",
          "relu": "ReLU", "leaky_relu": "Leaky ReLU", "softmax": "Softmax (one component)"}


class ActivationTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.names = QListWidget()
        for name in ac.names():
            self.names.addItem(TITLES.get(name, name.replace("_", " ").capitalize()))
            self.names.item(self.names.count() - 1).setData(Qt.UserRole, name)
            self.names.item(self.names.count() - 1).setToolTip(ac.formula(name))
        self.names.setMaximumWidth(220)
        self.names.setSpacing(3)
        self.names.setToolTip("Every activation the engine has")
        self.names.currentRowChanged.connect(self.redraw)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "z (the pre-activation)")
        item.setLabel("left", "f(z) and f′(z)")
        item.setMenuEnabled(False)
        item.showGrid(True, True, 0.15)
        item.addLegend(offset=(8, 8), labelTextSize="10pt")
        self.f = pg.PlotDataItem(pen=pg.mkPen(theme.ACCENT, width=3), name="f(z)")
        self.df = pg.PlotDataItem(pen=pg.mkPen(theme.ORANGE_HEX, width=2.5, style=Qt.DashLine),
                                  name="f′(z)")
        self.dot_f = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(theme.ACCENT))
        self.dot_df = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(theme.ORANGE_HEX))
        for it in (self.f, self.df, self.dot_f, self.dot_df):
            self.plot.addItem(it)
        self.plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(theme.colors()["mid"])))
        self.plot.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen(theme.colors()["mid"])))
        self.plot.scene().sigMouseMoved.connect(self._on_mouse)
        self.alpha = self._slider(0, 100, 10, "α, the slope of leaky ReLU below 0")
        self.other1 = self._slider(-60, 60, 0, "z₂, held fixed")
        self.other2 = self._slider(-60, 60, 0, "z₃, held fixed")
        self.alpha_label, self.o1_label, self.o2_label = QLabel(), QLabel(), QLabel()
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.readout = QLabel("Move the mouse over the plot to read f and f′.")
        form = QFormLayout()
        form.addRow(self.alpha_label, self.alpha)
        form.addRow(self.o1_label, self.other1)
        form.addRow(self.o2_label, self.other2)
        # the network being trained: one layer's z behind the curves, saturated/dead units
        self.x = X
        self.live = LiveUnits(self.plot)
        self.live.layer_chosen.connect(self.show_activation)
        self.live.span_needed.connect(self.set_span)
        self.plot.setMinimumHeight(260)
        right = QVBoxLayout()
        right.addWidget(self.plot, 3)
        right.addWidget(self.formula)
        right.addLayout(form)
        right.addWidget(self.readout)
        right.addWidget(self.live, 2)
        layout = QHBoxLayout(self)
        layout.addWidget(self.names)
        layout.addLayout(right, 1)
        self.names.setCurrentRow(list(ac.names()).index("sigmoid"))

    def set_span(self, span: float) -> None:
        """Draw f and f′ over [-span, span] (a live layer's z may reach far beyond ±6)."""
        if span != self.x[-1]:
            self.x = np.linspace(-span, span, 601)
            self.plot.setXRange(-span, span, padding=0.02)
            self.redraw()

    def show_activation(self, name, alpha=None) -> None:
        """Show activation ``name`` (a live layer's), with its α for leaky ReLU."""
        if name is None:
            return
        names = list(ac.names())
        if name in names:
            if name == "leaky_relu" and alpha is not None:
                self.alpha.setValue(round(float(alpha) * 100))
            self.names.setCurrentRow(names.index(name))

    def _slider(self, low, high, value, tip) -> QSlider:
        s = QSlider(Qt.Horizontal)
        s.setRange(low, high)
        s.setValue(value)
        s.setToolTip(tip)
        s.valueChanged.connect(self.redraw)
        return s

    @property
    def name(self) -> str:
        item = self.names.currentItem()
        return item.data(Qt.UserRole) if item else "sigmoid"

    def _curves(self, x):
        others = (self.other1.value() / 10, self.other2.value() / 10)
        alpha = self.alpha.value() / 100 if self.name == "leaky_relu" else None   # else its default
        return ac.curves(self.name, x, alpha, others)

    def redraw(self, *_):
        name = self.name
        leaky, soft = name == "leaky_relu", name == "softmax"
        for w in (self.alpha, self.alpha_label):
            w.setVisible(leaky)
        for w in (self.other1, self.other2, self.o1_label, self.o2_label):
            w.setVisible(soft)
        self.alpha_label.setText(f"α = {self.alpha.value() / 100:.2f}")
        self.o1_label.setText(f"z₂ = {self.other1.value() / 10:.1f}")
        self.o2_label.setText(f"z₃ = {self.other2.value() / 10:.1f}")
        f, df = self._curves(self.x)
        self.f.setData(self.x, f)
        self.df.setData(self.x, df)
        text = ac.formula(name)
        if soft:
            text = ("S₁(z) = e^z / (e^z + e^z₂ + e^z₃), the first of three outputs while the others "
                    "are held;  ∂S₁/∂z = S₁ (1 − S₁)")
        if leaky:
            text = f"g(z) = max(α z, z) with α = {self.alpha.value() / 100:.2f};  g′ = 1 if z > 0 else α"
        self.formula.setText(f"<b>{text}</b>")

    def _on_mouse(self, pos) -> None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(pos):
            return
        x = float(np.clip(vb.mapSceneToView(pos).x(), self.x[0], self.x[-1]))
        f, df = self._curves(np.array([x]))
        self.dot_f.setData([x], f)
        self.dot_df.setData([x], df)
        self.readout.setText(f"z = {x:.2f}:  f(z) = {f[0]:.4f},  f′(z) = {df[0]:.4f}")
