"""Step-through mode: the window's side of the backprop stepper (issue 11 section 2).

Entering pauses training, reads the trainer's current weights in the worker thread (the newest
snapshot's if it does not answer), copies them into a float64 network and traces one training
example with ``labs.backprop_trace``; ``labs.backprop_steps.build_steps`` turns the trace into the
steps the ``StepperPanel`` walks and the ``StepOverlay`` marks on the canvas. An example is picked
by its number or, on 2-D data, by clicking near it on the Output map (a ring marks it there);
on image data, a test image by clicking it in a probe strip or in the Predictions grid.
Pressing Play leaves the mode: the numbers would no longer be the network's.
"""
from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QDockWidget

from ...labs import backprop_trace
from ...labs.backprop_steps import build_steps, float64_copy
from .overlay import StepOverlay
from .panel import StepperPanel

ANSWER_SECONDS = 2.0


def read_weights(window) -> np.ndarray | None:
    """The running network's flat parameters, read between steps in the worker thread; the
    newest snapshot's weights if the worker does not answer in time; None without a session."""
    session, bridge = window.session, window.bridge
    if session is None:
        return None
    if bridge.alive:
        future = bridge.call(lambda t: None if t is None else t.net.flat_params.copy())
        try:
            flat = future.result(ANSWER_SECONDS)
            if flat is not None:
                return flat
        except (FutureTimeout, Exception):   # noqa: BLE001 - the snapshot stands in
            pass
    snap = bridge.latest_snapshot_of(session.network)
    if snap is None:
        return session.network.flat_params.copy()
    net = float64_copy(session.network.spec, session.network.flat_params.astype(np.float64))
    net.set_weights(snap.weights)
    return net.flat_params.copy()


def delta_icon(size: int = 32) -> QIcon:
    """The toolbar's Step-through icon: a δ with a small arrow back (backpropagation)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    font = QFont()
    font.setPixelSize(int(size * 0.8))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(230, 120, 20))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignCenter, "δ")
    painter.end()
    return QIcon(pixmap)


class StepThrough(QObject):
    """Owns the panel's dock, the canvas overlay, the map marker and the N/B shortcuts."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel = StepperPanel()
        self.dock = QDockWidget("Step through", window)
        self.dock.setObjectName("dock_stepper")
        self.dock.setToolTip("One training example through backpropagation, step by step")
        self.dock.setWidget(self.panel)
        self.dock.hide()
        editor = window.parts.editor
        self.overlay = StepOverlay(editor.scene) if editor else None
        if self.overlay:
            self.panel.links_coloured = self.overlay.colours_links
            self.panel.canvas_legend = self.overlay.legend
        self.active = False
        self.session = None
        self.network = None
        self.trace = None
        self.example_index = 0
        self.source = "train"      # or "test": a probe image picked in the image views
        self.marker = pg.ScatterPlotItem(size=20, pen=pg.mkPen("#202124", width=2.5),
                                         brush=pg.mkBrush(0, 0, 0, 0), symbol="o")
        self.marker.setZValue(30)
        self.marker.hide()
        window.parts.output_view.plot.addItem(self.marker)
        self.actions = self._make_actions(window)
        if "step_through" in window.actions_:
            window.actions_["step_through"].setIcon(delta_icon())
        self.panel.step_shown.connect(self._on_step_shown)
        self.panel.example_chosen.connect(self.choose_example)
        self.panel.close_requested.connect(self.leave)
        window.parts.output_view.point_clicked.connect(self._on_map_clicked)
        window.parts.image_docks.probe_listeners.append(self._on_probe_picked)
        window.parts.image_docks.image_listeners.append(self._on_image_picked)
        window.run_state.on_running(self._on_running)
        self.dock.visibilityChanged.connect(self._on_dock_visible)

    def _make_actions(self, window) -> dict[str, QAction]:
        actions = {}
        for name, text, key, slot in (("next", "Next step", "N", self.panel.go_next),
                                      ("back", "Previous step", "B", self.panel.go_back)):
            action = QAction(text, window)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.WindowShortcut)
            action.setEnabled(False)
            action.triggered.connect(slot)
            window.addAction(action)
            actions[name] = action
        return actions

    # -- entering and leaving --------------------------------------------------------------------
    def enter(self) -> None:
        w = self.window
        if w.session is None:
            w.statusBar().showMessage("Step through needs a network that builds and data to "
                                      "train on.", 6000)
            return
        if w.run_state.running:
            w.toggle_play()                    # pause: the numbers must be of fixed weights
        self.active = True
        for action in self.actions.values():
            action.setEnabled(True)
        if not self.dock.isVisible():
            self._place_dock()
        self.dock.show()
        self.dock.raise_()
        self.refresh()

    def _place_dock(self) -> None:
        """Tabbed with Weights & gradients (its own column for 2-D data, the wide image column
        for images), where the numbers have the most room."""
        w = self.window
        weights = w.docks.get("weights")
        if weights is not None and not weights.isFloating() and weights.isVisible():
            w.tabifyDockWidget(weights, self.dock)
        else:
            w.addDockWidget(Qt.RightDockWidgetArea, self.dock)

    def leave(self) -> None:
        self.active = False
        for action in self.actions.values():
            action.setEnabled(False)
        if self.overlay:
            self.overlay.clear()
        self.marker.hide()
        self.dock.hide()

    def _on_dock_visible(self, visible: bool) -> None:
        if not visible and self.active and self.dock.isHidden():   # closed by its X
            self.leave()

    def _on_running(self, running: bool) -> None:
        if running and self.active:
            self.leave()
            self.window.statusBar().showMessage(
                "Left Step through: training changes the weights it showed.", 5000)

    # -- the example and its trace ---------------------------------------------------------------
    def refresh(self) -> None:
        """Read the current weights and trace the chosen example again."""
        w = self.window
        self.session = w.session
        flat = read_weights(w)
        if flat is None:
            self.panel.show_intro("There is no network to step through.")
            return
        self.network = float64_copy(self.session.network.spec, flat.astype(np.float64))
        count = len(self.session.trainer.x_train)
        self.example_index = min(self.example_index, count - 1)
        self.panel.set_example_range(count, self.example_index)
        self._trace()

    def choose_example(self, index: int) -> None:
        if not self.active:
            return
        if self.window.session is not self.session:
            self.example_index = index
            self.refresh()
            return
        self.example_index, self.source = int(index), "train"
        self.panel.set_example_range(len(self.session.trainer.x_train), self.example_index)
        self._trace()

    def _trace(self) -> None:
        trainer = self.session.trainer
        i = self.example_index
        test = self.source == "test"
        xs, ys = (trainer.x_test, trainer.y_test) if test else (trainer.x_train, trainer.y_train)
        try:
            self.trace = backprop_trace(self.network, xs[i], ys[i], trainer.loss_name)
        except (ValueError, KeyError) as exc:
            self.panel.show_intro(f"This example cannot be traced: {exc}")
            return
        settings = self.window.project.training
        steps = build_steps(self.trace, self.network, float(settings.lr),
                            settings.optimizer.get("type", "sgd"))
        if settings.regularization != "none" and settings.reg_rate > 0:
            for step in steps:
                if step.kind == "update":
                    step.note += (f" Training also adds the {settings.regularization.upper()} "
                                  f"penalty's gradient (rate {settings.reg_rate:g}), not shown.")
        steps[0].title = (f"The example: test image {i + 1} (picked in the image views; not "
                          f"trained on)" if test else f"The example: training example {i + 1}")
        if self.overlay:
            self.overlay.gradients = self.trace.gradients
        self._mark_example()
        self.panel.show_steps(steps)

    def _mark_example(self) -> None:
        ds = self.session.dataset
        if ds.kind == "2d" and ds.x_train is not None and len(ds.x_train) > self.example_index:
            x1, x2 = np.asarray(ds.x_train[self.example_index], float)[:2]
            self.marker.setData([x1], [x2])
            self.marker.show()
        else:
            self.marker.hide()

    def _on_map_clicked(self, x1: float, x2: float, button: int) -> None:
        """A left click on the Output map picks the nearest training point."""
        if not self.active or button != int(Qt.LeftButton.value) or self.session is None:
            return
        ds = self.session.dataset
        if ds.kind != "2d" or ds.x_train is None or not len(ds.x_train):
            return
        points = np.asarray(ds.x_train, float)[:, :2]
        nearest = int(np.argmin(np.hypot(points[:, 0] - x1, points[:, 1] - x2)))
        self.choose_example(nearest)

    def _on_probe_picked(self, index: int) -> None:
        """A probe image picked in the image views (Feature maps, Predictions ...): trace that
        test image, the one the canvas's feature maps show."""
        if not self.active or self.session is None or self.session.trainer.x_test is None:
            return
        if not 0 <= index < len(self.session.trainer.x_test):
            return
        self.example_index, self.source = int(index), "test"
        self._trace()

    def _on_image_picked(self, index: int) -> None:
        """A test image clicked in the Predictions grid: trace it, and say so (the panel may be
        a tab behind the grid)."""
        if not self.active:
            return
        self._on_probe_picked(index)
        if self.source == "test" and self.example_index == index:
            self.window.statusBar().showMessage(
                f"Step through follows test image {index + 1}, picked in Predictions.", 5000)

    def _on_step_shown(self, step) -> None:
        if self.overlay and self.active:
            self.overlay.show(step)
