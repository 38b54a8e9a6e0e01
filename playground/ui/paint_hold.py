"""A dear view's frame in two turns of the event loop: its new data first, its paint at the next.

Qt paints a widget in the same turn of the event loop as the timer that changed it, so input and
timers waited for a frame's draw and its paint together. For the Curves and the Weights & gradients
that is 10-20 ms of new data into plot items and 20-30 ms of paint in a run's first second, while
every axis still rescales: 40-60 ms with nothing else served. Held, a view's updates are off while
the pump draws into it; released at the next turn, it paints whole then (``setUpdatesEnabled(True)``
updates the whole widget), and an input event waits for one half or the other, never both.

Only a widget inside a window is held, never a window itself: a window whose updates were off at
its first paint after show() stayed unpainted (offscreen Qt 6.11), while a view inside a window
painted at the release in every case tried.

Only the pump's frames hold (``drawing()``): a test, a screenshot or a user's edit that draws a
view outside a frame paints as before. A change of its own as dear, between frames (the Curves'
automatic switch to a log x axis), is ``paint_later``.
"""
from __future__ import annotations

from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


def holdable(widget: QWidget | None) -> bool:
    """Shown, painting, and inside a window (see above)."""
    return (widget is not None and widget.updatesEnabled() and widget.isVisible()
            and not widget.isWindow())


def paint_later(widget: QWidget | None, change) -> None:
    """``change()`` with ``widget``'s paint held to the next turn of the event loop."""
    held = holdable(widget)
    if held:
        widget.setUpdatesEnabled(False)
    try:
        change()
    finally:
        if held:        # the widget as context: not called once it is deleted
            QTimer.singleShot(0, widget, lambda: widget.setUpdatesEnabled(True))


class PaintHold:
    """Widgets whose paint waits for ``release()``; ``hold()`` holds only inside ``drawing()``."""

    def __init__(self) -> None:
        self._drawing = False
        self._held: list[QWidget] = []

    @contextmanager
    def drawing(self):
        """A pump frame's draw: the dear views drawn in it are held."""
        self._drawing = True
        try:
            yield
        finally:
            self._drawing = False

    def hold(self, widget: QWidget) -> None:
        """Paint ``widget`` at ``release()``, not in this turn of the event loop."""
        if self._drawing and holdable(widget):
            widget.setUpdatesEnabled(False)
            self._held.append(widget)

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def release(self) -> None:
        """Every held widget updates again, whole (a widget deleted meanwhile is skipped)."""
        held, self._held = self._held, []
        for widget in held:
            if shiboken6.isValid(widget):
                widget.setUpdatesEnabled(True)
