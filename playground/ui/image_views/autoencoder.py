"""AutoencoderView: an autoencoder's reconstructions and bottleneck against PCA's (notes 4.1.2)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.engine.pca import PCA, fit_pca

from .cell_grid import Cell, CellGrid
from .colours import image_planes

#: ten distinguishable class colours (Tableau 10)
CLASS_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                 "#ff9da7", "#9c755f", "#bab0ac"]
NOTES = ("Notes 4.1.2: a single-hidden-layer autoencoder with linear activations and MSE loss, "
         "z = W<sup>[1]</sup>x + b<sup>[1]</sup>, x' = W<sup>[2]</sup>z + b<sup>[2]</sup>, with "
         "dim(z) &lt; dim(x), solves PCA without the orthogonality restriction on the weights: it "
         "learns the subspace PCA finds, so its error can approach PCA's but not beat it. "
         "Non-linear activations can do better.")
SHOWN = 10


def as_images(x: np.ndarray) -> np.ndarray | None:
    """(N, C, H, W) as is; flat (N, D) with D a square number as (N, 1, s, s); else None."""
    x = np.asarray(x)
    if x.ndim == 4:
        return x
    side = int(round(np.sqrt(x.shape[1]))) if x.ndim == 2 else 0
    return x.reshape(len(x), 1, side, side) if side and side * side == x.shape[1] else None


class ScatterPanel(pg.PlotWidget):
    """A 2-D scatter of codes coloured by class, with a legend; one ScatterPlotItem per class,
    made once and refilled every time (no item churn)."""

    def __init__(self, title: str, x_label: str, y_label: str, parent=None):
        super().__init__(parent)
        self.setTitle(title)
        self.setLabel("bottom", x_label)
        self.setLabel("left", y_label)
        self.legend = self.addLegend(offset=(-5, 5), labelTextSize="8pt")
        self.items: list[pg.ScatterPlotItem] = []
        self.setMinimumSize(220, 200)

    def set_points(self, points: np.ndarray, labels: np.ndarray, names: list[str]) -> None:
        if len(self.items) != len(names):
            for item in self.items:
                self.removeItem(item)
            self.legend.clear()
            self.items = [pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(
                CLASS_COLOURS[k % len(CLASS_COLOURS)]), name=name) for k, name in enumerate(names)]
            for item in self.items:
                self.addItem(item)
        for k, item in enumerate(self.items):
            mask = labels == k
            item.setData(points[mask, 0], points[mask, 1])

    def apply_palette(self, background: QColor, text: QColor) -> None:
        self.setBackground(background)
        self.legend.setLabelTextColor(text)
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.setPen(text)
            axis.setTextPen(text)
            axis.enableAutoSIPrefix(False)  # codes are plain numbers, not physical units
        self.getPlotItem().titleLabel.setText(self.getPlotItem().titleLabel.text, color=text)


class AutoencoderView(QWidget):
    """Originals, the autoencoder's reconstructions and PCA's with the same number of components
    (fitted here on the same data), both mean squared errors, and the bottleneck codes beside
    PCA's scores (first two dimensions), coloured by class. Fed by ``show_autoencoder``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.errors)
        self.grid = CellGrid(min_cell=28, max_cell=80)
        self.grid.setToolTip("Top: test inputs x. Middle: the autoencoder's output x'. Bottom: the\n"
                             "projection onto PCA's first k components (k = bottleneck size).")
        outer.addWidget(self.grid)
        plots = QHBoxLayout()
        self.code_plot = ScatterPanel("Bottleneck z (autoencoder)", "z₁", "z₂")
        self.pca_plot = ScatterPanel("PCA scores", "PC 1", "PC 2")
        self.code_plot.setToolTip("Each image's bottleneck code z (its first two units), coloured by\n"
                                  "its class: classes the code keeps apart form separate clouds.")
        self.pca_plot.setToolTip("Each image projected onto PCA's first two components,\n"
                                 "z = V_kᵀ(x − mean): the orthogonal directions of largest variance.")
        plots.addWidget(self.code_plot)
        plots.addWidget(self.pca_plot)
        outer.addLayout(plots, 1)
        self.notes = QLabel(NOTES)
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.notes)
        self.pca: PCA | None = None
        self.pca_reconstructions: np.ndarray | None = None
        self.autoencoder_mse = self.pca_mse = float("nan")
        self._apply_palette()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_grid()

    def _fit_grid(self) -> None:
        """The image rows take the height their cells need, the scatter plots the rest."""
        width = self.width() - 8
        self.grid.setFixedHeight(max(self.grid.height_for(width), 40))

    def changeEvent(self, event) -> None:
        if event.type() == event.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        background = self.palette().color(self.backgroundRole())
        text = self.palette().color(self.foregroundRole())
        for plot in (self.code_plot, self.pca_plot):
            plot.apply_palette(background, text)

    def set_network(self, network=None) -> None:
        """A new structure: the old codes and reconstructions no longer belong to it."""
        self.pca = self.pca_reconstructions = None
        self.grid.set_cells([])
        for plot in (self.code_plot, self.pca_plot):
            plot.set_points(np.zeros((0, 2)), np.zeros(0, np.int64), [])
        self.errors.setText("Train an autoencoder to compare it with PCA.")

    def show_autoencoder(self, x: np.ndarray, labels: np.ndarray, reconstructions: np.ndarray,
                         codes: np.ndarray, class_names: list[str] | None = None,
                         fit_x: np.ndarray | None = None) -> None:
        """``x`` are the test images the autoencoder reconstructed; PCA is fitted on ``fit_x``
        (the training images, as the autoencoder was) and judged on ``x`` like it. Fitted on the
        test images themselves, k components for k >= len(x) would rebuild them exactly."""
        x = np.asarray(x, np.float64)
        fit = x if fit_x is None else np.asarray(fit_x, np.float64)
        flat_codes = np.asarray(codes, np.float64).reshape(len(x), -1)
        k = flat_codes.shape[1]
        # PCA finds at most min(examples, values) components: a wide code is compared with that
        self.pca = fit_pca(fit, min(k, len(fit) - 1, int(np.prod(x.shape[1:]))))
        self.pca_reconstructions = self.pca.reconstruct(x)
        recon = np.asarray(reconstructions, np.float64).reshape(x.shape)
        self.autoencoder_mse = float(np.mean((recon - x) ** 2))
        self.pca_mse = float(np.mean((self.pca_reconstructions - x) ** 2))
        explained = 100 * float(self.pca.explained_variance_ratio.sum())
        self.errors.setText(
            f"Reconstruction error (MSE) with a {k}-unit bottleneck: <b>autoencoder "
            f"{self.autoencoder_mse:.5f}</b>, <b>PCA with {self.pca.n_components} components "
            f"{self.pca_mse:.5f}</b> "
            f"(fitted on {len(fit)} {'training' if fit_x is not None else 'test'} images, "
            f"they keep {explained:.1f}% of the variance).")
        labels = np.asarray(labels).astype(np.int64).reshape(-1)
        names = class_names or [str(c) for c in range(int(labels.max()) + 1 if len(labels) else 0)]
        self._draw_images(x, recon)
        self.code_plot.set_points(_two_columns(flat_codes, labels), labels, names)
        self.pca_plot.set_points(_two_columns(self.pca.transform(x), labels), labels, names)

    def _draw_images(self, x: np.ndarray, recon: np.ndarray) -> None:
        n = min(SHOWN, len(x))
        rows = [as_images(a[:n]) for a in (x, recon, self.pca_reconstructions)]
        if rows[0] is None:
            self.grid.set_cells([])
            return
        planes, _, cmap = image_planes(np.concatenate(rows))
        _, levels, _ = image_planes(rows[0])  # the originals' range: black and white mean the same
        cells = [Cell(p, levels, cmap) for p in planes]
        k = self.pca.n_components
        self.grid.set_cells(cells, columns=n, row_labels=["original", "autoencoder", f"PCA ({k})"])
        self._fit_grid()


def _two_columns(points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Two dimensions to plot: the first two, or for a single one the value against the class."""
    if points.shape[1] >= 2:
        return points[:, :2]
    return np.column_stack([points[:, 0], labels.astype(np.float64)])
