"""The docks keep their shares of the window when it is resized (or maximised, or opened at a
saved size on a different screen): the extra width goes to the views, not to an empty canvas.

Qt's main window gives all of a resize to its central widget, the network canvas. ``DockShares``
watches the window's resize events: before the first one of a burst it notes each column's width
and each row's height as a share of the old window size, and once the burst is over (the next
turn of the event loop) it gives every dock that share of the new size. A saved layout is
treated the same way: ``remember`` stores the window size next to the saved dock state, and when
the window first shows at another size, the saved docks are scaled to it.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

SIZE_KEY = "window/state_size"
SIDES = (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea, Qt.TopDockWidgetArea,
         Qt.BottomDockWidgetArea)


def front_docks(window: QMainWindow) -> list[QDockWidget]:
    """The docked widgets on screen now (a tab behind another is moved off, not hidden)."""
    return [d for d in window.findChildren(QDockWidget)
            if d.isVisible() and not d.isFloating() and not d.visibleRegion().isEmpty()
            and window.dockWidgetArea(d) in SIDES]


def measure(window: QMainWindow, size: QSize) -> list[tuple[QDockWidget, Qt.Orientation, float]]:
    """(dock, direction, share of ``size``): one width per column of the left and right areas and
    one height per dock in each column (and of the top and bottom areas)."""
    shares, columns = [], set()
    for dock in front_docks(window):
        area, g = window.dockWidgetArea(dock), dock.geometry()
        if area in (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea):
            if (area, g.x()) not in columns:        # docks stacked in a column share its width
                columns.add((area, g.x()))
                shares.append((dock, Qt.Horizontal, g.width() / max(1, size.width())))
        shares.append((dock, Qt.Vertical, g.height() / max(1, size.height())))
    return shares


def apply(window: QMainWindow, shares, size: QSize) -> None:
    for direction, total in ((Qt.Horizontal, size.width()), (Qt.Vertical, size.height())):
        docks = [d for d, o, _ in shares if o == direction and d.isVisible()]
        sizes = [max(1, round(s * total)) for d, o, s in shares if o == direction and d.isVisible()]
        if docks:
            window.resizeDocks(docks, sizes, direction)


class DockShares(QObject):
    """Installed on ``window``: keeps each dock's share of the window through resizes.

    Qt lays the window out before anyone hears of its resize, so the shares are measured ahead
    of time: whenever a dock changes size on its own (a separator dragged, a dock shown or
    moved), once the layout has settled."""

    def __init__(self, window: QMainWindow, saved_size: QSize | None = None):
        super().__init__(window)
        self.window = window
        self.shares = None                   # the settled layout's shares of the window
        self._pending = False                # a window resize waits to be answered
        self._measuring = False
        self._saved_size = saved_size        # the size the restored dock state was saved at
        window.installEventFilter(self)
        for dock in window.findChildren(QDockWidget):
            dock.installEventFilter(self)

    @staticmethod
    def saved_size(settings) -> QSize | None:
        value = settings.value(SIZE_KEY)
        try:
            w, h = (int(v) for v in value)
        except (TypeError, ValueError):
            return None
        return QSize(w, h) if w > 0 and h > 0 else None

    def remember(self, settings) -> None:
        """Store the window's size beside its saved dock state (call with saveState)."""
        settings.setValue(SIZE_KEY, [self.window.width(), self.window.height()])

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Resize and self.window.isVisible():
            if obj is self.window:
                old = event.oldSize()
                if not self._pending and old.isValid() and old != event.size():
                    self._pending = True
                    if self.shares is None:
                        self.shares = measure(self.window, old)
                    QTimer.singleShot(0, self, self._apply)
            elif not self._measuring:
                self._measuring = True
                QTimer.singleShot(0, self, self._measure)
        elif kind == QEvent.Show and obj is self.window and self._saved_size is not None:
            saved, self._saved_size = self._saved_size, None
            # the restored docks have the sizes they had in a window of ``saved`` size
            QTimer.singleShot(0, self, lambda: self._scale_from(saved))
        return False

    def _measure(self) -> None:
        self._measuring = False
        if not self._pending:                # not halfway through a window resize
            self.shares = measure(self.window, self.window.size())

    def _scale_from(self, saved: QSize) -> None:
        if saved != self.window.size():
            apply(self.window, measure(self.window, saved), self.window.size())

    def _apply(self) -> None:
        self._pending = False
        if self.shares:
            apply(self.window, self.shares, self.window.size())
