"""Labels whose text changes every frame (counters, live readouts) at a fixed size.

A QLabel that may change size asks its parent to lay out again at every ``setText``, and that
request climbs to the main window: a full window layout per frame for a changing number. At a
fixed size (minimum = maximum) Qt skips it. The size only grows, and only when a text needs more.
"""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

SLACK = 4     # px beyond the text, so a digit of another width never clips


def make_steady(label: QLabel, widest: str) -> QLabel:
    """Fix ``label``'s size to what ``widest`` needs (its text is left as it was)."""
    text = label.text()
    label.setText(widest)
    hint = label.sizeHint()
    label.setFixedSize(hint.width() + SLACK, hint.height())
    label.setText(text)
    label.setProperty("steady_chars", len(widest))
    return label


def set_steady(label: QLabel, text: str) -> None:
    """``label.setText(text)``; a longer text than any before may widen (never narrow) it."""
    if text == label.text():
        return
    label.setText(text)
    if len(text) > (label.property("steady_chars") or 0):
        label.setProperty("steady_chars", len(text))
        label.setMinimumWidth(0)
        label.setMaximumWidth(16777215)
        need = label.sizeHint().width() + SLACK
        label.setFixedWidth(max(need, label.width()))
