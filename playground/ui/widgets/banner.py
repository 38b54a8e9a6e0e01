"""The banner shown above the canvas when training stops on its own (divergence, a data problem)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

LOWER_TIP = ("Divide the learning rate by 10 and keep the current weights. A step "
             "θ ← θ − lr·∇J(θ) that is too large jumps past the minimum and the loss grows "
             "without bound.")


class MessageBanner(QFrame):
    """A dismissable one-line message with an optional action button ("Lower learning rate ×0.1")."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.action = QPushButton("Lower learning rate ×0.1")
        self.action.setToolTip(LOWER_TIP)
        self.close_button = QPushButton("Dismiss")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.action)
        row.addWidget(self.close_button)
        self.action.clicked.connect(self.action_clicked)
        self.action.clicked.connect(self.hide)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def show_message(self, text: str, with_action: bool) -> None:
        self.label.setText(text)
        self.action.setVisible(with_action)
        self.show()
