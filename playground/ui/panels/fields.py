"""Small input widgets the panels share: a spin box for values from 1e-8 to 10, and a titled group."""
from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QSizePolicy,
                               QWidget)


class NumberBox(QDoubleSpinBox):
    """A spin box that shows numbers the way people write them (0.03, 1e-08). The arrows step along
    1, 3, 10, 30 ... (learning rates and epsilons span decades, as in TensorFlow Playground), or by
    ``linear_step`` when one is given (betas, momentum)."""

    def __init__(self, minimum: float, maximum: float, linear_step: float | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(12)
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)          # one change when the user has finished typing
        self._linear = linear_step
        self._ladder = _ladder(minimum, maximum)

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        try:
            value = float(text)
        except ValueError:
            return QValidator.Intermediate, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.Acceptable, text, pos
        return QValidator.Intermediate, text, pos

    def stepBy(self, steps: int) -> None:
        new = self.value()
        if self._linear is not None:
            new += steps * self._linear
        for _ in range(abs(steps) if self._linear is None else 0):
            if steps > 0:
                new = next((v for v in self._ladder if v > new * (1 + 1e-9)), self.maximum())
            else:
                new = next((v for v in reversed(self._ladder) if v < new * (1 - 1e-9)),
                           self.minimum())
        self.setValue(min(max(new, self.minimum()), self.maximum()))


def _ladder(low: float, high: float) -> list[float]:
    """0 (if allowed), then 1 and 3 times every power of ten between ``low`` and ``high``."""
    values = [0.0] if low <= 0 else []
    for k in range(-12, 6):
        values += [m * 10.0 ** k for m in (1, 3) if max(low, 1e-12) <= m * 10.0 ** k <= high]
    return values


def group(title: str) -> tuple[QGroupBox, QFormLayout]:
    """A titled box with a two-column form inside."""
    box = QGroupBox(title)
    box.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)   # shrink when rows are hidden
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
    form.setContentsMargins(8, 6, 8, 6)
    form.setVerticalSpacing(4)
    return box, form


def close_enough(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def align_labels(forms: list[QFormLayout]) -> None:
    """Give every form's label column the same width, so stacked groups line up."""
    labels = [form.itemAt(row, QFormLayout.LabelRole).widget()
              for form in forms for row in range(form.rowCount())
              if form.itemAt(row, QFormLayout.LabelRole) is not None]
    labels = [label for label in labels if isinstance(label, QLabel)]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)
