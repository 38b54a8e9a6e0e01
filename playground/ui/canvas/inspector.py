"""The Inspector: a form for the selected layer's fields, every change an undo command.

Like napari's views, the panel keeps no copy of a setting: it reads the document when it changes
(blocking its own echo while it does) and writes back only through ``SetFieldCommand``.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from playground.engine.layers.base import shape_text
from playground.engine.activations import RECORDS
from playground.project.document import LAYER_TYPES, FieldSpec, NetworkDocument

from .commands import SetFieldCommand
from .describe import FIELD_HELP, LAYER_HELP, params_text
from .editors import ChoiceEditor, FieldEditor, make_editor
from .style import ERROR_COLOUR


class InspectorPanel(QWidget):
    """Edits one layer of ``document`` through ``undo_stack``; ``show_layer(None)`` shows a hint."""

    def __init__(self, document: NetworkDocument, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.document, self.undo_stack = document, undo_stack
        self.layer_id: str | None = None
        self.showing_input = False
        #: what the main window says about the input: "data", "features", "normalisation"
        self.input_info: dict[str, str] = {}
        self.editors: dict[str, FieldEditor] = {}
        self._session = 0  # merge key: one run of spin box steps is one undo entry
        layout = QVBoxLayout(self)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1)
        self.title.setFont(font)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.RichText)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 4, 0, 4)
        self.footer = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR.name()};")
        #: the output layer only: the hovered point's target next to the network's output
        self.point_reading = None
        self.hovered = QLabel()
        self.hovered.setObjectName("hovered_point")
        self.hovered.setWordWrap(True)
        self.hovered.setTextFormat(Qt.TextFormat.RichText)
        self.hovered.setToolTip("The target the network is trained towards for the point under "
                                "the mouse on the decision map, next to the output layer's "
                                "values there. Classes are written one-hot: class k of K is 1 at "
                                "place k and 0 elsewhere (notes 1.6.2).")
        self.hovered.hide()
        for widget in (self.title, self.description, self.form_host, self.footer, self.hovered,
                       self.error):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setMinimumWidth(220)
        document.changed.connect(self._on_document_changed)
        self.show_layer(None)

    # -- which layer -----------------------------------------------------------------------------
    def show_layer(self, layer_id: str | None) -> None:
        """Build the form for ``layer_id`` (or the hint when None or no longer there)."""
        if layer_id is not None and layer_id not in self.document.layer_ids():
            layer_id = None
        self.layer_id = layer_id
        self.showing_input = False
        self._clear_form()
        if layer_id is None:
            self.title.setText("Inspector")
            self.description.setText("Select a layer on the canvas to edit it, or drag one in "
                                     "from the Layers palette.")
            self.footer.setText(self._network_footer())
            self.error.setText("")
            self._show_point_reading()
            return
        config = self.document.layer(layer_id)
        kind = LAYER_TYPES[config["type"]]
        for spec in kind.fields:
            self._add_row(spec)
        what, formula = LAYER_HELP[config["type"]]
        self.title.setText(f"{kind.title} ‘{layer_id}’")
        self.description.setText(f"{what}<br><span style='font-family:monospace'>"
                                 f"{formula.replace(chr(10), '<br>')}</span>")
        self._refresh()
        self._show_point_reading()

    def show_point_reading(self, reading) -> None:
        """The Output view's reading of the hovered point (a ``PointReading``), shown while the
        output layer is selected."""
        self.point_reading = reading
        self._show_point_reading()

    def _show_point_reading(self) -> None:
        reading, ids = self.point_reading, self.document.layer_ids()
        shown = (reading is not None and reading.active and self.layer_id is not None
                 and bool(ids) and self.layer_id == ids[-1])
        if shown:
            self.hovered.setText(reading.short_text())
        self.hovered.setVisible(shown)

    def _clear_form(self) -> None:
        self._session += 1
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors.clear()

    def set_input_info(self, info: dict[str, str]) -> None:
        """What the data gives the network (shown when the input block is selected)."""
        self.input_info = dict(info)
        if self.showing_input:
            self.show_input()

    def show_input(self) -> None:
        """The input block: its shape, features and normalisation, read-only. The input follows
        the data, so it is changed in the Data panel (features, dataset, pixel scaling)."""
        self.layer_id = None
        self.showing_input = True
        self._clear_form()
        self.title.setText("Input")
        self.description.setText(
            "What one example gives the network. The input follows the data: choose the features "
            "or the dataset in the Data panel and it changes with them (Ctrl+Z undoes it).")
        info = self.input_info
        shape = self.document.input_shape
        rows = [("Shape", f"{shape[0]} value{'s' if shape[0] != 1 else ''}" if len(shape) == 1
                 else shape_text(tuple(shape)))]
        if info.get("data"):
            rows.append(("Data", info["data"]))
        labels = self.document.input_labels
        rows.append(("Features", info.get("features") or (", ".join(labels) if labels else "—")))
        if info.get("normalisation"):
            rows.append(("Normalisation", info["normalisation"]))
        for name, text in rows:
            value = QLabel(text)
            value.setWordWrap(True)
            value.setObjectName(f"input_{name.lower()}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(name, value)
        self.footer.setText("")
        self.error.setText("")
        self._show_point_reading()

    def _add_row(self, spec: FieldSpec) -> None:
        editor = make_editor(spec)
        help_text = FIELD_HELP.get(spec.name, "")
        editor.setToolTip(help_text)
        label = QLabel(spec.label)
        label.setToolTip(help_text)
        editor.edited.connect(
            lambda value, merge, name=spec.name: self._on_edited(name, value, merge))
        editor.finished.connect(self._on_editing_finished)
        self.editors[spec.name] = editor
        if spec.name in ("activation", "function"):      # a link to the activation explorer
            self.form.addRow(label, self._with_explorer_link(editor))
            return
        self.form.addRow(label, editor)

    def _with_explorer_link(self, editor: QWidget) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addWidget(editor, 1)
        link = QToolButton()
        link.setObjectName("explore_activation")
        link.setText("f′ ↗")
        link.setToolTip("Open the activation explorer (Labs) on this layer: f and f′ with the "
                        "layer's live z behind them, and its saturated or dead units over time")
        link.clicked.connect(self.explore_activation)
        box.addWidget(link)
        return row

    def explore_activation(self) -> None:
        """The Labs' activation explorer, with this layer chosen."""
        from ..labs import open_labs
        window = self.window()
        while not hasattr(window, "bridge") and window.parentWidget() is not None:
            window = window.parentWidget().window()       # a floating dock: its main window
        labs = open_labs(window, "activations")
        if self.layer_id is not None:
            labs.activations.live.choose(self.layer_id)

    # -- document -> form ------------------------------------------------------------------------
    def _on_document_changed(self) -> None:
        if self.showing_input:
            self.show_input()
        elif self.layer_id is not None and self.layer_id not in self.document.layer_ids():
            self.show_layer(None)
        elif self.layer_id is None:
            self.footer.setText(self._network_footer())
        else:
            self._refresh()
        self._show_point_reading()          # a layer added after it: no longer the output layer

    def _refresh(self) -> None:
        config = self.document.layer(self.layer_id)
        for name, editor in self.editors.items():
            if editor.spec.kind == "pool_ref":
                self._fill_pool_choices(editor)
            editor.set_value(self._current(config, editor.spec))
            if name == "alpha":  # only activations with a parameter (leaky ReLU, ELU) show it
                act = RECORDS.get(config.get("activation", config.get("function")))
                self.form.setRowVisible(editor, bool(act and act.params))
                if act and act.params and "alpha" not in config:
                    editor.set_value(act.params[0].default)
        result = self.document.validate()
        out = result.output_shape_of(self.layer_id)
        n_params = params_text(result.params_of(self.layer_id))
        self.footer.setText(f"Output {shape_text(out)} · {n_params}" if out is not None
                            else "Output: does not build")
        mine = result.error is not None and result.error.layer_id == self.layer_id
        self.error.setText(result.message if mine else "")

    @staticmethod
    def _current(config: dict, spec: FieldSpec) -> Any:
        if spec.name in config:
            return config[spec.name]
        if spec.name == "stride" and config["type"] in ("maxpool2d", "avgpool2d"):
            return config.get("size", 2)  # pooling windows do not overlap unless told to
        return spec.default

    def _fill_pool_choices(self, editor: ChoiceEditor) -> None:
        ids = self.document.layer_ids()
        index = ids.index(self.layer_id)
        pools = [c["id"] for c in self.document.layers()[:index] if c["type"] == "maxpool2d"]
        editor.set_options(pools)

    def _network_footer(self) -> str:
        result = self.document.validate()
        if not result.ok:
            return "The network does not build yet."
        return f"{len(self.document)} layers · {result.total_params:,} parameters"

    # -- form -> document (through the undo stack) -----------------------------------------------
    def _on_edited(self, field: str, value: Any, merge: bool) -> None:
        if self.layer_id is None or self.document.layer(self.layer_id).get(field) == value:
            return
        self.undo_stack.push(SetFieldCommand(self.document, self.layer_id, field, value,
                                             merge=merge, session=self._session))

    def _on_editing_finished(self) -> None:
        self._session += 1
