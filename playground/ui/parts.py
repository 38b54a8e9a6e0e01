"""The widgets the main window hosts and how they are wired: the editor (canvas, palette,
inspector), the Data and Training panels, and the live views.

``Parts`` is the one place that knows every panel's API, so the window talks to one object:
``show_project``, ``show_session``, ``show_settings``, ``draw(snapshot, ...)``, ``clear_live``.
Panels another engineer has not delivered yet are replaced by a label saying so.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QWidget

from ..project.document import NetworkDocument
from ..project.project import Project
from .docks import missing_part
from .views.curves_view import CurvesView
from .views.output_view import OutputView
from .views.weights_view import WeightsView


SLOW_EVERY = 3          # curves and weights at ~10 Hz while training (the pump draws ~30 Hz)


def _import(module: str, name: str):
    try:
        mod = __import__(f"playground.ui.{module}", fromlist=[name])
        return getattr(mod, name)
    except (ImportError, AttributeError):
        return None


class Parts(QObject):
    """Every hosted widget; attributes are None for parts missing from this build."""

    def __init__(self, project: Project, undo_stack: QUndoStack):
        super().__init__()
        self.undo_stack = undo_stack
        self.document = NetworkDocument(project.network)
        controller = _import("canvas", "EditorController")
        self.editor = controller(self.document, undo_stack) if controller else None
        data_panel = _import("panels.data_panel", "DataPanel")
        self.data_panel = data_panel() if data_panel else None
        training_panel = _import("panels.training_panel", "TrainingPanel")
        self.training_panel = training_panel() if training_panel else None
        self.output_view = OutputView()
        self.curves_view = CurvesView()
        self.weights_view = WeightsView()
        self.canvas = self.editor.view if self.editor else missing_part("The network editor")
        self._window = None
        self._pending = None                 # "keep" or "reset": a coalesced rebuild after edits
        self._showing = False                # true while the window pushes a project into the panels
        self._frame = 0

    def dock_widgets(self) -> dict[str, QWidget]:
        e = self.editor
        return {"data": self.data_panel or missing_part("The Data panel"),
                "layers": e.palette if e else missing_part("The Layers palette"),
                "inspector": e.inspector if e else missing_part("The Inspector"),
                "training": self.training_panel or missing_part("The Training panel"),
                "output": self.output_view, "curves": self.curves_view,
                "weights": self.weights_view}

    def undo_actions(self, window) -> tuple[QAction, QAction]:
        """The editor's own undo/redo actions (one QAction per shortcut: no ambiguity)."""
        if self.editor:
            return self.editor.undo_action, self.editor.redo_action
        return (self.undo_stack.createUndoAction(window, "&Undo"),
                self.undo_stack.createRedoAction(window, "&Redo"))

    # -- wiring ----------------------------------------------------------------------------------
    def connect(self, window) -> None:
        self._window = window
        if self.editor:
            self.editor.spec_changed.connect(lambda spec: self._schedule("keep"))
            self.editor.structure_changed.connect(lambda: self._schedule("reset"))
            self.editor.validity_changed.connect(self._on_validity_changed)
        if self.data_panel:
            self.data_panel.dataset_changed.connect(self._on_dataset_changed)
            if hasattr(self.data_panel, "regenerate_requested"):
                self.data_panel.regenerate_requested.connect(lambda: window.rebuild())
            if hasattr(self.data_panel, "paint_point"):
                self.output_view.point_clicked.connect(self.data_panel.paint_point)
        if self.training_panel:
            self.training_panel.settings_changed.connect(window.on_settings_changed)
            self.training_panel.lr_changed.connect(window.set_learning_rate)

    def _schedule(self, kind: str) -> None:
        if self._showing:
            return
        if self._pending != "reset":
            self._pending = kind
        QTimer.singleShot(0, self._apply_pending)

    def _apply_pending(self) -> None:
        kind, self._pending = self._pending, None
        if kind is None or self._window is None:
            return
        w = self._window
        if kind == "keep" and w.session is not None:
            # the weights still fit (an activation or a setting changed): keep training from them
            weights, history = w.trained_state()
            w.project.weights, w.project.history = weights, history
            w.on_network_changed(self.document.spec(), structural=False)
            w.rebuild(keep_progress=True)
        else:
            w.on_network_changed(self.document.spec(), structural=True)

    def _on_validity_changed(self, ok: bool, message: str) -> None:
        if not ok and self._window is not None:
            self._window.banner.show_message(f"The network does not build: {message}",
                                             with_action=False)

    def _on_dataset_changed(self, recipe: dict, features: list) -> None:
        if self._window is not None and not self._showing:
            self._window.on_dataset_changed(recipe, features)

    # -- showing the model -------------------------------------------------------------------------
    def show_project(self, project: Project) -> None:
        self._showing = True
        try:
            self.document.set_spec(project.network)
            self.undo_stack.clear()
            if self.data_panel and hasattr(self.data_panel, "set_dataset"):
                self.data_panel.set_dataset(project.dataset, project.features)
        finally:
            self._showing = False
            self._pending = None

    def show_settings(self, settings) -> None:
        if self.training_panel:
            self.training_panel.set_settings(settings)

    def show_session(self, session) -> None:
        self.output_view.set_session(session)
        if self.training_panel and hasattr(self.training_panel, "set_output_activation"):
            self.training_panel.set_output_activation(session.network.output_activation)

    def clear_live(self) -> None:
        self.curves_view.clear()
        self.weights_view.clear()
        if self.editor:
            self.editor.clear_live()

    def draw(self, snap, batch_x, batch_losses) -> None:
        """Draw a snapshot. The decision map and the canvas follow every frame; the plots with axes
        (whose ranges move every frame, so every axis repaints) every SLOW_EVERY-th while running."""
        self._frame += 1
        self.output_view.show_snapshot(snap)
        self.curves_view.add_batch_losses(batch_x, batch_losses)
        if not snap.running or self._frame % SLOW_EVERY == 0:
            self.curves_view.show_snapshot(snap)
            self.weights_view.show_snapshot(snap)
        if self.editor:
            self.editor.show_snapshot(snap)

    def delete_selected(self) -> None:
        if self.editor and self.editor.selected_layer_id():
            self.editor.delete_layer(self.editor.selected_layer_id())


def make_parts(project: Project, undo_stack: QUndoStack) -> Parts:
    return Parts(project, undo_stack)
