"""The weights heatmap's colour range ±r: a spin box the user may type into and an "auto" box.

Automatic: ±r is the round number (1, 2, 5 x 10^k) just above the largest |w|, and moves only
when the weights leave it or fall below a quarter of it, so a colour means the same weight from
frame to frame. A typed value turns "auto" off and is kept."""
from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox

from .ranges import nice_ceiling

RANGE_TIP = ("The colour range ±r of the heatmap and the weight histogram: -r is orange, 0 white, "
             "+r blue. Typing a value fixes it, so a colour means the same weight in every frame.")
AUTO_TIP = ("Let the colour range follow the weights: ±r is the round number just above the "
            "largest |w|, and moves only when the weights leave it or shrink far below it.")


class ColourRange(QObject):
    """``box`` (the ± spin box) and ``auto`` (the check box) for the weights ``weights()`` gives
    (None without any). ``levels_changed(r)``: the colour levels are now ±r; ``edited``: the user
    changed the range or turned "auto" on, the heatmap needs drawing again."""

    levels_changed = Signal(float)
    edited = Signal()

    def __init__(self, weights: Callable[[], np.ndarray | None], parent: QObject | None = None):
        super().__init__(parent)
        self._weights = weights
        self.box = QDoubleSpinBox()
        self.box.setRange(0.001, 1000.0)
        self.box.setDecimals(3)
        self.box.setPrefix("± ")
        self.box.setToolTip(RANGE_TIP)
        self.auto = QCheckBox("auto")
        self.auto.setToolTip(AUTO_TIP)
        self.auto.setChecked(True)
        self.box.valueChanged.connect(self._on_value_changed)
        self.auto.toggled.connect(self._on_auto_toggled)

    def choose(self, force: bool = True) -> None:
        """The automatic colour range: the round number above the largest |w|. ``force``: pick it
        anew (another layer); else only when the weights left it or fell below a quarter of it."""
        w = self._weights()
        if w is None or not self.auto.isChecked():
            return
        peak = float(np.max(np.abs(w))) if w.size and np.isfinite(w).all() else 1.0
        r = self.box.value()
        if force or peak > r or peak < r / 4:
            r = nice_ceiling(peak)
        if r != self.box.value() or force:
            self.box.blockSignals(True)
            self.box.setValue(r)
            self.box.blockSignals(False)
            self.levels_changed.emit(self.box.value())

    def _on_value_changed(self, value: float) -> None:
        self.auto.blockSignals(True)
        self.auto.setChecked(False)           # the user's own range: keep it
        self.auto.blockSignals(False)
        self.levels_changed.emit(value)
        self.edited.emit()

    def _on_auto_toggled(self, auto: bool) -> None:
        if auto:
            self.choose()
            self.edited.emit()
