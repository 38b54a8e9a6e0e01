"""ConfusionMatrixWidget: counts of (true class, predicted class) pairs and per-class accuracy."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from .colours import colour_of, text_colour_on


class ConfusionMatrixWidget(QWidget):
    """Rows: the true class, columns: the predicted class; each cell holds how many test images
    fall in it, coloured by that count's share of its row (so each row reads as "where did the
    images of this class go"). The diagonal is right; a last column gives each class's accuracy."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.matrix = np.zeros((0, 0), np.int64)
        self.class_names: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("Confusion matrix: row = true class, column = predicted class, cell = how\n"
                        "many test images. The diagonal counts the right answers; a bright cell\n"
                        "off the diagonal is a pair of classes the network mixes up.\n"
                        "acc: per-class accuracy = diagonal / row total.")

    def set_matrix(self, matrix: np.ndarray, class_names: list[str]) -> None:
        self.matrix, self.class_names = np.asarray(matrix), list(class_names)
        self.update()

    @property
    def per_class_accuracy(self) -> np.ndarray:
        totals = self.matrix.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, np.diag(self.matrix) / np.maximum(totals, 1), np.nan)

    def sizeHint(self) -> QSize:
        return QSize(360, 320)

    def paintEvent(self, event) -> None:
        k = len(self.matrix)
        if k == 0:
            return
        painter = QPainter(self)
        text = self.palette().color(self.foregroundRole())
        label_w = min(90, 10 + max(self.fontMetrics().horizontalAdvance(n) for n in self.class_names))
        left, top = label_w + 18, 34
        size = max(8.0, min((self.width() - left - 50) / (k + 1.2), (self.height() - top - 8) / k))
        painter.setPen(text)
        painter.drawText(QRectF(left, 0, size * k, 16), Qt.AlignmentFlag.AlignCenter, "predicted class")
        painter.save()
        painter.translate(10, top + size * k / 2)
        painter.rotate(-90)
        painter.drawText(QRectF(-size * k / 2, -8, size * k, 16), Qt.AlignmentFlag.AlignCenter, "true class")
        painter.restore()
        rows = np.maximum(self.matrix.sum(axis=1, keepdims=True), 1)
        share = self.matrix / rows
        for i in range(k):
            painter.setPen(text)
            painter.drawText(QRectF(left + i * size, 17, size, 16), Qt.AlignmentFlag.AlignCenter,
                             self.class_names[i][:6])
            painter.drawText(QRectF(18, top + i * size, label_w - 4, size),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.class_names[i])
            for j in range(k):
                self._paint_count(painter, QRectF(left + j * size, top + i * size, size, size),
                                  int(self.matrix[i, j]), float(share[i, j]), i == j)
        self._paint_accuracy(painter, left + k * size + 6, top, size, text)
        painter.end()

    def _paint_count(self, painter: QPainter, rect: QRectF, count: int, share: float,
                     diagonal: bool) -> None:
        colour = colour_of(share, (0.0, 1.0), "counts")
        painter.fillRect(rect, colour)
        painter.setPen(QColor(128, 128, 128))
        painter.drawRect(rect)
        if rect.width() >= 14 and count:
            painter.setPen(text_colour_on(colour))
            font = painter.font()
            font.setBold(diagonal)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
            font.setBold(False)
            painter.setFont(font)

    def _paint_accuracy(self, painter: QPainter, x: float, top: float, size: float, text) -> None:
        painter.setPen(text)
        painter.drawText(QRectF(x, 17, 48, 16), Qt.AlignmentFlag.AlignLeft, "acc")
        for i, acc in enumerate(self.per_class_accuracy):
            label = "–" if np.isnan(acc) else f"{100 * acc:.0f}%"
            painter.drawText(QRectF(x, top + i * size, 48, size),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
