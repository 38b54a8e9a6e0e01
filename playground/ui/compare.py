"""Runs side by side in the window: Pin run, Unpin, and the Compare dock's comings and goings.

"Pin run" keeps the current run's history, decision map (2-D data) and settings in the project
(``project.pinned``, saved with it); the Curves view draws the pinned runs over the current one
and the Compare dock shows their maps beside each other. A pinned run's label says what differs
from the current settings, so it is worked out again whenever the settings or the network change.
A comparison example's configurations come in every snapshot (``snap.variants``) and go to the
same two views. The Compare dock shows only while it has something to show, and only for 2-D data.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer

from ..project.pinned import MAX_PINNED, pin
from .views.run_overlay import pinned_runs

MAP_SIDE = 100          #: a pinned map keeps at most this many pixels per side
ROOMY_PLOT = 100        #: the curves' plots keep at least this height when a legend row joins them


class CompareController:
    """Owns the pinned runs' presence in the views; the runs themselves live in the project."""

    def __init__(self, window, compare_view, curves_view):
        self.window, self.view, self.curves = window, compare_view, curves_view
        self._two_d = False
        self._comparing = False
        self._labels: list[str] = []
        self._fitted = False
        actions = window.actions_
        actions["pin"].triggered.connect(lambda: self.pin_run())
        actions["unpin_all"].triggered.connect(lambda: self.unpin(-1))
        compare_view.unpin_requested.connect(self.unpin)

    # -- the project and its session --------------------------------------------------------------
    def show_project(self, project) -> None:
        self._comparing = project.comparison is not None
        self._fitted = False
        if project.comparison is not None:
            self.curves.set_x_axis(project.comparison.x_axis)
        else:
            self.view.clear_variants()
        self.refresh()

    def set_session(self, session) -> None:
        self._two_d = session is not None and session.dataset.kind == "2d"
        if session is not None:
            self.view.set_session(session)
        self.refresh()

    def _fit_curves(self) -> None:
        """The legend of the other runs takes a row or two under the plots: the Curves dock
        grows by what the plots lost, so they keep their height."""
        dock = self.window.docks.get("curves")
        if dock is None or not dock.isVisible() or dock.isFloating():
            return
        plots = (self.curves.loss_plot, self.curves.score_plot)
        short = ROOMY_PLOT - min(p.getViewBox().height() for p in plots)
        if short > 0 and self.curves.run_legend.isVisible():
            self.window.resizeDocks([dock], [dock.height() + int(2 * short) + 2], Qt.Vertical)

    def draw(self, snap) -> None:
        variants = getattr(snap, "variants", None)
        if variants and self._two_d and self.window.parts.visible("compare"):
            self.view.show_variants(variants)
        elif variants and not self.view.has_content:
            self.view.show_variants(variants)       # once, so the dock knows it has content
            self._show_dock()
        if variants and not self._fitted:
            self._fitted = True                     # the first snapshot brings the legend
            QTimer.singleShot(0, self.window, self._fit_curves)

    def refresh(self) -> None:
        """Labels against the current settings, into both views; the dock shown or hidden."""
        project = self.window.project
        self._labels = [run.label(project) for run in project.pinned]
        self.view.set_pinned(project.pinned, self._labels)
        self.curves.set_pinned(pinned_runs(project.pinned, self._labels))
        QTimer.singleShot(0, self.window, self._fit_curves)
        count = len(project.pinned)
        self.window.actions_["unpin_all"].setEnabled(count > 0)
        self._show_dock()

    def _show_dock(self) -> None:
        dock = self.window.docks.get("compare")
        if dock is None:
            return
        wanted = self._two_d and (self._comparing or bool(self.window.project.pinned))
        if wanted != dock.isVisible():
            dock.setVisible(wanted)
            if wanted and self._comparing:
                dock.raise_()

    # -- pinning -------------------------------------------------------------------------------------
    def pin_run(self, snapshot=None) -> bool:
        """Pin the current run (its map from ``snapshot``, by default the one on screen); True
        when it was pinned, else the status bar says why."""
        w = self.window
        project = w.project
        if len(project.pinned) >= MAX_PINNED:
            w.statusBar().showMessage(f"At most {MAX_PINNED} runs can be pinned: unpin one first "
                                      f"(Train ▸ Unpin all, or the Unpin button in Compare).", 8000)
            return False
        if w.session is None:
            w.statusBar().showMessage("Nothing to pin: this project cannot train yet.", 6000)
            return False
        _weights, history = w.trained_state()
        if not history:
            w.statusBar().showMessage("Nothing to pin yet: train for an epoch first.", 6000)
            return False
        run = pin(project, history, self._current_map(snapshot), project.pinned)
        project.pinned.append(run)
        w.files.mark_dirty()
        self.refresh()
        w.statusBar().showMessage(f"Pinned {run.name}: change a setting and train again to compare "
                                  f"(its label says what differs).", 8000)
        return True

    def _current_map(self, snap=None) -> np.ndarray | None:
        snap = snap if snap is not None else self.window.parts._last_snap
        if not self._two_d or snap is None or "output" not in snap.grid_outputs:
            return None
        out = np.asarray(snap.grid_outputs["output"], np.float32)
        step = max(1, -(-out.shape[1] // MAP_SIDE))
        return out[:, ::step, ::step].copy()

    def unpin(self, index: int) -> None:
        pinned = self.window.project.pinned
        if index < 0:
            pinned.clear()
        elif 0 <= index < len(pinned):
            del pinned[index]
        else:
            return
        self.window.files.mark_dirty()
        self.refresh()
