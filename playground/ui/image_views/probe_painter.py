"""Paint the probe image (issue 11, section 3): draw a digit and watch the network read it.

The painter shows the chosen probe image large. Drag with the left button to draw (the brush) or
to rub out (the eraser, or the right button); Clear leaves a blank page and Restore brings the test
image back. Strokes work in the network's own input units: "ink" is the probe's brightest value
and "paper" its darkest, so a standardised dataset is painted with the values it was trained on.
While drawing, the image goes to the training worker at most every ``SEND_MS``; the snapshot that
comes back carries the feature maps of the painted image and the network's output, shown here as
the prediction. No training runs.

A new session (a layer added, the same data loaded again) starts from the test images: ``carry``
puts the painted image into the new trainer before the worker gets it when the input shape still
fits, and says why it was dropped when it does not.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QSlider, QToolButton, QVBoxLayout, QWidget)

from ...labs import hands
from .colours import to_qimage

SEND_MS = 40            #: the painted image goes to the worker at most this often
TOP = 3                 #: classes shown in the prediction


def stroke(image: np.ndarray, y: float, x: float, radius: float, ink: float, paper: float,
           erase: bool = False) -> None:
    """One dab of a soft round brush at (y, x) (pixel units, centres at +0.5) on (C, H, W):
    full strength within ``radius``, fading to nothing one pixel further. Drawing only darkens
    towards ink and erasing only towards paper, so going over a stroke twice changes nothing."""
    _, h, w = image.shape
    rows, cols = np.mgrid[0:h, 0:w]
    d = np.hypot(rows + 0.5 - y, cols + 0.5 - x)
    strength = np.clip(radius + 1.0 - d, 0.0, 1.0)
    if erase:
        target = ink - (ink - paper) * strength
        np.minimum(image, target[None], out=image)
    else:
        target = paper + (ink - paper) * strength
        np.maximum(image, target[None], out=image)


class PaintCanvas(QWidget):
    """The probe image, large, to draw on; ``stroked()`` after every dab."""

    stroked = Signal()

    def __init__(self, owner: "ProbePainter"):
        super().__init__(owner)
        self.owner = owner
        self.setMinimumSize(140, 140)
        self.setMaximumSize(380, 380)       # 28 px at ~13x: larger only leaves the maps less room
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Drag to draw; the right button (or the eraser) rubs out.")
        self._last: QPointF | None = None

    def sizeHint(self) -> QSize:
        return QSize(196, 196)

    def image_rect(self) -> QRectF:
        image = self.owner.image
        h, w = (28, 28) if image is None else image.shape[1:]
        side = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - side * w) / 2, (self.height() - side * h) / 2,
                      side * w, side * h)

    def to_pixels(self, pos: QPointF) -> tuple[float, float]:
        rect, (h, w) = self.image_rect(), self.owner.image.shape[1:]
        return ((pos.y() - rect.top()) / rect.height() * h,
                (pos.x() - rect.left()) / rect.width() * w)

    def _dab(self, pos: QPointF, erase: bool) -> None:
        if self.owner.image is None:
            return
        # between two mouse positions, dabs half a pixel apart: a fast stroke stays a line
        start = self._last or pos
        rect = self.image_rect()
        step = max(rect.width() / self.owner.image.shape[2] / 2, 1.0)
        n = max(1, int(np.hypot(pos.x() - start.x(), pos.y() - start.y()) / step))
        for k in range(1, n + 1):
            p = start + (pos - start) * (k / n)
            self.owner.dab(*self.to_pixels(p), erase)
        self._last = pos
        self.update()
        self.stroked.emit()

    def mousePressEvent(self, event) -> None:
        self._last = None
        self._dab(event.position(), self._erasing(event))

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & (Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton):
            self._dab(event.position(), self._erasing(event))

    def mouseReleaseEvent(self, event) -> None:
        self._last = None
        self.owner.send_now()

    def _erasing(self, event) -> bool:
        return bool(event.buttons() & Qt.MouseButton.RightButton
                    or event.button() == Qt.MouseButton.RightButton) or self.owner.eraser

    def paintEvent(self, event) -> None:
        image = self.owner.image
        painter = QPainter(self)
        rect = self.image_rect()
        if image is not None:
            plane = image.mean(0)
            painter.drawImage(rect, to_qimage(plane, (self.owner.paper, self.owner.ink), "grey"))
        painter.setPen(QPen(self.palette().color(self.palette().ColorRole.Mid), 1))
        painter.drawRect(rect)
        painter.end()


class ProbePainter(QWidget):
    """Brush, eraser, size, Clear, Restore, the canvas and the prediction for probe ``index``.
    ``painted(index, image)`` asks for the image to be shown to the network."""

    painted = Signal(int, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.image: np.ndarray | None = None      # (C, H, W) being painted
        self.original: np.ndarray | None = None   # the test image it started from
        self.index = 0
        self.ink, self.paper = 1.0, 0.0
        self.class_names: list[str] = []
        self._dirty = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        tools = QHBoxLayout()
        tools.setSpacing(2)
        self.brush_button = self._tool("✎ Brush", "Draw with ink (the probe's brightest value).")
        self.eraser_button = self._tool("⌫ Eraser", "Rub out to paper (the probe's darkest "
                                                    "value). The right button erases too.")
        self.brush_button.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.brush_button)
        group.addButton(self.eraser_button)
        tools.addWidget(self.brush_button)
        tools.addWidget(self.eraser_button)
        self.size = QSlider(Qt.Orientation.Horizontal)
        self.size.setRange(2, 8)            # radius in half pixels
        self.size.setValue(3)
        self.size.setFixedWidth(60)
        self.size.setToolTip("Brush size")
        tools.addWidget(self.size)
        tools.addStretch(1)
        outer.addLayout(tools)
        self.canvas = PaintCanvas(self)
        self.canvas.stroked.connect(self._on_stroked)
        outer.addWidget(self.canvas, 1)
        outer.addStretch(0)
        buttons = QHBoxLayout()
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("A blank page (all paper) to draw on.")
        self.clear_button.clicked.connect(self.clear)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setToolTip("Bring back the test image.")
        self.restore_button.clicked.connect(self.restore)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.restore_button)
        outer.addLayout(buttons)
        self.prediction = QLabel("")
        self.prediction.setObjectName("painted_prediction")
        self.prediction.setWordWrap(True)
        font = self.prediction.font()
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.prediction.setFont(font)
        self.prediction.setTextFormat(Qt.TextFormat.RichText)
        self.prediction.setToolTip("The network's output for the painted image (the last layer "
                                   "on this probe), largest first.")
        outer.addWidget(self.prediction)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEND_MS)
        self._timer.timeout.connect(self.send_now)

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setToolTip(tip)
        return button

    @property
    def eraser(self) -> bool:
        return self.eraser_button.isChecked()

    # -- from the snapshots ----------------------------------------------------------------------
    def show_probe(self, snapshot, index: int, last_layer: str | None) -> None:
        """Follow the chosen probe: take its image when another probe is chosen (or on the first
        snapshot); always show the network's output for it."""
        probes = snapshot.probe_inputs
        if probes is None or not len(probes):
            return
        index = min(index, len(probes) - 1)
        if self.image is None or index != self.index or self.image.shape != probes.shape[1:]:
            self.index = index
            self.original = np.array(probes[index], np.float64)
            self.image = self.original.copy()
            self.paper, self.ink = float(self.original.min()), float(self.original.max())
            if self.ink <= self.paper:
                self.ink = self.paper + 1.0
            self.canvas.update()
        out = snapshot.probe_activations.get(last_layer) if last_layer else None
        self.prediction.setText(self._prediction_text(out, index))

    def _prediction_text(self, out, index: int) -> str:
        if out is None or out.ndim != 2 or index >= len(out):
            return ""
        values = out[index]
        order = np.argsort(values)[::-1][:TOP]
        names = self.class_names if len(self.class_names) == len(values) else \
            [str(k) for k in range(len(values))]
        probabilities = np.all(values >= 0) and abs(float(values.sum()) - 1.0) < 1e-3
        parts = [f"{names[k]} ({values[k] * 100:.0f}%)" if probabilities else
                 f"{names[k]} ({values[k]:.2f})" for k in order]
        return f"Network reads: <b>{parts[0]}</b>" + (
            f"<br><span>then {', '.join(parts[1:])}</span>" if len(parts) > 1 else "")

    # -- a new session --------------------------------------------------------------------------
    def painted_probe(self) -> tuple[int, np.ndarray] | None:
        """(probe index, image) when the probe differs from its test image, else None."""
        if self.image is None or self.original is None or np.array_equal(self.image,
                                                                          self.original):
            return None
        return self.index, self.image.copy()

    def carry(self, painted: tuple[int, np.ndarray] | None, trainer) -> str | None:
        """Put a ``painted_probe()`` image into a new session's ``trainer`` (not yet the
        worker's) and paint on from it; a message for the status bar when it cannot be kept."""
        if painted is None:
            return None
        index, image = painted
        probes = None if trainer is None else trainer.probe_inputs
        shape = "×".join(map(str, image.shape))
        if probes is None:
            return f"The painted probe image was dropped: the new data are not {shape} images."
        if probes.shape[1:] != image.shape:
            return (f"The painted probe image was dropped: it is {shape}, the network now takes "
                    f"{'×'.join(map(str, probes.shape[1:]))} images.")
        index = min(index, len(probes) - 1)
        original = np.array(probes[index], np.float64)
        if not hands.set_probe_image(trainer, index, image.astype(probes.dtype)):
            return "The painted probe image was dropped: it does not fit the new network."
        self.index, self.original, self.image = index, original, image
        self.paper, self.ink = float(original.min()), float(original.max())
        if self.ink <= self.paper:
            self.ink = self.paper + 1.0
        self.canvas.update()
        return None

    # -- painting --------------------------------------------------------------------------------
    def dab(self, y: float, x: float, erase: bool) -> None:
        stroke(self.image, y, x, self.size.value() / 2, self.ink, self.paper, erase)

    def _on_stroked(self) -> None:
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def send_now(self) -> None:
        """Send the painted image now (end of a stroke, Clear, Restore)."""
        self._timer.stop()
        if self.image is not None:
            self._dirty = False
            self.painted.emit(self.index, self.image.copy())

    def clear(self) -> None:
        if self.image is not None:
            self.image[...] = self.paper
            self.canvas.update()
            self.send_now()

    def restore(self) -> None:
        if self.original is not None:
            self.image = self.original.copy()
            self.canvas.update()
            self.send_now()
