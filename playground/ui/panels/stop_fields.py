"""The Training panel's stop conditions: a target test loss, a target accuracy, an epoch limit.

Each field reads "off" at its lowest value; the worker pauses the run when one is met and the
status bar says which (engine/stop.py)."""
from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QSpinBox

LOSS_TIP = ("Pause when the test loss (the training loss when there is no test set) falls to "
            "this value or below. \"off\": no target.")
ACC_TIP = ("Pause when the test accuracy (the training accuracy when there is no test set) "
           "reaches this share. \"off\": no target.")
EPOCHS_TIP = "Pause after this many epochs (also the default length of `playground train`). \"off\": no limit."


class StopFields:
    """Three boxes in ``form``; ``edited`` is called on every change."""

    def __init__(self, form: QFormLayout, edited):
        self.loss = QDoubleSpinBox()
        self.loss.setRange(0.0, 100.0)
        self.loss.setDecimals(4)
        self.loss.setSingleStep(0.01)
        self.loss.setSpecialValueText("off")
        self.accuracy = QDoubleSpinBox()
        self.accuracy.setRange(0.0, 100.0)
        self.accuracy.setDecimals(1)
        self.accuracy.setSuffix(" %")
        self.accuracy.setSpecialValueText("off")
        self.epochs = QSpinBox()
        self.epochs.setRange(0, 10_000_000)
        self.epochs.setSpecialValueText("off")
        for box, label, tip in ((self.loss, "Test loss ≤", LOSS_TIP),
                                (self.accuracy, "Accuracy ≥", ACC_TIP),
                                (self.epochs, "Epochs", EPOCHS_TIP)):
            box.setKeyboardTracking(False)
            box.setToolTip(tip)
            box.valueChanged.connect(edited)
            form.addRow(label, box)
            form.labelForField(box).setToolTip(tip)

    def show(self, settings) -> None:
        self.loss.setValue(settings.stop_test_loss or 0.0)
        self.accuracy.setValue(100.0 * (settings.stop_accuracy or 0.0))
        self.epochs.setValue(settings.stop_epochs or 0)

    def values(self) -> dict:
        loss, acc, epochs = self.loss.value(), self.accuracy.value(), self.epochs.value()
        return {"stop_test_loss": loss if loss > 0 else None,
                "stop_accuracy": round(acc / 100.0, 6) if acc > 0 else None,
                "stop_epochs": int(epochs) if epochs > 0 else None}
