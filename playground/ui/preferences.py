"""Edit > Preferences: the timeline's memory bound."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout

BUDGET_TIP = ("The most memory the timeline may use. Past it, moments from the middle of the run "
              "are dropped (the first and the newest stay, and the rest stay log-spaced).")


class PreferencesDialog(QDialog):
    def __init__(self, budget_mb: int, used_bytes: int, moments: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        box = QVBoxLayout(self)
        form = QFormLayout()
        self.budget = QSpinBox()
        self.budget.setRange(10, 8000)
        self.budget.setSingleStep(50)
        self.budget.setSuffix(" MB")
        self.budget.setValue(int(budget_mb))
        self.budget.setToolTip(BUDGET_TIP)
        form.addRow("Timeline memory", self.budget)
        used = QLabel(f"now {used_bytes / 2**20:.1f} MB in {moments:,} moment"
                      f"{'s' if moments != 1 else ''}")
        used.setObjectName("muted")
        form.addRow("", used)
        box.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def budget_mb(self) -> int:
        return self.budget.value()
