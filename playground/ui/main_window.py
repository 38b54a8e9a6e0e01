"""The main window: docks around the network canvas, the toolbar, and the training loop's UI side.

The window holds the one ``Project`` (the document being edited) and the ``Session`` built from it.
Training runs in the ``TrainingBridge``'s worker thread; the window sends it commands and a
``SnapshotPump`` draws the newest snapshot ~30 times a second. A change to the network's
structure rebuilds the session with fresh weights; a change of the data or the features, a banner
fix, or a new optimizer keeps the weights that still fit (``data_edits``); the step and epoch
counters never go backwards.
Files (save, open, recent, autosave, examples, export) live in ``project_io.ProjectFiles``.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QMessageBox, QVBoxLayout, QWidget

from ..engine import TrainingSettings
from ..project.examples import default_project
from ..project.project import Project, ProjectError
from ..project.session import Session
from . import collector, data_edits, theme
from .actions import TrainToolBar, build_actions, build_menus
from .labs import open_labs
from .bridge import TrainingBridge
from .dock_shares import DockShares
from .classroom import ClassroomMode
from .docks import default_layout, make_docks
from .parts import make_parts
from .project_io import ProjectFiles
from .pump import SnapshotPump
from .run_state import RunState
from .save_guard import keep_comparison_states, trained_state_or_snapshot
from .stepper import StepThrough
from .scrub import Scrubber
from .warmup import EngineWarmup
from .widgets.banner import MessageBanner

SHORTCUTS = """<table>
<tr><td><b>Space</b></td><td>Play / pause</td></tr><tr><td><b>S</b></td><td>Step one batch</td></tr>
<tr><td><b>Shift+S</b></td><td>Step one epoch</td></tr><tr><td><b>R</b></td><td>Reset</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Shift+Z</b></td><td>Undo / redo</td></tr>
<tr><td><b>Delete</b></td><td>Delete the selected layer</td></tr>
<tr><td><b>Ctrl+S</b> / <b>Ctrl+O</b></td><td>Save / open</td></tr>
<tr><td><b>Ctrl+T</b></td><td>Step through backprop; then <b>N</b> / <b>B</b>: next / back</td></tr>
<tr><td><b>F11</b></td><td>Presentation mode</td></tr>
<tr><td><b>Ctrl+1</b>…<b>9</b></td><td>Maximise one view (again: all views)</td></tr></table>"""


class MainWindow(QMainWindow):
    """Playground's window. ``ready`` turns True once the engine is warm and Play is enabled;
    ``session`` is the runnable form of ``project`` (None when it does not build)."""

    def __init__(self, project: Project | None = None, settings: QSettings | None = None):
        super().__init__()
        self.setWindowTitle("Playground")
        self.settings = settings if settings is not None else QSettings()
        self.project = project if project is not None else default_project()
        self.session: Session | None = None
        self.state_note: str | None = None     # set when a save had to use the last snapshot
        self.ready = False
        self._buildable = False
        self._diverged_shown = None
        self.undo_stack = QUndoStack(self)
        # closed, the window is deleted with its children, parts included: their signal connections
        # (lambdas holding the window) would otherwise keep it, its plots and their menus alive
        self.setAttribute(Qt.WA_DeleteOnClose)
        self._freezer = collector.Freezer()
        self.destroyed.connect(collector.settle_soon)    # its cycles, collected on the UI thread
        self.parts = make_parts(self.project, self.undo_stack)
        self.parts.setParent(self)
        self.actions_ = build_actions(self)
        self.actions_["undo"], self.actions_["redo"] = self.parts.undo_actions(self)
        self.menus = build_menus(self, self.actions_)
        self.toolbar = TrainToolBar(self.actions_, self)
        self.addToolBar(self.toolbar)
        self.banner = MessageBanner()
        self.setCentralWidget(self._central(self.parts.canvas))
        self.docks = make_docks(self, self.parts.dock_widgets())
        default_layout(self, self.docks)
        self._default_state = self.saveState()
        for dock in self.docks.values():
            self.menus["docks"].addAction(dock.toggleViewAction())
        self.bridge = TrainingBridge().start()
        self.run_state = RunState(self.project.training)
        self.run_state.on_running(self._show_running)
        self.run_state.on_settings(self._settings_shown)
        self._run_command = 0                  # the bridge's command count at the last Play/Pause
        self.pump = SnapshotPump(self.bridge, self._draw, self, on_events=self._on_worker_events,
                                 hold=self.parts.paint_hold)
        self.files = ProjectFiles(self)
        self.stepper = StepThrough(self)
        self.scrub = Scrubber(self)            # the timeline bar, Resume from here, Save with timeline
        self._connect()
        self.classroom = ClassroomMode(self)      # F11, Ctrl+1…9, a teacher's settings
        self._restore_window()
        self.load_project(self.project, mark_clean=True)
        self._start_warmup()
        self.pump.start()

    # -- construction --------------------------------------------------------------------------
    def _central(self, canvas: QWidget) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(4, 4, 4, 0)
        box.setSpacing(4)
        box.addWidget(self.banner)
        box.addWidget(canvas, 1)
        return holder

    def _connect(self) -> None:
        a = self.actions_
        a["play"].triggered.connect(self.toggle_play)
        a["step"].triggered.connect(self.step_batch)
        a["step_epoch"].triggered.connect(self.step_epoch)
        a["reset"].triggered.connect(self.reset_training)
        a["quit"].triggered.connect(self.close)
        a["delete"].triggered.connect(self.parts.delete_selected)
        a["dark"].toggled.connect(self._on_dark_toggled)
        a["reset_layout"].triggered.connect(self.reset_layout)
        a["about"].triggered.connect(self._on_about)
        a["labs"].triggered.connect(lambda: open_labs(self))
        a["step_through"].triggered.connect(self.stepper.enter)
        a["shortcuts"].triggered.connect(
            lambda: QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS))
        self.toolbar.lr.valueChanged.connect(self.set_learning_rate)
        self.toolbar.pace.currentIndexChanged.connect(
            lambda _: self.bridge.set_speed(self.toolbar.pace.currentData()))
        self.bridge.set_speed(self.toolbar.pace.currentData())
        self.banner.action_clicked.connect(lambda: self.set_learning_rate(self.project.training.lr * 0.1))
        self.parts.connect(self)

    def _restore_window(self) -> None:
        self.resize(1280, 800)
        geometry, state = self.settings.value("window/geometry"), self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        self._sized = state is not None         # the default sizes wait for the first show
        # resizes (and a saved layout shown at another size) keep each dock's share of the window
        self.dock_shares = DockShares(self, DockShares.saved_size(self.settings) if state is not None else None)
        self.actions_["dark"].blockSignals(True)
        self.actions_["dark"].setChecked(theme.is_dark())
        self.actions_["dark"].blockSignals(False)

    def _start_warmup(self) -> None:
        self.warmup = EngineWarmup().start()
        self._set_training_enabled(False)
        self._warm_timer = QTimer(self)
        self._warm_timer.setInterval(100)
        self._warm_timer.timeout.connect(self._on_warm_tick)
        self._warm_timer.start()
        self._on_warm_tick()

    def _on_warm_tick(self) -> None:
        w = self.warmup
        if not w.finished:
            self.statusBar().showMessage(f"Preparing the engine… {w.done}/{w.total} ({w.current})")
            return
        self._warm_timer.stop()
        self.ready = True
        collector.settle()              # what lives as long as the window: out of the collector's way
        message = w.error or f"Ready: press Play (Space) to train. Engine prepared in {w.seconds:.1f} s."
        self.statusBar().showMessage(message, 8000)
        self._set_training_enabled(self._buildable)

    def _set_training_enabled(self, enabled: bool) -> None:
        for name in ("play", "step", "step_epoch", "reset"):
            self.actions_[name].setEnabled(enabled and self.ready)

    # -- the project and its session -----------------------------------------------------------
    def load_project(self, project: Project, mark_clean: bool = True,
                     session: Session | ProjectError | None = None) -> None:
        """Show ``project`` in every panel and build its session (weights and history kept);
        ``session``, when given, is that session already built (see ``project_io.switch_to``)."""
        self.project = project
        self.run_state.set_running(False)
        self.parts.show_project(project)
        self._show_settings(project.training)
        self.rebuild(keep_progress=True, session=session)
        self.classroom.open_project(project)
        self.scrub.project_loaded(project)
        self.files.set_title()
        if mark_clean:
            self.files.mark_clean()

    def rebuild(self, keep_progress: bool = False,
                session: Session | ProjectError | None = None) -> None:
        """Build a new session from the project and hand its trainer to the worker (paused): the
        project's weights and history with ``keep_progress``, fresh weights otherwise; the step
        and epoch counters never go backwards (data_edits.rebuild). ``session``: one already
        built from this project (progress restored), or the ProjectError its build raised."""
        data_edits.rebuild(self, keep_progress, session=session)

    def _replace_trainer(self, trainer) -> None:
        """Hand the worker a new trainer (paused): snapshots of the old run no longer say whether
        training runs."""
        self.run_state.set_running(False)
        self.bridge.replace(trainer)
        self._run_command = self.bridge.commands_sent

    def _show_settings(self, settings: TrainingSettings) -> None:
        """The settings have one owner, ``run_state``: the views follow it."""
        self.run_state.set_settings(settings)

    def _settings_shown(self, settings: TrainingSettings) -> None:
        self.parts.show_settings(settings)
        self.toolbar.lr.blockSignals(True)
        self.toolbar.lr.setValue(settings.lr)
        self.toolbar.lr.blockSignals(False)

    def trained_state(self, timeout: float | None = None):
        """(weights, history) of the running trainer, read in the worker thread; if the worker does
        not answer in time, those of its last snapshot, and ``state_note`` says so."""
        weights, history, self.state_note = trained_state_or_snapshot(self, timeout)
        return weights, history

    def current_project(self) -> Project:
        """The project with the trained weights and history, ready to save."""
        project = self.project.copy()
        weights, history = self.trained_state()
        if weights is not None:
            project.weights, project.history = weights, history
        keep_comparison_states(self, project)        # every configuration of a comparison
        return project

    # -- edits from the panels -----------------------------------------------------------------
    def on_network_changed(self, spec: dict, structural: bool) -> None:
        self.project.network = spec
        self.files.mark_dirty()
        if structural:
            self.rebuild()

    def on_dataset_changed(self, recipe: dict, features: list) -> None:
        """A dataset or features from the Data panel: one undoable edit in which the network's
        input follows the data and the layers that still fit keep their weights."""
        data_edits.change_data(self, recipe, features)

    def on_settings_changed(self, settings: TrainingSettings, needs_reset: bool) -> None:
        """New training settings: see data_edits.change_settings for what each one keeps."""
        data_edits.change_settings(self, settings)

    def set_learning_rate(self, lr: float) -> None:
        """A new learning rate applies live, without a reset (toolbar box, panel, banner)."""
        lr = float(lr)
        if not lr > 0 or lr == self.project.training.lr:
            return
        self.project.training.optimizer["lr"] = lr
        self._show_settings(self.project.training)
        if self.session is not None:
            self.bridge.set_lr(lr)
        self.files.mark_dirty()

    # -- training commands ---------------------------------------------------------------------
    def toggle_play(self) -> None:
        if not self.actions_["play"].isEnabled():
            return
        if self.run_state.running:
            self.bridge.pause()
            self.run_state.set_running(False)
        else:
            self.banner.hide()
            self.bridge.play()
            self.run_state.set_running(True)
        self._run_command = self.bridge.commands_sent

    def step_batch(self) -> None:
        if self.actions_["step"].isEnabled():
            self.bridge.step()
            self.run_state.set_running(False)
            self._run_command = self.bridge.commands_sent

    def step_epoch(self) -> None:
        if self.actions_["step_epoch"].isEnabled():
            self.bridge.step_epoch()

    def reset_training(self) -> None:
        if self.actions_["reset"].isEnabled():
            self.bridge.reset()
            self.run_state.set_running(False)
            self._run_command = self.bridge.commands_sent
            self.banner.hide()
            self.files.mark_dirty()

    def _show_running(self, running: bool) -> None:
        """The Play button follows ``run_state.running`` (its only writer)."""
        play = self.actions_["play"]
        play.setText("&Pause" if running else "&Play")
        icon = "SP_MediaPause" if running else "SP_MediaPlay"
        play.setIcon(self.style().standardIcon(getattr(self.style().StandardPixmap, icon)))

    # -- drawing (UI thread, from the pump) ----------------------------------------------------
    def _draw(self, snap, batch_x, batch_losses) -> None:
        self._freezer.tick()
        self.toolbar.show_counts(snap.epoch, snap.step, snap.steps_per_second, snap.running)
        if snap.step > 0:
            self.files.mark_trained()
        self.scrub.draw_live(snap, batch_x, batch_losses)     # the views, unless scrubbing
        if getattr(snap, "commands_done", 0) >= self._run_command:
            # the worker had seen the last Play/Pause: its word on running is current (it stops
            # by itself at an epoch's end, an error, a divergence or a slow first step)
            self.run_state.set_running(snap.running)
        if snap.diverged and snap.diverged != self._diverged_shown:
            self._diverged_shown = snap.diverged
            self.run_state.set_running(False)
            self.banner.show_message(
                f"Training stopped: {snap.diverged}. The last good weights are kept.",
                with_action=True)

    def _on_worker_events(self, events) -> None:
        """Errors and warnings from the training thread, told in the window."""
        for event in events:
            self.run_state.set_running(False)
            if event.kind == "error":
                self.banner.show_message(event.message, with_action=False)
                self._show_error("Training stopped", event.message, event.details)
            elif event.kind == "stopped":       # a stop condition of the Training panel
                self.statusBar().showMessage(event.message, 30000)
            elif event.kind == "slow":
                self.banner.show_message(
                    f"{event.message}: training will be slow, and Pause waits for the step under "
                    f"way. Press Play again to train anyway.", with_action=False)

    def _show_error(self, title: str, message: str, details: str) -> None:
        """A message box that does not block the window, the traceback under "Show Details…"."""
        old = getattr(self, "error_box", None)
        if old is not None:
            old.close()
        box = QMessageBox(QMessageBox.Warning, title, message, QMessageBox.Ok, self)
        box.setDetailedText(details)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "error_box", None))
        self.error_box = box
        box.open()

    # -- window --------------------------------------------------------------------------------
    def _on_dark_toggled(self, dark: bool) -> None:
        self.settings.setValue("view/dark", "true" if dark else "false")
        from PySide6.QtWidgets import QApplication
        theme.apply(QApplication.instance(), dark)
        theme.restyle_plots(self)

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        self.parts.reset_docks()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            # once the window has its size (the next turn of the event loop), not before
            QTimer.singleShot(0, lambda: self.parts.show_layout_sizes())

    def _on_about(self) -> None:
        from playground import __version__
        QMessageBox.about(self, "About Playground",
                          f"<b>Playground {__version__}</b><p>Build neural networks by hand and watch "
                          f"them learn: decision maps, weights, gradients and feature maps, live.</p>"
                          f"<p>Colours after TensorFlow Playground.</p>")

    def closeEvent(self, event) -> None:
        if not self.files.confirm_close():
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop every timer and thread this window started (safe to call twice)."""
        self.pump.stop()
        self.parts.image_docks.stop()
        self._warm_timer.stop()
        self.files.stop()
        self.bridge.stop()
        self.warmup.join(60)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.dock_shares.remember(self.settings)

