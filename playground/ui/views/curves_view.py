"""Training curves: loss and accuracy per epoch, and the running batch loss between epochs.

Train and test curves side by side show under- and overfitting (notes: the test loss turning up
while the train loss still falls). Every series grows in a preallocated array that doubles when full.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .. import theme
from .series import GrowingSeries

LOG_TIP = ("Plot the loss on a logarithmic axis: equal steps mean equal ratios, so the slow "
           "late decrease (e.g. from 0.01 to 0.001) stays visible.")
LOSS_TIP = ("Loss per epoch: the mean of the loss function over the whole training set (train) and "
            "the held-out test set (test), e.g. BCE = -mean(y log p + (1 - y) log(1 - p)). The thin "
            "line is the running mean batch loss between epochs.")
ACC_TIP = ("Accuracy per epoch: the share of examples whose predicted class (p >= 0.5, or "
           "argmax_k p_k) equals the label. For regression: R² = 1 - SSE / SST.")

_LINES = {  # key: (plot, label, colour, width, style)
    "train_loss": ("loss", "train loss", theme.BLUE, 2.2, None),
    "test_loss": ("loss", "test loss", theme.ORANGE, 2.2, None),
    "batch_loss": ("loss", "batch loss", (140, 140, 140), 1.0, None),
    "train_score": ("score", "train", theme.BLUE, 2.2, None),
    "test_score": ("score", "test", theme.ORANGE, 2.2, None),
}


def _score_key(record: dict) -> str | None:
    for key in ("accuracy", "r2"):
        if f"train_{key}" in record:
            return key
    return None


class CurvesView(QWidget):
    """Loss (with log-scale option) and accuracy / R² against epochs; ``show_snapshot`` and
    ``add_batch_losses`` feed it, ``clear`` starts again."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series = {key: GrowingSeries() for key in _LINES}
        self._epochs_seen = 0
        self._score = None
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setToolTip(LOG_TIP)
        self.summary = QLabel("")
        self.plots = pg.GraphicsLayoutWidget()
        self.loss_plot = self.plots.addPlot(row=0, col=0)
        self.score_plot = self.plots.addPlot(row=1, col=0)
        self.lines = {}
        self._style()
        controls = QHBoxLayout()
        controls.setContentsMargins(6, 4, 6, 0)
        controls.addWidget(self.log_scale)
        # the summary may be cut short rather than widen the dock column
        self.summary.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.summary.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        controls.addWidget(self.summary, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(controls)
        box.addWidget(self.plots, 1)
        self.log_scale.toggled.connect(self._on_log_toggled)

    def _style(self) -> None:
        for plot, ylabel, tip in ((self.loss_plot, "loss", LOSS_TIP),
                                  (self.score_plot, "accuracy", ACC_TIP)):
            plot.setLabel("bottom", "epoch")
            plot.setLabel("left", ylabel)
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setMenuEnabled(False)
            plot.addLegend(offset=(-6, 6), labelTextSize="8pt")
            plot.setToolTip(tip)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)
        self.score_plot.setYRange(0, 1.02, padding=0)
        self.score_plot.getViewBox().setLimits(yMin=-0.05)
        for key, (where, label, color, width, _) in _LINES.items():
            plot = self.loss_plot if where == "loss" else self.score_plot
            self.lines[key] = plot.plot(pen=pg.mkPen(color, width=width), name=label)
        self.lines["batch_loss"].setZValue(-1)

    def clear(self) -> None:
        for series in self.series.values():
            series.clear()
        for line in self.lines.values():
            line.setData([], [])
        self._epochs_seen = 0
        self.summary.setText("")

    def add_batch_losses(self, x: np.ndarray, losses: np.ndarray) -> None:
        """Running batch losses at fractional epochs x (from the training thread)."""
        if len(x):
            self.series["batch_loss"].extend(x, losses)    # drawn by the next show_snapshot

    def show_snapshot(self, snap) -> None:
        history = snap.history
        if len(history) < self._epochs_seen:      # the run was reset
            self.clear()
        if history and self._epochs_seen == 0:
            self._score = _score_key(history[0])
            self.score_plot.setLabel("left", "R²" if self._score == "r2" else "accuracy")
        for record in history[self._epochs_seen:]:
            self._append(record)
        if len(history) > self._epochs_seen:
            self._epochs_seen = len(history)
            for key in ("train_loss", "test_loss", "train_score", "test_score"):
                self._set(key)
        self._set("batch_loss")
        self.summary.setText(self._summary(snap))

    def _append(self, record: dict) -> None:
        epoch = record.get("epoch", 0)
        for key in ("train_loss", "test_loss"):
            self._add(key, epoch, record.get(key))
        if self._score:
            self._add("train_score", epoch, record.get(f"train_{self._score}"))
            self._add("test_score", epoch, record.get(f"test_{self._score}"))

    def _add(self, key: str, epoch: float, value) -> None:
        if value is not None and math.isfinite(value):
            self.series[key].append(epoch, value)

    def _set(self, key: str) -> None:
        s = self.series[key]
        self.lines[key].setData(s.x, s.y)

    def _summary(self, snap) -> str:
        parts = [f"epoch {snap.epoch}"]
        if math.isfinite(snap.train_loss):
            parts.append(f"train loss {snap.train_loss:.4f}")
        if math.isfinite(snap.test_loss):
            parts.append(f"test loss {snap.test_loss:.4f}")
        return "   ".join(parts)

    def _on_log_toggled(self, checked: bool) -> None:
        self.loss_plot.setLogMode(y=checked)
