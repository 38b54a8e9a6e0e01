"""The banner shown above the canvas when training stops on its own (divergence), or when the
project cannot train; then it offers the fixes (``show_fixes``), one button each."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

LOWER_TIP = ("Divide the learning rate by 10 and keep the current weights. A step "
             "θ ← θ − lr·∇J(θ) that is too large jumps past the minimum and the loss grows "
             "without bound.")


class MessageBanner(QFrame):
    """A dismissable message with an optional action button ("Lower learning rate ×0.1"), or
    with a row of fix buttons below it (``show_fixes``)."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.action = QPushButton("Lower learning rate ×0.1")
        self.action.setToolTip(LOWER_TIP)
        self.close_button = QPushButton("Dismiss")
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(4)
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        row.addWidget(self.action)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(row)
        # the fixes go one under the other below the message: the canvas column can be narrow
        # (about 320 px at 1280x800), and the message keeps the banner's width
        self._fix_row = QVBoxLayout()
        self._fix_row.setSpacing(3)
        column.addLayout(self._fix_row)
        self.fix_buttons: list[QPushButton] = []
        self.action.clicked.connect(self.action_clicked)
        self.action.clicked.connect(self.hide)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def show_message(self, text: str, with_action: bool) -> None:
        self._set_fixes([], None)
        self.label.setText(text)
        self.action.setVisible(with_action)
        self.show()

    def show_fixes(self, text: str, fixes, on_fix: Callable[[object], None]) -> None:
        """``text`` with one button per fix (an object with ``label`` and ``tip``); a click calls
        ``on_fix(fix)``. The banner stays until the project can train again."""
        self.label.setText(text)
        self.action.setVisible(False)
        self._set_fixes(list(fixes), on_fix)
        self.show()

    def _set_fixes(self, fixes: list, on_fix) -> None:
        for button in self.fix_buttons:
            self._fix_row.removeWidget(button)
            button.deleteLater()
        self.fix_buttons = []
        for i, fix in enumerate(fixes):
            button = QPushButton(fix.label)
            button.setToolTip(fix.tip)
            button.setDefault(i == 0)
            button.clicked.connect(lambda _=False, f=fix: on_fix(f))
            self._fix_row.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.fix_buttons.append(button)


class StaleOverlay(QWidget):
    """A veil over a view while the project cannot train: what the view shows belongs to a
    network that no longer exists, so it is faded out and says so, rather than sitting frozen.
    It follows its parent's size and lets no click through to the stale view."""

    def __init__(self, parent: QWidget, text: str = "Nothing to show until the project can train"):
        super().__init__(parent)
        self.setObjectName("stale_overlay")
        self.text = text
        self.setAutoFillBackground(False)
        parent.installEventFilter(self)
        self.hide()

    def set_shown(self, shown: bool) -> None:
        if shown:
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
        self.setVisible(shown)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        base = self.palette().color(QPalette.ColorRole.Window)
        base.setAlpha(232)
        painter.fillRect(self.rect(), base)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(self.rect().adjusted(12, 12, -12, -12),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.text)
        painter.end()
