"""Scrubbing the timeline in the window, "Resume from here" (undoable), Save with timeline, and the
timeline's memory budget (Preferences).

While scrubbing, every view shows the stored moment as if it were live (the views are fed the
moment's snapshot; nothing asks the worker for anything, so nothing trains or evaluates for it),
the Curves stay live with a cursor line at the moment, and training goes on behind. Drags are
coalesced: a move only notes the moment, and one zero-delay timer draws the newest one, so a fast
drag never builds a queue of frames. Leaving (Live, Play, or Resume) shows the live network again.
"""
from __future__ import annotations

import os
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..engine.trainer_state import check_fits
from . import theme
from .image_docks import SNAPSHOT_VIEWS
from .timeline_bar import TimelineBar

MARKS_SECONDS = 0.25            # the slider's marks follow the recorded moments this often
REWIND_WAIT = 10.0              # the longest the UI waits for the worker to go back


def moment_x(moment) -> float:
    """The moment's place on the Curves' epoch axis (fractional: the part of the epoch done)."""
    st = moment.state
    if st is None or not len(st.order):
        return float(moment.snapshot.epoch)
    return st.epoch + st.cursor / len(st.order)


def moment_stages(parts, snap) -> list:
    """What feeding a stored snapshot to every view that shows one moment takes, one view at a
    time (not the Curves' history, not the predictions, which would ask the worker to evaluate
    the live network). The scrubber runs one stage per turn of the event loop, so each view is
    painted before the next is drawn and no turn carries them all."""
    stages = []
    if parts.visible("output"):
        stages.append(lambda: parts.output_view.show_snapshot(snap))
    w = parts.weights_view
    if parts.visible("weights"):
        def heatmap():          # the heatmap only: the gradient-norm lines are a history, live
            w._last = snap
            w._sync_layers(snap)
            w._draw_layer()
        stages.append(heatmap)
    docks = parts.image_docks
    if docks.active:
        for name in SNAPSHOT_VIEWS:
            if parts.visible(name):
                stages.append(lambda view=docks.views[name]: view.show_snapshot(snap))
    if parts.editor:
        stages.append(lambda: parts.editor.show_snapshot(snap))
    return stages


class ResumeCommand(QUndoCommand):
    """"Resume from step N": redo goes back to the moment and trains on; undo restores the
    abandoned run (its weights, optimizer state and later moments), paused."""

    def __init__(self, scrubber: "Scrubber", step: int):
        super().__init__(f"Resume from step {step:,}")
        self.scrubber, self.step, self.abandoned = scrubber, step, None

    def redo(self) -> None:
        self.abandoned = self.scrubber.go_back(self.step)
        if self.abandoned is None:
            self.setObsolete(True)

    def undo(self) -> None:
        if self.abandoned is not None:
            self.scrubber.come_back(self.abandoned)


class Scrubber:
    """The timeline's UI side for one window."""

    def __init__(self, window):
        self.window = window
        self.bar = TimelineBar(window)
        # under the toolbar, over the canvas: the docks beside keep their full height
        window.centralWidget().layout().insertWidget(0, self.bar)
        self.moments: list = []
        self.scrubbing = False
        self.draws = 0                       # moments drawn (tests count them)
        self.draw_ms: list[float] = []       # what each took (the speed check reads it)
        self._pending: int | None = None
        self._stages: list = []              # the shown moment's views still to draw
        self._started = 0.0                  # when the shown moment's first view was drawn
        self._live = None
        self._marks_at = 0.0
        self._timer = QTimer(window)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._draw_pending)
        self._cursors = []
        for plot in (window.parts.curves_view.loss_plot, window.parts.curves_view.score_plot):
            line = pg.InfiniteLine(angle=90, movable=False,
                                   pen=pg.mkPen(theme.ORANGE, width=1.5, style=pg.QtCore.Qt.DashLine))
            line.setVisible(False)
            line.setZValue(10)
            plot.addItem(line, ignoreBounds=True)
            self._cursors.append(line)
        self.bar.slider.scrubbed.connect(self.scrub_to)
        self.bar.live.clicked.connect(self.leave)
        self.bar.resume.clicked.connect(self.resume)
        self.bar.resume_and_pin.triggered.connect(lambda: self.resume(pin_left_behind=True))
        window.actions_["play"].triggered.connect(self.leave)
        self._add_actions()
        self.set_budget(self.budget_mb())

    # -- menus -----------------------------------------------------------------------------------
    def _add_actions(self) -> None:
        w = self.window
        self.save_action = QAction("Save with &Timeline…", w)
        self.save_action.setToolTip("Save the project with its timeline, so it opens with the "
                                    "moments to scrub back to (a larger file)")
        self.save_action.triggered.connect(self.save_with_timeline)
        menu = w.menus["file"]
        menu.insertAction(w.menus["export"].menuAction(), self.save_action)
        self.prefs_action = QAction("&Preferences…", w)
        self.prefs_action.triggered.connect(self.preferences)
        w.menus["edit"].addSeparator()
        w.menus["edit"].addAction(self.prefs_action)

    # -- live and scrub ----------------------------------------------------------------------------
    def draw_live(self, snap, batch_x, batch_losses) -> None:
        """The pump's snapshot: to every view when live; while scrubbing, to the Curves only."""
        self._live = snap
        parts = self.window.parts
        if not self.scrubbing:
            parts.draw(snap, batch_x, batch_losses)
        else:
            parts.draw_history(snap, batch_x, batch_losses)
        now = time.perf_counter()
        if now - self._marks_at >= MARKS_SECONDS or not snap.running:
            self._marks_at = now
            self.refresh_marks()

    def refresh_marks(self) -> None:
        shown = self.shown_moment()
        moments = self.window.bridge.timeline.moments()
        if [m.step for m in moments] == [m.step for m in self.moments]:
            return
        self.moments = moments
        self.bar.slider.set_moments([m.label() for m in moments])
        where = [i for i, m in enumerate(moments) if m is shown]
        if self.scrubbing and where:
            self.bar.show_moment(where[0])
        elif self.scrubbing:
            self.leave()                       # its moment is gone (a new network, a reset)
        else:
            self.bar.show_live()

    def scrub_to(self, index: int) -> None:
        """Show moment ``index`` (coalesced: the newest pick is drawn once the events are done)."""
        self.scrubbing = True
        self._pending = index
        if not self._timer.isActive():
            self._timer.start()

    def _draw_pending(self) -> None:
        """One view of the newest pick per turn of the event loop (a newer pick starts over);
        ``draws`` counts the moments whose views were all drawn, ``draw_ms`` how long each took
        from the first view to the last, the paints between them included."""
        if self._pending is not None:
            index, self._pending = self._pending, None
            if not self.scrubbing or index >= len(self.moments):
                self._stages = []
                return
            moment = self.moments[index]
            self._started = time.perf_counter()
            self.bar.show_moment(index)
            x = moment_x(moment)
            for line in self._cursors:
                line.setValue(x)
                line.setVisible(True)
            self._stages = moment_stages(self.window.parts, moment.snapshot)
        if not self._stages or not self.scrubbing:
            self._stages = []
            return
        self._stages.pop(0)()
        if self._stages:
            self._timer.start()              # the next view once this one is painted
            return
        self.draws += 1
        self.draw_ms.append((time.perf_counter() - self._started) * 1000)

    def leave(self) -> None:
        """Back to the live network."""
        if not self.scrubbing:
            return
        self.scrubbing = False
        self._pending = None
        self._stages = []
        for line in self._cursors:
            line.setVisible(False)
        self.bar.show_live()
        live = self._live
        if live is not None:
            self.window.parts.draw(live, np.zeros(0), np.zeros(0))

    def shown_moment(self):
        index = self.bar.slider.current
        return self.moments[index] if self.scrubbing and index is not None else None

    # -- resume ------------------------------------------------------------------------------------
    def resume(self, pin_left_behind: bool = False) -> None:
        moment = self.shown_moment()
        if moment is None or moment.state is None:
            return
        compare = getattr(self.window.parts, "compare", None)
        if pin_left_behind and compare is not None:     # its curves and its last live map
            if not compare.pin_run(snapshot=self._live):
                return                                  # the status bar says why
        self.window.undo_stack.push(ResumeCommand(self, moment.step))

    def go_back(self, step: int):
        """Rewind the worker to ``step`` and train on; returns the abandoned future (or None)."""
        w = self.window
        if w.run_state.running:
            w.toggle_play()                     # pause first: the rewind happens between chunks
        try:
            abandoned = w.bridge.rewind(step).result(REWIND_WAIT)
        except Exception as exc:                # noqa: BLE001 - told in words, the run is unchanged
            QMessageBox.warning(w, "Cannot resume", f"Training cannot resume from step {step:,}: {exc}")
            return None
        self.leave()
        self._follow_lr(abandoned.live, step)
        w.statusBar().showMessage(f"Resumed from step {step:,} (Undo brings back the run up to "
                                  f"step {abandoned.from_step:,})", 8000)
        self.refresh_marks()
        w.toggle_play()
        w.files.mark_dirty()
        return abandoned

    def come_back(self, abandoned) -> None:
        w = self.window
        if w.run_state.running:
            w.toggle_play()
        w.bridge.come_back(abandoned).wait(REWIND_WAIT)
        self.leave()
        w.statusBar().showMessage(f"Back at step {abandoned.from_step:,}, as before the resume", 8000)
        self.refresh_marks()

    def _follow_lr(self, live_state, step: int) -> None:
        """The moment's learning rate is the run's again: the toolbar and panel say so."""
        moment = self.window.bridge.timeline.at(step)
        if moment is not None and moment.state is not None:
            lr = float(moment.state.optimizer_config.get("lr", self.window.project.training.lr))
            self.window.set_learning_rate(lr)

    # -- files -------------------------------------------------------------------------------------
    def save_with_timeline(self) -> bool:
        w, files = self.window, self.window.files
        from .project_io import FILTER
        suggested = files.path or os.path.join(files._folder(),
                                               f"{w.project.title or 'project'}.nnplay")
        path, _ = QFileDialog.getSaveFileName(w, "Save project with timeline", suggested, FILTER)
        if not path:
            return False
        return self.save_to(path if path.endswith(".nnplay") else path + ".nnplay")

    def save_to(self, path: str) -> bool:
        from ..project.project import ProjectError
        from ..project.projectfile import save_project
        w, files = self.window, self.window.files
        project = w.current_project()
        project.timeline = w.bridge.timeline.moments()
        try:
            save_project(project, path)
        except ProjectError as exc:
            QMessageBox.warning(w, "Cannot save the project", str(exc))
            return False
        files.path = str(path)
        files._add_recent(files.path)
        files.mark_clean()
        files.set_title()
        w.statusBar().showMessage(f"Saved {path} with {len(project.timeline)} timeline moments", 8000)
        return True

    def project_loaded(self, project) -> None:
        """A project opened with a timeline: its moments go to the worker, after the trainer."""
        moments, project.timeline = project.timeline, None
        self.leave()
        self.moments = []
        self.bar.slider.set_moments([])
        self.bar.show_live()
        if not moments:
            return
        timeline = self.window.bridge.timeline

        def adopt(trainer):
            if trainer is None or any(m.state is not None and check_fits(trainer, m.state)
                                      for m in moments):
                return 0
            timeline.replace_all(moments)
            return len(timeline)

        self._adopting = self.window.bridge.call(adopt)
        QTimer.singleShot(200, self._adopted)

    def _adopted(self) -> None:
        future = getattr(self, "_adopting", None)
        if future is None:
            return
        if not future.done():
            QTimer.singleShot(200, self._adopted)
            return
        self._adopting = None
        count = future.result() if future.exception() is None else 0
        self.refresh_marks()
        self.window.statusBar().showMessage(
            f"Opened with {count} timeline moments: drag the timeline to look back" if count else
            "The saved timeline does not fit this network, so it was not loaded", 8000)

    # -- preferences -------------------------------------------------------------------------------
    def budget_mb(self) -> int:
        from ..engine.timeline import DEFAULT_BUDGET_MB
        try:
            return int(self.window.settings.value("timeline/budget_mb", DEFAULT_BUDGET_MB))
        except (TypeError, ValueError):
            return DEFAULT_BUDGET_MB

    def set_budget(self, mb: int) -> None:
        self.window.settings.setValue("timeline/budget_mb", int(mb))
        self.window.bridge.timeline.set_budget(int(mb))

    def preferences(self) -> None:
        from .preferences import PreferencesDialog
        timeline = self.window.bridge.timeline
        dialog = PreferencesDialog(self.budget_mb(), timeline.nbytes, len(timeline), self.window)
        if dialog.exec():
            self.set_budget(dialog.budget_mb())
            self.refresh_marks()
