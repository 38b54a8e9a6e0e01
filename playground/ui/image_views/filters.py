"""FiltersView: every kernel of a convolution layer and its gradient (notes 3.1 and 3.5)."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel

from .base import ImageViewBase
from .cell_grid import Cell, CellGrid, ColorBar
from .colours import nice_ceiling
from .filter_hands import FilterHandsBar
from .layer_info import CONV_TYPES, LayerInfo

MAX_ROWS, MAX_COLUMNS = 32, 16


def parameter_text(info: LayerInfo) -> str:
    """The notes' parameter count filled in: '(5×5×1 + 1)×6 = 156 parameters'."""
    kh, kw = info.kernel
    chans = info.in_shape[0]
    filters = info.out_shape[0]
    bias = 1 if info.bias else 0
    total = (kh * kw * chans + bias) * filters
    return f"({kh}×{kw}×{chans}{' + 1' if bias else ''})×{filters} = {total} parameters"


class FiltersView(ImageViewBase):
    """The kernels of the selected conv2d or conv_transpose2d layer: one row per output filter,
    one column per input channel, with the gradient of the loss for each beside it. Weights use
    a fixed symmetric blue-white-red scale that only widens (so a colour keeps its value from
    frame to frame); the gradient's scale is rounded to 1, 2, 2.5 or 5 × 10^k each frame.
    """

    layer_label = "Convolution layer:"

    def __init__(self, parent=None):
        super().__init__(parent, probe_strip=False)
        self.header.addStretch(1)
        body = QGridLayout()
        self.weight_title = QLabel("<b>Kernels</b> (rows: filters, columns: input channels)")
        self.gradient_title = QLabel("<b>Gradient</b> ∂L/∂w of the last batch")
        self.weight_grid = CellGrid(min_cell=14, max_cell=90)
        self.gradient_grid = CellGrid(min_cell=14, max_cell=90)
        self.weight_bar, self.gradient_bar = ColorBar(), ColorBar()
        self.gradient_grid.setToolTip(
            "∂L/∂w: how the loss changes when a weight grows. Gradient descent moves each\n"
            "weight against it: w ← w − η ∂L/∂w (red cells shrink, blue cells grow).")
        for col, widgets in enumerate(((self.weight_title, self.weight_grid, self.weight_bar),
                                       (self.gradient_title, self.gradient_grid, self.gradient_bar))):
            for row, widget in enumerate(widgets):
                body.addWidget(widget, row, col)
        body.setRowStretch(1, 1)
        self._outer.insertLayout(1, body, 1)
        self.hands_bar = FilterHandsBar(self)       # a notes' kernel into a filter, Freeze
        self._outer.insertWidget(2, self.hands_bar)
        self.weight_grid.cell_clicked.connect(
            lambda i: self.hands_bar.choose_filter(i // max(self.weight_grid.columns, 1)))
        self.weight_levels = (-1.0, 1.0)
        self.gradient_levels = (-1.0, 1.0)

    def accepts(self, info: LayerInfo) -> bool:
        return info.type in CONV_TYPES

    def structure_changed(self) -> None:
        self.weight_levels = (0.0, 0.0)  # the next frame sets a fresh scale

    def _kernels(self, store: dict) -> np.ndarray | None:
        """(filters, input channels, kh, kw), whatever the layer's storage order."""
        weight = store.get(f"{self.layer_id}.weight")
        if weight is None:
            return None
        # conv_transpose2d keeps (in, out, kh, kw) as PyTorch: rows should still be filters
        return weight.transpose(1, 0, 2, 3) if self.layer.type == "conv_transpose2d" else weight

    def redraw(self) -> None:
        self.hands_bar.refresh()
        waiting = self.waiting_text() if self.layer is None or self.snapshot is None else None
        kernels = None if waiting or self.snapshot is None else self._kernels(self.snapshot.weights)
        if kernels is None:
            self.message.setText(waiting or "No weights for this layer yet.")
            self.weight_grid.set_cells([])
            self.gradient_grid.set_cells([])
            return
        grads = self._kernels(self.snapshot.gradients)
        grads = np.zeros_like(kernels) if grads is None else grads
        shown = kernels[:MAX_ROWS, :MAX_COLUMNS]
        m = nice_ceiling(float(np.abs(kernels).max()))
        self.weight_levels = (-max(m, self.weight_levels[1]), max(m, self.weight_levels[1]))
        g = nice_ceiling(float(np.abs(grads).max()))
        self.gradient_levels = (-g, g)
        bias = self.snapshot.weights.get(f"{self.layer_id}.bias")
        rows = [f"f{f}" + (f" b={bias[f]:+.2f}" if bias is not None else "")
                for f in range(len(shown))]
        columns = [f"in {c}" for c in range(shown.shape[1])]
        self._fill(self.weight_grid, shown, self.weight_levels, rows, columns, "w")
        self._fill(self.gradient_grid, grads[:MAX_ROWS, :MAX_COLUMNS], self.gradient_levels,
                   [f"f{f}" for f in range(len(shown))], columns, "∂L/∂w")
        self.weight_bar.set_levels(self.weight_levels, "weight (fixed scale)")
        self.gradient_bar.set_levels(self.gradient_levels, "gradient")
        cut = "" if shown.shape == kernels.shape else \
            f" Showing the first {shown.shape[0]} filters × {shown.shape[1]} channels."
        self.message.setText(f"{self.layer_id}: {kernels.shape[0]} filters of {kernels.shape[2]}×"
                             f"{kernels.shape[3]}×{kernels.shape[1]}: {parameter_text(self.layer)}."
                             + cut)
        self.weight_grid.setToolTip(self._tooltip())

    def _fill(self, grid: CellGrid, arrays: np.ndarray, levels, rows, columns, name: str) -> None:
        cells = [Cell(arrays[f, c], levels, numbers=arrays.shape[2] * arrays.shape[3] <= 25,
                      tooltip=f"{name}[filter {f}, channel {c}]: min {arrays[f, c].min():.3g}, "
                              f"max {arrays[f, c].max():.3g}")
                 for f in range(arrays.shape[0]) for c in range(arrays.shape[1])]
        grid.set_cells(cells, columns=arrays.shape[1], row_labels=rows, column_labels=columns)

    def _tooltip(self) -> str:
        return ("Kernels (notes 3.1, 3.5): each filter has one f×f kernel per input channel;\n"
                "it is slid over the input and the channels' sums are added, plus one bias.\n"
                f"Parameters: (f·f·n' + 1)·filters = {parameter_text(self.layer)}.\n"
                "Blue negative, white zero, red positive; the scale is fixed so colours are\n"
                "comparable between frames.")
