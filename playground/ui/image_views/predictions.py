"""PredictionsView: test images with what the network predicts, and the confusion matrix."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from playground.engine.metrics import confusion_matrix, predicted_classes

from .cell_grid import BAR_H, CAPTION_H, GAP, TITLE_H, Cell, CellGrid
from .colours import image_planes
from .confusion import ConfusionMatrixWidget

WRONG, RIGHT = QColor(215, 48, 39), QColor(60, 160, 80)


def confidence(probabilities: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """The probability the network gives its own answer (one sigmoid output: p or 1 − p)."""
    probabilities = np.asarray(probabilities, np.float64).reshape(len(predicted), -1)
    if probabilities.shape[1] == 1:
        p = probabilities[:, 0]
        return np.where(predicted == 1, p, 1 - p)
    return probabilities[np.arange(len(predicted)), predicted]


class PredictionsView(QWidget):
    """A grid of test images, misclassified first (the most confident mistakes leading), each
    with the predicted class, its probability as a bar and a red frame when wrong; beside it the
    confusion matrix (rows true, columns predicted) with per-class accuracy. Fed by
    ``show_predictions(images, labels, probabilities, class_names)``; ``set_network`` clears it
    because old predictions no longer belong to the network. A click on an image emits
    ``image_chosen(index)`` with its index among the test images (Step through follows it)."""

    image_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        header.addWidget(QLabel("Images shown:"))
        self.count_spin = QSpinBox()
        self.count_spin.setRange(4, 200)
        self.count_spin.setValue(40)
        self.count_spin.valueChanged.connect(lambda _: self._draw_images())
        header.addWidget(self.count_spin)
        self.summary = QLabel()
        header.addWidget(self.summary, 1)
        outer.addLayout(header)
        body = QHBoxLayout()
        self.grid = CellGrid(min_cell=30, max_cell=70)
        self.grid.setToolTip("Test images, mistakes first. Caption: predicted class and its\n"
                             "softmax probability (the bar); red frame: wrong, with the true class.\n"
                             "While Step through is open (Ctrl+T), a click picks the image to follow.")
        self.grid.cell_clicked.connect(self._on_cell_clicked)
        self.confusion = ConfusionMatrixWidget()
        body.addWidget(self.grid, 3)
        body.addWidget(self.confusion, 2)
        outer.addLayout(body, 1)
        self.order = np.zeros(0, np.int64)
        self.shown = np.zeros(0, np.int64)      # the test image index of each cell drawn
        self.predicted = np.zeros(0, np.int64)
        self._data = None
        self._shape = (0, 0)

    def set_network(self, network=None) -> None:
        self._data = None
        self.shown = np.zeros(0, np.int64)
        self.grid.set_cells([])
        self.confusion.set_matrix(np.zeros((0, 0), np.int64), [])
        self.summary.setText("Predictions appear here while the network trains.")

    def show_predictions(self, images: np.ndarray, labels: np.ndarray, probabilities: np.ndarray,
                         class_names: list[str]) -> None:
        labels = np.asarray(labels).astype(np.int64).reshape(-1)
        probabilities = np.asarray(probabilities)
        self.predicted = predicted_classes(probabilities.reshape(len(labels), -1))
        conf = confidence(probabilities, self.predicted)
        wrong = self.predicted != labels
        # mistakes first, the most confident ones leading; then right answers, least sure first
        self.order = np.lexsort((np.where(wrong, -conf, conf), ~wrong))
        self._data = (images, labels, conf, list(class_names))
        matrix = confusion_matrix(probabilities.reshape(len(labels), -1), labels, len(class_names))
        self.confusion.set_matrix(matrix, list(class_names))
        n_wrong = int(wrong.sum())
        self.summary.setText(f"accuracy {100 * (1 - n_wrong / max(len(labels), 1)):.1f}% on "
                             f"{len(labels)} test images: {n_wrong} misclassified, shown first.")
        self._draw_images()

    def _draw_images(self) -> None:
        if self._data is None:
            return
        images, labels, conf, names = self._data
        shown = self.order[:self.count_spin.value()]
        planes, levels, cmap = image_planes(np.asarray(images)[shown])
        cells = []
        for plane, i in zip(planes, shown):
            right = self.predicted[i] == labels[i]
            cells.append(Cell(plane, levels, cmap, caption=f"{names[self.predicted[i]]} {100 * conf[i]:.0f}%",
                              title="" if right else f"true {names[labels[i]]}",
                              bar=float(conf[i]), bar_colour=RIGHT if right else WRONG,
                              border=None if right else WRONG,
                              tooltip=f"test image {i + 1}: true {names[labels[i]]}, predicted "
                                      f"{names[self.predicted[i]]} with p = {conf[i]:.3f}"))
        columns, rows = self._grid_shape(cells)
        self._shape = (columns, rows)
        self.shown = np.asarray(shown[:columns * rows])
        self.grid.set_cells(cells[:columns * rows], columns=columns)

    def _on_cell_clicked(self, cell: int) -> None:
        if 0 <= cell < len(self.shown):
            self.image_chosen.emit(int(self.shown[cell]))

    def _grid_shape(self, cells: list[Cell]) -> tuple[int, int]:
        """(columns, rows) of images that fit the grid with every caption and title whole: a
        cell is at least as wide as its longest text, and no row is pushed off the bottom."""
        metrics = QFontMetricsF(self.grid.small_font())
        texts = [t for c in cells for t in (c.title, c.caption) if t]
        cell = max([metrics.horizontalAdvance(t) + 2 for t in texts] + [self.grid.min_cell])
        width = max(self.grid.width() - 4, cell)
        columns = int(max(1, min(len(cells), 10, width // (cell + GAP))))
        pitch = cell + TITLE_H + CAPTION_H + BAR_H + 2 + GAP
        rows = int(max(1, self.grid.height() // pitch))
        return columns, rows

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._data is not None and self.grid.cells:
            QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        if self._data is not None and self._grid_shape(self.grid.cells) != self._shape:
            self._draw_images()
