"""The Curves' log x axis in Qt: the "log x" check box, the plots' log mode and their x range in
whole decades, and the switch that turns it on by itself when compared runs end decades apart.

The arithmetic (decades, ticks, spread) is views/log_x.py, which stays free of Qt. The Curves
view owns one LogXAxis and redraws its lines when the box is toggled (``redraw``)."""
from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox

from ..paint_hold import paint_later
from . import log_x

SWITCH_DELAY_MS = 15   #: the automatic switch waits this long: about half a frame of the pump

LOG_X_TIP = ("Draw the x axis on a logarithmic scale: runs that end decades apart (SGD with batch 1 "
             "against the full batch, per example seen) each get room. Turns on by itself when "
             "compared runs end more than 20 times apart.")


def first_x(series: dict, lines: dict, runs: list, x_key: str) -> float | None:
    """The smallest positive x of every line drawn: the visible ``lines``' ``series`` (by key)
    and the other ``runs``' histories (``run_overlay.Run``) against ``x_key``."""
    firsts = [float(s.x[s.x > 0][0]) for k, s in series.items()
              if len(s) and lines[k].isVisible() and np.any(s.x > 0)]
    for run in runs:
        first = next((r[x_key] for r in run.history if r.get(x_key, 0) > 0), None)
        if first is not None:
            firsts.append(float(first))
    return min(firsts, default=None)


class LogXAxis:
    """``box``, the "log x" check box, for ``plots`` (sharing their x axis). ``redraw(checked)``
    is called once the plots are in (or out of) log mode."""

    def __init__(self, plots: tuple, redraw: Callable[[bool], None]):
        self.plots = plots
        self.box = QCheckBox("log x")
        self.box.setToolTip(LOG_X_TIP)
        self.auto = True                       # on by itself when runs end decades apart
        self.view: tuple | None = None         # (low, high) decades the x axis shows
        self._redraw = redraw
        self.box.toggled.connect(self._on_toggled)
        self.box.clicked.connect(self._chosen)

    def checked(self) -> bool:
        return self.box.isChecked()

    def fit(self, first: float | None, last: float, integer: bool) -> bool:
        """Whole decades around the data from ``first`` to ``last``, changed only when the data
        leave them; True when they changed. ``integer``: an axis of whole quantities."""
        if first is None or not last > 0:
            return False
        view = log_x.decades(first, last, integer)
        old = self.view
        if old and old[0] <= view[0] and view[1] <= old[1]:
            return False
        self.view = view
        levels = log_x.ticks(*view, integer)
        for plot in self.plots:
            plot.setXRange(view[0], view[1], padding=0.02)
            plot.getAxis("bottom").setTicks(levels)
        return True

    def _on_toggled(self, checked: bool) -> None:
        for plot in self.plots:
            plot.setLogMode(x=checked)
            if not checked:
                plot.getAxis("bottom").setTicks(None)
        self.view = None
        self._redraw(checked)

    def _chosen(self, _checked: bool) -> None:
        """The user chose: the axis no longer switches to log by itself."""
        self.auto = False

    def switch_for(self, runs: list, x_key: str) -> None:
        """Compared ``runs`` whose last x lie decades apart (batch 1 against the full batch, per
        example seen) get a log x axis, once, unless the user set the box. The switch redraws
        every line: it comes SWITCH_DELAY_MS later, between two frames, not on top of the frame
        that found it due (in the comparison examples that is a run's first frame, the dearest;
        at once, or at the next turn of the event loop, it added its ~15 ms to that frame's)."""
        if not self.auto or self.box.isChecked() or not runs:
            return
        lasts = [float(next((r[x_key] for r in reversed(run.history) if x_key in r), 0))
                 for run in runs]
        if log_x.spread(lasts) >= log_x.SPREAD:
            self.auto = False
            QTimer.singleShot(SWITCH_DELAY_MS, self.box, self._switch_on)

    def _switch_on(self) -> None:
        # ~15 ms of rescaling every line, then their paint: in two turns of the event loop
        if not self.box.isChecked():
            paint_later(self.plots[0].getViewWidget(), lambda: self.box.setChecked(True))
