"""The EditorController ties the network editor together: document, scene, view, palette, inspector.

Gestures from the view and palette become undo commands on ``undo_stack``; the document announces
each change and the controller passes the news on to the main window as Qt signals:
``spec_changed(dict)`` after every edit, ``structure_changed()`` when the trained weights no longer
fit (a layer came, went or moved, the input changed, or a parameter's shape changed), and
``validity_changed(ok, message)`` when the network starts or stops building.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack

from playground.project.document import NetworkDocument

from .commands import InsertLayerCommand, MoveLayerCommand, RemoveLayerCommand
from .inspector import InspectorPanel
from .palette import LayersPalette
from .scene import NetworkScene
from .view import NetworkView


class EditorController(QObject):
    """Creates and connects the editor's parts for one ``NetworkDocument``.

    ``view`` is the central widget, ``palette`` and ``inspector`` go into docks; ``undo_action`` and
    ``redo_action`` (Ctrl+Z, Ctrl+Shift+Z) belong in the main window's Edit menu.
    """

    validity_changed = Signal(bool, str)
    spec_changed = Signal(dict)
    structure_changed = Signal()

    def __init__(self, document: NetworkDocument, undo_stack: QUndoStack | None = None, parent=None):
        super().__init__(parent)
        self.document = document
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.scene = NetworkScene(document, self)
        self.view = NetworkView(self.scene)
        self.palette = LayersPalette()
        self.inspector = InspectorPanel(document, self.undo_stack)
        result = document.validate()
        self._validity = (result.ok, result.message)
        self._structure = self._structure_key()
        self._select_after: str | None = None
        self._pending_snapshot = None    # the newest snapshot that came while the view was hidden
        self._make_actions()
        document.changed.connect(self._on_document_changed)
        document.layer_inserted.connect(self._on_layer_inserted)
        self.scene.selectionChanged.connect(self._on_selection_changed)
        self.view.layer_dropped.connect(self.insert_layer)
        self.view.layer_move_requested.connect(self.move_layer)
        self.view.delete_requested.connect(self.delete_layer)
        self.view.shown.connect(self._on_view_shown)
        self.palette.layer_activated.connect(self._on_palette_activated)

    def _make_actions(self) -> None:
        self.undo_action: QAction = self.undo_stack.createUndoAction(self.view, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action: QAction = self.undo_stack.createRedoAction(self.view, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.view.addAction(action)

    # -- state for the main window ---------------------------------------------------------------
    @property
    def is_valid(self) -> bool:
        return self._validity[0]

    @property
    def error_message(self) -> str:
        return self._validity[1]

    @property
    def total_params(self) -> int:
        return self.document.validate().total_params

    def selected_layer_id(self) -> str | None:
        return self.scene.selected_layer_id()

    # -- edits (each one undo command) -----------------------------------------------------------
    def insert_layer(self, layer_type: str, index: int) -> str:
        """Add a palette layer before position ``index``; returns its id."""
        config = self.document.new_layer_config(layer_type, index)
        self.undo_stack.push(InsertLayerCommand(self.document, index, config))
        return config["id"]

    def move_layer(self, src: int, dst: int) -> None:
        if src != dst:
            self.undo_stack.push(MoveLayerCommand(self.document, src, dst))
            self.scene.select_layer(self.document.layer_ids()[dst])

    def delete_layer(self, layer_id: str) -> None:
        self.undo_stack.push(RemoveLayerCommand(self.document, self.document.index_of(layer_id)))

    def _on_palette_activated(self, layer_type: str) -> None:
        selected = self.scene.selected_layer_id()
        index = self.document.index_of(selected) + 1 if selected else len(self.document)
        self.insert_layer(layer_type, index)

    # -- live view -------------------------------------------------------------------------------
    def show_snapshot(self, snapshot) -> None:
        """Input feature maps, neuron maps and weights of the dense layers (2-D data), or the probe
        image and the conv/pool blocks' feature maps (image data), from a training Snapshot. While the canvas is hidden (another tab, a closed window) nothing is
        drawn: the newest snapshot waits and is drawn when the canvas shows again."""
        if not self.view.isVisible():
            self._pending_snapshot = snapshot
            return
        self._pending_snapshot = None
        self.scene.show_snapshot(snapshot)

    def set_probe(self, index: int) -> None:
        """Show the conv blocks' feature maps (and the input picture) of probe image ``index``;
        redraws the current snapshot at once if the canvas is showing one."""
        if self._pending_snapshot is not None or not self.view.isVisible():
            self.scene.probe_index = max(0, int(index))   # drawn when the canvas shows again
        else:
            self.scene.set_probe(index)

    def clear_live(self) -> None:
        self._pending_snapshot = None
        self.scene.clear_live()

    def _on_view_shown(self) -> None:
        if self._pending_snapshot is not None:
            self.show_snapshot(self._pending_snapshot)

    # -- the document's news -> the main window --------------------------------------------------
    def _structure_key(self) -> tuple:
        result = self.document.validate()
        return (tuple(self.document.input_shape), tuple(self.document.layer_ids()),
                tuple(sorted(result.param_shapes.items())), result.ok)

    def _on_document_changed(self) -> None:
        # the scene dropped its live view (trained for the network as it was): so does the wait
        self._pending_snapshot = None
        result = self.document.validate()
        self.spec_changed.emit(self.document.spec())
        key = self._structure_key()
        if key != self._structure:
            self._structure = key
            self.structure_changed.emit()
        if (result.ok, result.message) != self._validity:
            self._validity = (result.ok, result.message)
            self.validity_changed.emit(result.ok, result.message)
        if self._select_after is not None:  # the scene has its block by now
            self.scene.select_layer(self._select_after)
            self._select_after = None
        self.view.viewport().update()

    def _on_layer_inserted(self, index: int) -> None:
        self._select_after = self.document.layer_ids()[index]

    def _on_selection_changed(self) -> None:
        if self.scene.input_selected():
            self.inspector.show_input()
        else:
            self.inspector.show_layer(self.scene.selected_layer_id())
