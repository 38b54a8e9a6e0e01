"""The "cross-correlation vs convolution" tab: the notes' kernels (section 3.1) on the probe image."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .cell_grid import Cell, CellGrid
from .colours import symmetric_levels
from .mechanics import NOTES_KERNELS, convolve, correlate

EXPLANATION = (
    "<b>Cross-correlation</b> slides the kernel as it is: out(x, y) = Σ<sub>i,j</sub> "
    "Image(x + i, y + j)·K(i, j). <b>Convolution</b> slides the flipped kernel: out(x, y) = "
    "Σ<sub>i,j</sub> Image(x − i, y − j)·K(i, j). Networks (and this app) use cross-correlation; "
    "learning would just find the flipped weights otherwise (notes 3.1).")


class CorrelationPanel(QWidget):
    """One of the notes' kernels (edge detection, blur, sharpen, identity, shift) applied to the
    probe image by cross-correlation and by true convolution, side by side, with the kernel and
    its 180° flip. Symmetric kernels give the same picture; edge and shift kernels do not."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Kernel:"))
        self.kernel_combo = QComboBox()
        self.kernel_combo.addItems(list(NOTES_KERNELS))
        self.kernel_combo.setToolTip("The kernels of notes section 3.1.")
        self.kernel_combo.currentIndexChanged.connect(lambda _: self.redraw())
        row.addWidget(self.kernel_combo)
        row.addStretch(1)
        layout.addLayout(row)
        self.grid = CellGrid(min_cell=50, max_cell=260)
        layout.addWidget(self.grid, 1)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.text)
        self.image: np.ndarray | None = None
        self.outputs: dict[str, np.ndarray] = {}

    def set_image(self, image: np.ndarray | None) -> None:
        """A (H, W) picture (the probe image's first channel)."""
        self.image = None if image is None else np.asarray(image, np.float64)
        self.redraw()

    def redraw(self) -> None:
        if self.image is None:
            self.grid.set_cells([])
            self.text.setText("Train or step an image network to get a probe image.")
            return
        name = self.kernel_combo.currentText()
        kernel = NOTES_KERNELS[name]
        self.outputs = {"cross-correlation": correlate(self.image, kernel),
                        "convolution": convolve(self.image, kernel)}
        out_levels = symmetric_levels(*self.outputs.values())
        k_levels = symmetric_levels(kernel)
        lo, hi = float(self.image.min()), float(self.image.max())
        cells = [Cell(kernel, k_levels, title="kernel K", numbers=True),
                 Cell(kernel[::-1, ::-1], k_levels, title="K flipped (180°)", numbers=True),
                 Cell(self.image, (lo, hi if hi > lo else lo + 1), "grey", title="probe image"),
                 Cell(self.outputs["cross-correlation"], out_levels,
                      title="cross-correlation with K", tooltip="What a conv2d layer computes."),
                 Cell(self.outputs["convolution"], out_levels, title="convolution with K",
                      tooltip="Cross-correlation with the flipped kernel.")]
        self.grid.set_cells(cells, columns=5)
        diff = float(np.max(np.abs(self.outputs["cross-correlation"] - self.outputs["convolution"])))
        same = ("the same picture: this kernel does not change when flipped" if diff < 1e-12 else
                f"they differ (largest difference {diff:.3g}): flipping this kernel changes it")
        self.text.setText(f"{EXPLANATION}<br><b>{name}</b>: {same}. Zero padding 1 keeps the size.")
