"""One small editor widget per field kind of the layer table (document.FieldSpec.kind).

Each editor shows a value with ``set_value`` (without echo: it blocks its own signals) and reports
the user's edits with ``edited(value, merge)``; ``merge`` is True for spin boxes, whose runs of
steps become one undo entry, and ``finished`` marks the end of such a run.
"""
from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit,
                               QSpinBox, QWidget)

from playground.project.document import FieldSpec


class FieldEditor(QWidget):
    """Base: a row widget with an ``edited(value, merge)`` and a ``finished()`` signal."""

    edited = Signal(object, bool)
    finished = Signal()

    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(parent)
        self.spec = spec
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(4)

    def set_value(self, value: Any) -> None:
        self.blockSignals(True)
        for child in self.findChildren(QWidget):
            child.blockSignals(True)
        try:
            self._show(value)
        finally:
            for child in self.findChildren(QWidget):
                child.blockSignals(False)
            self.blockSignals(False)

    def _show(self, value: Any) -> None:
        raise NotImplementedError


class IntEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(spec, parent)
        self.spin = QSpinBox()
        self.spin.setRange(int(spec.minimum), int(spec.maximum))
        self.spin.valueChanged.connect(lambda v: self.edited.emit(int(v), True))
        self.spin.editingFinished.connect(self.finished)
        self.row.addWidget(self.spin)

    def _show(self, value: Any) -> None:
        self.spin.setValue(int(value) if isinstance(value, (int, float)) else self.spin.minimum())


class FloatEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(spec, parent)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(spec.minimum, spec.maximum)
        self.spin.setSingleStep(spec.step)
        self.spin.setDecimals(2)
        self.spin.valueChanged.connect(lambda v: self.edited.emit(round(float(v), 4), True))
        self.spin.editingFinished.connect(self.finished)
        self.row.addWidget(self.spin)

    def _show(self, value: Any) -> None:
        self.spin.setValue(float(value) if isinstance(value, (int, float)) else 0.0)


class ChoiceEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(spec, parent)
        self.combo = QComboBox()
        self.combo.addItems(list(spec.options))
        self.combo.activated.connect(lambda i: self.edited.emit(self.combo.itemText(i), False))
        self.row.addWidget(self.combo)

    def set_options(self, options: list[str]) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(options)
        self.combo.blockSignals(False)

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.combo.findText(text) < 0:
            self.combo.addItem(text)
        self.combo.setCurrentText(text)


class BoolEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(spec, parent)
        self.check = QCheckBox()
        self.check.toggled.connect(lambda on: self.edited.emit(bool(on), False))
        self.row.addWidget(self.check)

    def _show(self, value: Any) -> None:
        self.check.setChecked(bool(value))


class PairEditor(FieldEditor):
    """Height × width; equal sides are stored as one number (3 rather than [3, 3])."""

    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(spec, parent)
        self.h, self.w = QSpinBox(), QSpinBox()
        for spin in (self.h, self.w):
            spin.setRange(int(spec.minimum), int(spec.maximum))
            spin.valueChanged.connect(lambda _: self.edited.emit(self.pair_value(), True))
            spin.editingFinished.connect(self.finished)
        self.row.addWidget(self.h)
        self.row.addWidget(QLabel("×"))
        self.row.addWidget(self.w)

    def pair_value(self) -> int | list[int]:
        h, w = self.h.value(), self.w.value()
        return h if h == w else [h, w]

    def _show(self, value: Any) -> None:
        h, w = (value if isinstance(value, (list, tuple)) and len(value) == 2 else (value, value))
        self.h.setValue(int(h) if isinstance(h, (int, float)) else self.h.minimum())
        self.w.setValue(int(w) if isinstance(w, (int, float)) else self.w.minimum())


class PaddingEditor(PairEditor):
    """conv2d padding: a number (or pair), or 'same' (keep the size at stride 1) or 'valid' (0)."""

    MODES = ("number", "same", "valid")

    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(spec, parent)
        self.mode = QComboBox()
        self.mode.addItems(list(self.MODES))
        self.mode.activated.connect(self._on_mode_activated)
        self.row.insertWidget(0, self.mode)

    def _on_mode_activated(self, index: int) -> None:
        mode = self.MODES[index]
        self.h.setEnabled(mode == "number")
        self.w.setEnabled(mode == "number")
        self.edited.emit(self.pair_value() if mode == "number" else mode, False)

    def _show(self, value: Any) -> None:
        mode = value if value in ("same", "valid") else "number"
        self.mode.setCurrentText(mode)
        self.h.setEnabled(mode == "number")
        self.w.setEnabled(mode == "number")
        super()._show(value if mode == "number" else 0)


class ShapeEditor(FieldEditor):
    """A shape typed as '1x28x28' or '-1, 7, 7'."""

    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(spec, parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText("e.g. 1x28x28")
        self.line.editingFinished.connect(self._on_editing_finished)
        self.row.addWidget(self.line)

    @staticmethod
    def parse(text: str) -> list[int] | None:
        parts = [p for p in re.split(r"[x×,\s\[\]]+", text.strip()) if p]
        try:
            return [int(p) for p in parts] or None
        except ValueError:
            return None

    def _on_editing_finished(self) -> None:
        shape = self.parse(self.line.text())
        self.line.setStyleSheet("" if shape else "QLineEdit { border: 1px solid #db3236; }")
        if shape:
            self.edited.emit(shape, False)

    def _show(self, value: Any) -> None:
        self.line.setStyleSheet("")
        self.line.setText("x".join(str(v) for v in value) if isinstance(value, list) else "")


EDITORS = {"int": IntEditor, "float": FloatEditor, "choice": ChoiceEditor, "bool": BoolEditor,
           "pair": PairEditor, "padding": PaddingEditor, "shape": ShapeEditor,
           "pool_ref": ChoiceEditor}


def make_editor(spec: FieldSpec, parent=None) -> FieldEditor:
    return EDITORS[spec.kind](spec, parent)
