"""Labels whose text changes every frame (counters, live readouts) at a fixed size.

A QLabel that may change size asks its parent to lay out again at every ``setText``, and that
request climbs to the main window: a full window layout per frame for a changing number. At a
fixed size (minimum = maximum) Qt skips it. The size only grows when a text needs more, and is
measured again when the font changes (presentation mode). A label set to wrap its words
(presentation mode, in a narrow dock) is left free to take the lines it needs.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel

SLACK = 4     # px beyond the text, so a digit of another width never clips
FREE = 16777215


class _Refit(QObject):
    """Measures its label again when its font or style changes (once the label has taken the
    change in: a filter sees the event before the label does)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, obj, lambda: _fix(obj))
        return False


def make_steady(label: QLabel, widest: str) -> QLabel:
    """Fix ``label``'s size to what ``widest`` (or its longer text) needs; its text stays."""
    label.setProperty("steady_widest", widest)
    label.installEventFilter(_Refit(label))
    _fix(label)
    return label


def set_steady(label: QLabel, text: str) -> None:
    """``label.setText(text)``; a longer text than any before may widen (never narrow) it."""
    if text == label.text():
        return
    label.setText(text)
    if label.wordWrap():
        if label.minimumWidth() == label.maximumWidth():
            label.setMinimumSize(0, 0)
            label.setMaximumSize(FREE, FREE)
        return
    if len(text) > len(label.property("steady_widest") or "") or \
            label.minimumWidth() != label.maximumWidth():
        _fix(label)


def _fix(label: QLabel) -> None:
    if label.wordWrap():
        return
    text, widest = label.text(), label.property("steady_widest") or ""
    if len(text) > len(widest):
        widest = text
        label.setProperty("steady_widest", widest)
    label.setMinimumSize(0, 0)
    label.setMaximumSize(FREE, FREE)
    label.blockSignals(True)
    label.setText(widest)
    hint = label.sizeHint()
    label.setText(text)
    label.blockSignals(False)
    label.setFixedSize(max(hint.width() + SLACK, label.minimumWidth()), hint.height())
