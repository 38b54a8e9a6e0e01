"""Training curves: loss and accuracy per epoch, and the running batch loss between epochs.

Train and test curves side by side show under- and overfitting (notes: the test loss turning up
while the train loss still falls). Every series grows in a preallocated array that doubles when full,
holds at most SERIES_LIMIT points (older points thinned, extremes kept), and is drawn decimated to
the plot's pixel columns: a frame costs the same after an hour as after a minute. New history
records are found from the end (by epoch), so a trainer that thins its history is no reset.
Its parts: the header's key (curves_legend.py), the loss axis (loss_axis.py), the log x axis
(log_x_axis.py) and the other runs' lines (run_overlay.py).
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout,
                               QWidget)

from .. import theme
from ..widgets.steady_label import make_steady, set_steady
from . import log_x
from .curves_legend import BATCH_COLOR, MISTAKES_COLOR, WIDEST, legend_text, loss_key
from .log_x_axis import LogXAxis, first_x
from .loss_axis import LossAxis
from .ranges import cache_axes, doubled
from .run_overlay import X_KEYS, RunOverlay, variant_runs
from .series import GrowingSeries

X_LABEL_OVERHANG = 16    #: px an end tick's label may reach past the x axis (half a "1,000")

PER = {"epoch": "per epoch", "step": "per step", "examples": "per example seen",
       "seconds": "per second"}
X_TIP = ("What the curves are drawn against: epochs (passes over the training set), steps "
         "(mini-batches), examples seen (steps x batch size: fair between batch sizes) or seconds "
         "of training (compute time, pauses left out). The thin batch-loss line is drawn against "
         "epochs only.")

LOG_TIP = ("Plot the loss on a logarithmic axis: equal steps mean equal ratios, so the slow "
           "late decrease (e.g. from 0.01 to 0.001) stays visible.")
LOSS_TIP = ("Loss per epoch: the mean of the loss function over the whole training set (train) and "
            "the held-out test set (test), e.g. BCE = -mean(y log p + (1 - y) log(1 - p)). The thin "
            "line is the running mean batch loss between epochs.")
MISTAKES_TIP = ("Mistakes per epoch: how many examples the perceptron got wrong during the epoch, "
                "each one an update w <- w + eta (y - y_hat) x. On linearly separable data it falls "
                "to 0 and the weights stop changing; with overlapping classes it never settles.")
ADALINE_TIP = ("ADALINE's loss: the mean squared error of z = w.x + b against the targets -1 and +1, "
               "which is what the Widrow-Hoff rule minimises. It stays above 0 even when every "
               "example is classified right, since z is not exactly -1 or +1.")
NORM_TIP = ("The unit-norm variant divides each step by ||x||: w <- w + eta (y - z) x / ||x||, so "
            "every example moves the weights by the same amount whatever its length.")
ACC_TIP = ("Accuracy per epoch: the share of examples whose predicted class (p >= 0.5, or "
           "argmax_k p_k) equals the label. For regression: R² = 1 - SSE / SST.")

_LINES = {  # key: (plot, label, colour, width, style)
    "train_loss": ("loss", "train loss", theme.BLUE, 2.2, None),
    "test_loss": ("loss", "test loss", theme.ORANGE, 2.2, None),
    "batch_loss": ("loss", "batch loss", BATCH_COLOR, 1.0, None),
    "train_score": ("score", "train", theme.BLUE, 2.2, None),
    "test_score": ("score", "test", theme.ORANGE, 2.2, None),
    "mistakes": ("loss", "mistakes", MISTAKES_COLOR, 2.2, None),
}
#: the lines of the top plot, by training rule: the perceptron's is its mistakes per epoch
_LOSS_KEYS = {"perceptron": ("mistakes",)}
_DEFAULT_LOSS_KEYS = ("train_loss", "test_loss", "batch_loss")


def _score_key(record: dict) -> str | None:
    for key in ("accuracy", "r2"):
        if f"train_{key}" in record:
            return key
    return None


class CurvesView(QWidget):
    """Loss (with log-scale option) and accuracy / R² against epochs; ``show_snapshot`` and
    ``add_batch_losses`` feed it, ``clear`` starts again.

    The legend is the header line (coloured marks with the latest values), outside the plots, so
    it never hides a curve. The axes' ranges change only when the data leave them (x doubles, y
    jumps to a round number) and long histories are drawn downsampled to the plot's pixels."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series = {key: GrowingSeries() for key in _LINES}
        self._last_epoch = None                 # the epoch of the newest record drawn
        self._first_record = None               # a new run's history starts with another record
        self._last_step = 0
        self._score = None
        self._rule = "backprop"
        self._last_mistakes = None
        self._x_span = 0.0
        self._x0 = 0.0                  # where the x axis starts: the epoch the run's curves start
        self._x0_known = False
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setToolTip(LOG_TIP)
        self.x_key = "epoch"
        self.x_axis = QComboBox()
        for key, text in X_KEYS.items():
            self.x_axis.addItem(PER[key], key)
        self.x_axis.setToolTip(X_TIP)
        self.run_legend = QLabel("")           # pinned runs or a comparison's configurations
        self.run_legend.setWordWrap(True)
        self.run_legend.setContentsMargins(6, 0, 6, 2)
        self.pinned: list = []                 # run_overlay.Run of the pinned runs
        self._comparing = False
        self._last_snap = None
        self.legend = QLabel("")
        self.legend.setObjectName("muted")
        self.legend.setToolTip(LOSS_TIP)
        make_steady(self.legend, loss_key(*WIDEST))
        self.plots = pg.GraphicsLayoutWidget()
        self.loss_plot = self.plots.addPlot(row=0, col=0)
        self.score_plot = self.plots.addPlot(row=1, col=0)
        self.loss_axis = LossAxis(self.loss_plot)          # its y range (loss_axis.py)
        self.x_log = LogXAxis((self.loss_plot, self.score_plot), self._on_log_x)   # log_x_axis.py
        self.log_x = self.x_log.box
        self.lines = {}
        self._style()
        self.overlay = RunOverlay(self.loss_plot, self.score_plot, self.run_legend)
        self.loss_plot.getAxis("bottom").showLabel(False)   # the plot under it names the x axis
        for plot in (self.loss_plot, self.score_plot):
            # the end ticks' labels may reach X_LABEL_OVERHANG px past the axis: a run going on
            # after an edit starts its axis at epoch 40, and "40" and "41", centred on the ends,
            # were both hidden (pyqtgraph hides any label not wholly inside the axis)
            plot.getAxis("bottom").setStyle(hideOverlappingLabels=X_LABEL_OVERHANG)
        controls = QHBoxLayout()
        controls.setContentsMargins(6, 4, 6, 0)
        controls.addWidget(self.log_scale)
        # the legend may be cut short rather than widen the dock column
        self.legend.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.legend.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        controls.addWidget(self.legend, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(controls)
        box.addWidget(self.plots, 1)
        footer = QHBoxLayout()                 # the x axis's choice, and the other runs' names
        footer.setContentsMargins(6, 0, 0, 2)
        footer.addWidget(self.x_axis, 0, Qt.AlignTop)
        footer.addWidget(self.log_x, 0, Qt.AlignTop)
        footer.addStretch(1)
        box.addLayout(footer)
        # the runs' names under it, the full width: eight configurations take four lines at
        # 1280 x 800, not eight in the room beside the x axis's box
        self.run_legend.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        box.addWidget(self.run_legend)
        self.log_scale.toggled.connect(self._on_log_toggled)
        self.x_axis.currentIndexChanged.connect(
            lambda _: self.set_x_axis(self.x_axis.currentData()))
        self._show_legend(None, None)

    def _style(self) -> None:
        for plot, ylabel, tip in ((self.loss_plot, "loss", LOSS_TIP),
                                  (self.score_plot, "accuracy", ACC_TIP)):
            plot.setLabel("bottom", "epoch")
            plot.setLabel("left", ylabel)
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.enableAutoRange(False)         # ranges are set by _fit_ranges, only on need
            # the lines are decimated to the pixel columns before setData (``_set``)
            plot.setToolTip(tip)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)
                # a fixed width: tick labels of another length never re-lay out the plots
            plot.getAxis("left").setWidth(48)
            cache_axes(plot)
        self.score_plot.setYRange(0, 1.0, padding=0.02)
        self.score_plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")], []])
        for key, (where, label, color, width, _) in _LINES.items():
            plot = self.loss_plot if where == "loss" else self.score_plot
            self.lines[key] = plot.plot(pen=pg.mkPen(color, width=width))
        self.lines["batch_loss"].setZValue(-1)
        self.lines["mistakes"].setVisible(False)
        self._set_x_span(1.0)

    def clear(self) -> None:
        for series in self.series.values():
            series.clear()
        for line in self.lines.values():
            line.setData([], [])
        self._last_epoch = self._first_record = None
        self._last_step = 0
        self._last_mistakes = None
        self.loss_axis.view = None
        self.x_log.view = None
        self._x0, self._x0_known = 0.0, False
        self._set_x_span(1.0)
        # no axis of the last run stays: its loss range and ticks, its accuracy or R² label
        self._score = None
        self.score_plot.setLabel("left", "accuracy")
        self.loss_plot.getAxis("left").setTicks(None)
        self.loss_plot.setYRange(0, 1, padding=0.02)
        self._show_legend(None, None)

    def add_batch_losses(self, x: np.ndarray, losses: np.ndarray) -> None:
        """Running batch losses at fractional epochs x (from the training thread)."""
        if len(x) and self.x_key == "epoch":
            self.series["batch_loss"].extend(x, losses)    # drawn by the next show_snapshot

    def show_snapshot(self, snap) -> None:
        history = snap.history
        self._last_snap = snap
        if self._is_new_run(snap):
            self.clear()
        self._set_comparing(bool(getattr(snap, "variants", None)))
        rule = getattr(snap, "rule", "backprop")
        if rule != self._rule:
            self.set_rule(rule)
        self._last_step = snap.step
        if not self._x0_known:
            self._start_axis(snap)
        fresh = self._new_records(history)
        if fresh and self._first_record is None:
            self._first_record = history[0]
            self._score = _score_key(history[0])
            self.score_plot.setLabel("left", "R²" if self._score == "r2" else "accuracy")
        for record in fresh:
            self._append(record)
        if fresh:
            self._last_epoch = fresh[-1].get("epoch", 0)
        span_changed = self._fit_x()
        for key in ("train_loss", "test_loss", "train_score", "test_score", "mistakes"):
            if fresh or span_changed:
                self._set(key)
        self._set("batch_loss")
        if self._draw_overlay(snap) and not span_changed and self._fit_x():
            for key in ("train_loss", "test_loss", "train_score", "test_score", "mistakes"):
                self._set(key)
        self.x_log.switch_for(self.overlay.runs, self.x_key)
        self._fit_ranges()
        self._show_legend(snap.train_loss, snap.test_loss)
        if rule == "adaline_normalized" and history:
            self._show_norms(history[-1])

    def set_rule(self, rule: str) -> None:
        """The top plot for this training rule: mistakes per epoch for the perceptron, the MSE of
        z for ADALINE (and the ||x|| the unit-norm variant divides its steps by)."""
        self._rule = rule
        perceptron = rule == "perceptron"
        for key in _DEFAULT_LOSS_KEYS:
            self.lines[key].setVisible(not perceptron)
        self.lines["mistakes"].setVisible(perceptron)
        label, tip = (("mistakes", MISTAKES_TIP) if perceptron else
                      ("MSE of z", ADALINE_TIP) if rule.startswith("adaline") else ("loss", LOSS_TIP))
        self.loss_plot.setLabel("left", label)
        self.loss_plot.setToolTip(tip + (" " + NORM_TIP if rule == "adaline_normalized" else ""))
        self.legend.setToolTip(self.loss_plot.toolTip())
        self.loss_plot.titleLabel.setText("")
        self.loss_plot.setTitle(None)               # hidden: the plot gets the room back
        self.loss_axis.view = None
        self._fit_ranges()
        self._show_legend(None, None)

    def _show_norms(self, record: dict) -> None:
        if "x_norm_mean" not in record:
            return
        text = (f"each step ÷ ‖x‖: ‖x‖ from {record['x_norm_min']:.2f} to "
                f"{record['x_norm_max']:.2f}, mean {record['x_norm_mean']:.2f}")
        if self.loss_plot.titleLabel.text != text:
            self.loss_plot.setTitle(text, size="9pt")

    def _start_axis(self, snap) -> None:
        """A run whose history starts afresh while the counters go on (the data changed and no
        weights fit): its x axis starts at the epoch counter, not at 0, so the curves fill the
        plot and their epochs are the toolbar's. A history of its own starts at 0."""
        self._x0_known = True
        x0 = 0.0 if snap.history else float(snap.epoch)
        if x0 != self._x0:
            self._x0 = x0
            self._set_x_span(self._x_span)

    def _is_new_run(self, snap) -> bool:
        """A reset (or another trainer): the step went back, or the history starts elsewhere."""
        if snap.step < self._last_step:
            return True
        if self._first_record is None:
            return False
        return not snap.history or snap.history[0] is not self._first_record

    def _new_records(self, history: list) -> list:
        """The records after the newest one drawn, looked for from the end (a long history is
        thinned at its old end, so its length says nothing)."""
        if self._last_epoch is None:
            return list(history)
        i = len(history)
        while i > 0 and history[i - 1].get("epoch", 0) > self._last_epoch:
            i -= 1
        return history[i:]

    # -- other runs and the x axis -------------------------------------------------------------
    def set_pinned(self, runs: list) -> None:
        """The pinned runs' lines (``run_overlay.Run``), drawn with the current run's."""
        self.pinned = list(runs)
        self._draw_overlay(self._last_snap)
        self._fit_x()
        self._fit_ranges()

    def _draw_overlay(self, snap) -> bool:
        variants = getattr(snap, "variants", None) or []
        return self.overlay.show(variant_runs(variants) + self.pinned, self.x_key)

    def _set_comparing(self, comparing: bool) -> None:
        """A comparison draws one line per configuration: the first configuration's own train,
        test and batch lines would only repeat one of them."""
        if comparing == self._comparing:
            return
        self._comparing = comparing
        for key in ("train_loss", "test_loss", "batch_loss", "train_score", "test_score"):
            self.lines[key].setVisible(not comparing)
        if not comparing and self._rule == "perceptron":
            self.set_rule(self._rule)

    def set_x_axis(self, key: str) -> None:
        """Draw every curve against ``key`` ("epoch", "step", "examples" or "seconds")."""
        if key not in X_KEYS:
            raise ValueError(f"unknown x axis {key!r}")
        index = self.x_axis.findData(key)
        if self.x_axis.currentIndex() != index:
            self.x_axis.setCurrentIndex(index)      # comes back here through the signal
            return
        if key == self.x_key:
            return
        self.x_key = key
        snap, self._last_snap = self._last_snap, None
        self.clear()
        self.lines["batch_loss"].setVisible(key == "epoch" and not self._comparing)
        self._x_ticks(key)
        if snap is not None:
            self.show_snapshot(snap)
        else:
            self._draw_overlay(None)

    def _x_ticks(self, key: str) -> None:
        from .axes import integer_axis, significant_axis
        for plot in (self.loss_plot, self.score_plot):
            axis = plot.getAxis("bottom")
            for name in ("tickValues", "tickStrings"):
                axis.__dict__.pop(name, None)       # back to pyqtgraph's own
            (significant_axis if key == "seconds" else integer_axis)(axis)
            plot.setLabel("bottom", X_KEYS[key])
        self.loss_plot.getAxis("bottom").showLabel(False)   # the plot under it names the x axis

    def _append(self, record: dict) -> None:
        epoch = record.get(self.x_key)
        if epoch is None:
            return
        for key in ("train_loss", "test_loss"):
            self._add(key, epoch, record.get(key))
        if self._score:
            self._add("train_score", epoch, record.get(f"train_{self._score}"))
            self._add("test_score", epoch, record.get(f"test_{self._score}"))
        if "mistakes" in record:
            self._add("mistakes", epoch, record["mistakes"])
            self._last_mistakes = record["mistakes"]

    def _add(self, key: str, epoch: float, value) -> None:
        if value is not None and math.isfinite(value):
            self.series[key].append(epoch, value)

    def _set(self, key: str) -> None:
        """Draw series ``key`` decimated to the plot's pixel columns (at most 2 points each)."""
        s = self.series[key]
        plot = self.loss_plot if _LINES[key][0] == "loss" else self.score_plot
        columns = max(int(plot.getViewBox().width()), 200)
        if self.log_x.isChecked():
            self.lines[key].setData(*log_x.log_sample(s.x, s.y, columns))
            return
        self.lines[key].setData(*s.decimated(self._x0, self._x0 + self._x_span * 1.02, columns))

    # -- ranges ----------------------------------------------------------------------------------
    def _set_x_span(self, span: float) -> None:
        self._x_span = span
        if self.log_x.isChecked():
            return                          # the log axis's decades are set by _fit_log_x
        for plot in (self.loss_plot, self.score_plot):
            plot.setXRange(self._x0, self._x0 + span, padding=0.02)

    def _fit_x(self) -> bool:
        """Double the x span when the data leave it; True when it changed."""
        last = max((float(s.x[-1]) for s in self.series.values() if len(s)), default=0.0)
        last = max(last, self.overlay.last_x())
        if self.log_x.isChecked():
            first = first_x(self.series, self.lines, self.overlay.runs, self.x_key)
            return self.x_log.fit(first, last, integer=self.x_key != "seconds")
        if last - self._x0 > self._x_span:
            self._set_x_span(doubled(self._x_span, last - self._x0))
            return True
        return False

    def _fit_ranges(self) -> None:
        keys = _LOSS_KEYS.get(self._rule, _DEFAULT_LOSS_KEYS)
        loss = [self.series[k].y for k in keys if len(self.series[k]) and not self._comparing]
        loss += [y for y in self.overlay.loss_values() if len(y)]
        self.loss_axis.fit(loss, self.log_scale.isChecked(), self._rule == "perceptron")

    def _show_legend(self, train_loss, test_loss) -> None:
        set_steady(self.legend, legend_text(self._rule, self._comparing, self._last_mistakes,
                                            train_loss, test_loss))

    def _on_log_x(self, checked: bool) -> None:
        """The log x box toggled (the plots' log mode already follows it): every line again."""
        if not checked:
            self._set_x_span(self._x_span)
        self._fit_x()
        for key in _LINES:
            self._set(key)
        self._fit_ranges()

    def _on_log_toggled(self, checked: bool) -> None:
        self.loss_plot.setLogMode(y=checked)
        self.loss_axis.view = None
        self._fit_ranges()
