"""The widgets the main window hosts and how they are wired: the editor (canvas, palette,
inspector), the Data and Training panels, and the live views.

``Parts`` is the one place that knows every panel's API, so the window talks to one object:
``show_project``, ``show_session``, ``show_settings``, ``draw(snapshot, ...)``, ``clear_live``.
Panels another engineer has not delivered yet are replaced by a label saying so.
"""
from __future__ import annotations

import importlib

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QWidget

from ..project.document import NetworkDocument
from ..project.project import Project
from .canvas.weight_edit import WeightEditor
from .docks import arrange_for, hide_stale_tab_bars, missing_part
from .hands import Hands
from .image_docks import IMAGE_DOCKS, ImageDocks, front_dock
from .paint_hold import PaintHold
from .views.compare_view import CompareView
from .views.curves_view import CurvesView
from .views.draw_times import DrawTimes
from .views.output_view import OutputView
from .views.weights_view import WeightsView


SLOW_EVERY = 4          # canvas, curves and weights at ~6-7 Hz while training (the pump draws
                        # ~25-28 Hz); every fourth frame is the decision map's alone
#: while training, the frames (modulo SLOW_EVERY) on which each plot with axes is drawn: on
#: different frames, so no frame carries both and the frames' cost stays even
SLOW_FRAME = {"canvas": 0, "curves": 1, "weights": 2,
              "compare": 3}     # a comparison's small maps: on the frame the others leave to the map


def readable_curve_axes(curves) -> None:
    """Whole epochs on the curves' x axes, significant digits on their y axes (a loss of 5e-05
    reads 5e-5, not 0.0000)."""
    from .views.axes import integer_axis, significant_axis
    for plot in (getattr(curves, "loss_plot", None), getattr(curves, "score_plot", None)):
        if plot is not None:
            integer_axis(plot.getAxis("bottom"))
            significant_axis(plot.getAxis("left"))


def _import(module: str, name: str):
    """A hosted part's class. Every part ships with the app, so a missing module or a misspelt
    name is a bug: it fails here, loudly, instead of showing as "not available in this build"."""
    return getattr(importlib.import_module(f"playground.ui.{module}"), name)


class Parts(QObject):
    """Every hosted widget; attributes are None for parts missing from this build."""

    def __init__(self, project: Project, undo_stack: QUndoStack):
        super().__init__()
        self.undo_stack = undo_stack
        self.document = NetworkDocument(project.network)
        controller = _import("canvas", "EditorController")
        self.editor = controller(self.document, undo_stack, self) if controller else None
        data_panel = _import("panels.data_panel", "DataPanel")
        self.data_panel = data_panel() if data_panel else None
        training_panel = _import("panels.training_panel", "TrainingPanel")
        self.training_panel = training_panel() if training_panel else None
        lesson_panel = _import("panels.lesson_panel", "LessonPanel")
        self.lesson_panel = lesson_panel() if lesson_panel else None
        self.output_view = OutputView()
        self.curves_view = CurvesView()
        self.weights_view = WeightsView()
        self.image_docks = ImageDocks()
        self.compare_view = CompareView()
        self.compare = None                  # the CompareController, once there is a window
        readable_curve_axes(self.curves_view)
        self.canvas = self.editor.view if self.editor else missing_part("The network editor")
        self.hands = Hands(undo_stack, self.document)      # weight edits, kernels, Freeze, paint
        self.weight_editor = WeightEditor(self.editor.view, self.editor.scene, self.hands) \
            if self.editor else None
        self._window = None
        self._pending = None                 # "keep" or "reset": a coalesced rebuild after edits
        self._showing = False                # true while the window pushes a project into the panels
        self._frame = 0
        self.draw_times = DrawTimes()        # per view, for the UI benchmark
        # the pump's: the Curves and the Weights, the dearest to draw and to paint, paint a turn
        # after their draw (see paint_hold; the others are too cheap to be worth a whole repaint)
        self.paint_hold = PaintHold()
        self._held = {"curves": self.curves_view.plots, "weights": self.weights_view.plots}
        self._last_snap = None
        self._missed: set[str] = set()      # docks that were hidden when a snapshot came
        self._mode = None                    # "points" | "images" | "autoencoder": which docks show

    def dock_widgets(self) -> dict[str, QWidget]:
        e = self.editor
        return {"data": self.data_panel or missing_part("The Data panel"),
                "layers": e.palette if e else missing_part("The Layers palette"),
                "inspector": e.inspector if e else missing_part("The Inspector"),
                "training": self.training_panel or missing_part("The Training panel"),
                "lesson": self.lesson_panel or missing_part("The Lesson panel"),
                "output": self.output_view, "curves": self.curves_view,
                "weights": self.weights_view, "compare": self.compare_view,
                **self.image_docks.widgets()}

    def undo_actions(self, window) -> tuple[QAction, QAction]:
        """The editor's own undo/redo actions (one QAction per shortcut: no ambiguity)."""
        if self.editor:
            return self.editor.undo_action, self.editor.redo_action
        return (self.undo_stack.createUndoAction(window, "&Undo"),
                self.undo_stack.createRedoAction(window, "&Redo"))

    # -- wiring ----------------------------------------------------------------------------------
    def connect(self, window) -> None:
        self._window = window
        from .compare import CompareController
        self.compare = CompareController(window, self.compare_view, self.curves_view)
        self.hands.bridge = window.bridge
        self.image_docks.views["filters"].hands_bar.hands = self.hands
        self.image_docks.views["feature_maps"].hands = self.hands
        if self.editor:
            self.editor.spec_changed.connect(lambda spec: self._schedule("keep"))
            self.editor.structure_changed.connect(lambda: self._schedule("reset"))
            self.editor.validity_changed.connect(self._on_validity_changed)
        if self.data_panel:
            self.data_panel.dataset_changed.connect(self._on_dataset_changed)
            self.output_view.point_clicked.connect(self.data_panel.paint_point)
            self.data_panel.settings_changed.connect(window.on_settings_changed)  # batch size
        if self.training_panel:
            self.training_panel.settings_changed.connect(window.on_settings_changed)
            self.training_panel.lr_changed.connect(window.set_learning_rate)
        self._connect_point_reading()
        if self.editor:
            self.editor.scene.selectionChanged.connect(self._on_layer_selected)
            self.image_docks.probe_listeners.append(self.editor.set_probe)
        for name, dock in window.docks.items():
            dock.visibilityChanged.connect(lambda shown, n=name: shown and self._on_dock_shown(n))

    def _connect_point_reading(self) -> None:
        """The hovered point's target and output, read once by the Output view, shown also by
        the Inspector (output layer) and the Data panel."""
        reading = self.output_view.readout.reading_changed
        if self.editor:
            reading.connect(self.editor.inspector.show_point_reading)
        if self.data_panel:
            reading.connect(self.data_panel.show_point_reading)

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

    def _on_layer_selected(self) -> None:
        try:
            layer_id = self.editor.selected_layer_id()
        except RuntimeError:            # the scene is being destroyed with the window
            return
        if layer_id is None:
            if self._window is not None and self.editor.scene.input_selected():
                self._window.docks["inspector"].raise_()     # it describes the input
            return
        self.image_docks.select_layer(layer_id)
        if self._window is not None:
            self._window.docks["inspector"].raise_()

    def _on_dock_shown(self, name: str) -> None:
        """A dock came into view (its tab raised, or reopened): draw what it missed."""
        if name in self._missed and self._last_snap is not None:
            self._missed.discard(name)
            self._draw_one(name, self._last_snap)

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
            if self.lesson_panel:
                self.lesson_panel.set_project(project)
                if project.description and self._window is not None:
                    self._window.docks["lesson"].raise_()     # a lesson opens on its text
            if self.compare is not None:
                self.compare.show_project(project)
        finally:
            self._showing = False
            self._pending = None

    def show_settings(self, settings) -> None:
        if self.training_panel:
            self.training_panel.set_settings(settings)
        if self.data_panel:
            self.data_panel.set_settings(settings)
        if self.compare is not None:
            self.compare.refresh()             # the pinned runs' labels follow the settings

    def show_session(self, session) -> None:
        self.output_view.set_session(session)
        if self.lesson_panel:
            self.lesson_panel.set_network(session.network)
        self._show_feature_names(session)
        self.image_docks.set_session(session, self._window.bridge if self._window else None)
        self._show_docks_for(session)
        if self.training_panel and hasattr(self.training_panel, "set_output_activation"):
            self.training_panel.set_output_activation(session.network.output_activation)
        if self.compare is not None:
            self.compare.set_session(session)

    def _show_feature_names(self, session) -> None:
        """The input features (X1, X2, X1² ...) name the Input block's maps on the canvas and the
        first layer's columns in the weights heatmap."""
        from ..data.features import LABELS
        names = [LABELS.get(f, f) for f in session.features] if session is not None else []
        self.weights_view.set_input_names(names or None)
        shape = list(self.document.input_shape or [])
        if names and shape == [len(names)] and self.document.input_labels != names:
            showing, self._showing = self._showing, True     # names only: nothing to rebuild
            try:
                self.document.set_input(shape, names)
            finally:
                self._showing = showing

    def _show_docks_for(self, session) -> None:
        """Image data: the image views instead of Output; back again for points. Only when the
        kind of data changes, so a dock the user closed stays closed while they work."""
        d = self.image_docks
        mode = ("autoencoder" if d.compressing else "reconstruct" if d.reconstruct else "images") \
            if d.active else "points"
        if mode == self._mode or self._window is None:
            return
        was_points = self._mode in (None, "points")
        self._mode = mode
        docks = self._window.docks
        wanted = self.image_docks.wanted()
        for name in IMAGE_DOCKS:
            docks[name].setVisible(wanted[name])
        docks["output"].setVisible(mode == "points")
        if was_points != (mode == "points"):
            arrange_for(self._window, docks, images=mode != "points")
        docks[front_dock(self.image_docks) if mode != "points" else "output"].raise_()
        self._tidy_tab_bars()

    def _tidy_tab_bars(self) -> None:
        window = self._window
        # once the layout has settled (the next turns of the event loop)
        for delay in (0, 100):
            QTimer.singleShot(delay, window, lambda: hide_stale_tab_bars(window))

    def reset_docks(self) -> None:
        """After View > Reset layout (the points arrangement): the docks for the data shown."""
        self._mode = None
        self._show_docks_for(None)
        self.show_layout_sizes()

    def show_layout_sizes(self) -> None:
        """The default column widths for the kind of data shown (after the window has its size)."""
        if self._window is not None:
            arrange_for(self._window, self._window.docks, images=self._mode not in (None, "points"))
            self._tidy_tab_bars()

    def visible(self, name: str) -> bool:
        """Whether dock ``name``'s view can be seen now (open and its tab in front)."""
        if self._window is None:
            return True
        dock = self._window.docks[name]
        # a tab behind another is moved off screen, not hidden: ask what part of it shows
        return dock.isVisible() and not dock.visibleRegion().isEmpty()

    def clear_live(self) -> None:
        self._last_snap = None
        self._missed.clear()
        self.curves_view.clear()
        self.weights_view.clear()
        if self.editor:
            self.editor.clear_live()

    def draw(self, snap, batch_x, batch_losses) -> None:
        """Draw a snapshot into the views that can be seen; the hidden ones catch up when shown.
        The decision map follows every frame; the canvas's live maps and the plots with axes,
        the dearest to paint, every SLOW_EVERY-th frame each while running, on different frames."""
        self._take(snap, batch_x, batch_losses)
        for name in ("output", "curves", "weights"):
            if not self._due(name, snap):
                continue
            if self.visible(name):
                self._draw_one(name, snap)
            else:
                self._missed.add(name)
        if self.image_docks.active:
            shown = {name: self.visible(name) for name in IMAGE_DOCKS}
            self._missed.update(name for name, seen in shown.items() if not seen)
            with self.draw_times.measure("images"):
                self.image_docks.draw(snap, shown)
        if self.editor and self._due("canvas", snap):
            with self.draw_times.measure("canvas"):
                self.editor.show_snapshot(snap)
        if self.compare is not None and self._due("compare", snap):
            with self.draw_times.measure("compare"):
                self.compare.draw(snap)

    def draw_history(self, snap, batch_x, batch_losses) -> None:
        """While the timeline shows an earlier moment: only what is a history follows the live
        run (the Curves, on their usual frames; the gradient norms are recorded)."""
        self._take(snap, batch_x, batch_losses)
        if self._due("curves", snap) and self.visible("curves"):
            self._draw_one("curves", snap)

    def _take(self, snap, batch_x, batch_losses) -> None:
        """A new frame's snapshot: what every frame records, drawn or not."""
        self._frame += 1
        self._last_snap = snap
        self.curves_view.add_batch_losses(batch_x, batch_losses)
        self.weights_view.record(snap)

    def _due(self, name: str, snap) -> bool:
        """Whether view ``name`` draws on this frame: always while paused; while running, the
        dear ones (SLOW_FRAME) on their own frame of every SLOW_EVERY, the others every frame."""
        frame = SLOW_FRAME.get(name)
        return not snap.running or frame is None or self._frame % SLOW_EVERY == frame

    def _draw_one(self, name: str, snap) -> None:
        if name in self._held:
            self.paint_hold.hold(self._held[name])
        with self.draw_times.measure(name):
            self._draw_view(name, snap)

    def _draw_view(self, name: str, snap) -> None:
        if name == "output":
            self.output_view.show_snapshot(snap)
        elif name == "curves":
            self.curves_view.show_snapshot(snap)
        elif name == "weights":
            self.weights_view.show_snapshot(snap)
        elif name in IMAGE_DOCKS and self.image_docks.active:
            self.image_docks.draw(snap, {name: True})

    def delete_selected(self) -> None:
        if self.editor and self.editor.selected_layer_id():
            self.editor.delete_layer(self.editor.selected_layer_id())


def make_parts(project: Project, undo_stack: QUndoStack) -> Parts:
    return Parts(project, undo_stack)
