"""PoolingView: pooling windows, their maxima and max unpooling (notes 3.4.1, 3.4.2, figure 3.4)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox

from .base import HIGHLIGHT, ImageViewBase
from .cell_grid import Cell, CellGrid, ColorBar, pixel_rect
from .colours import symmetric_levels
from .layer_info import POOL_TYPES, LayerInfo, layer_input
from .mechanics import unpool_plane

ZOOM = 8  # numbers are written in the cells of an 8x8 region

TIPS = {
    "maxpool2d": "Max pooling (notes 3.4.1): each output is the largest value of its window;\n"
                 "the orange frame marks where it came from (the argmax, kept for unpooling).",
    "avgpool2d": "Average pooling: each output is the mean of its window.",
    "maxunpool2d": "Max unpooling (notes 3.4.2, figure 3.4): each pooled value goes back to the\n"
                   "position its maximum came from; every other position gets 0.",
}


class PoolingView(ImageViewBase):
    """For the selected pooling layer and probe image: the pool's input with its windows drawn
    and each window's maximum framed, the pooled map, and, when a maxunpool2d uses the pool, the
    unpooled map this view rebuilds from the stored argmax positions. A zoom shows an 8×8 region
    (around the strongest value, or where chosen) with the numbers written in the cells."""

    layer_label = "Pooling layer:"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.channel_spin = self._spin("Channel:", 0, "Which channel (feature map) to show.")
        self.zoom_check = QCheckBox("Zoom to 8×8")
        self.zoom_check.setChecked(True)
        self.zoom_check.setToolTip("Show an 8×8 region with every number written in its cell.")
        self.zoom_check.toggled.connect(lambda _: self.redraw())
        self.header.addStretch(1)
        # the zoom's controls on a row of their own: one row was wider than the dock at 1280x800
        self._zoom_row = QHBoxLayout()
        self._outer.insertLayout(1, self._zoom_row)
        self._zoom_row.addWidget(self.zoom_check)
        self.top_spin = self._spin("top", -1, "Top row of the region (auto: around the largest value).",
                                   self._zoom_row)
        self.left_spin = self._spin("left", -1, "Left column of the region (auto: around the largest value).",
                                    self._zoom_row)
        self._zoom_row.addStretch(1)
        self.grid = CellGrid(min_cell=60, max_cell=330)
        self._outer.insertWidget(3, self.grid, 1)
        self.colour_bar = ColorBar()
        self._outer.insertWidget(4, self.colour_bar)
        self.grid.hug()                     # the colour bar and the text right under the panels
        self._outer.addStretch(1)
        self.unpooled: np.ndarray | None = None
        self.region: tuple[int, int, int, int] = (0, 0, 0, 0)

    def _spin(self, label: str, minimum: int, tip: str, row=None) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(minimum, 0)
        if minimum < 0:
            spin.setSpecialValueText("auto")
        spin.setValue(minimum)
        spin.setToolTip(tip)
        spin.valueChanged.connect(lambda _: self.redraw())
        row = self.header if row is None else row
        row.addWidget(QLabel(label))
        row.addWidget(spin)
        return spin

    def accepts(self, info: LayerInfo) -> bool:
        return info.type in POOL_TYPES

    def _pool_and_unpool(self) -> tuple[LayerInfo, LayerInfo | None]:
        info = self.layer
        if info.type == "maxunpool2d":
            return self.info(info.pool_id), info
        unpool = next((i for i in self.layers if i.type == "maxunpool2d" and i.pool_id == info.id),
                      None)
        return info, unpool

    def structure_changed(self) -> None:
        info = self.layer
        if info is not None:
            self.channel_spin.setMaximum(info.out_shape[0] - 1)

    def redraw(self) -> None:
        waiting = self.waiting_text()
        self.unpooled = None
        if waiting:
            self.message.setText(waiting)
            self.grid.set_cells([])
            return
        pool, unpool = self._pool_and_unpool()
        p, ch = min(self.probe, len(self.snapshot.probe_inputs) - 1), self.channel_spin.value()
        source = layer_input(self.snapshot, pool)[p, ch]
        pooled = self.snapshot.probe_activations[pool.id][p, ch]
        argmax = self.snapshot.pool_argmax.get(pool.id)
        argmax = None if argmax is None else argmax[p, ch]
        planes = [source, pooled]
        if unpool is not None:
            values = layer_input(self.snapshot, unpool)[p, ch]
            self.unpooled = unpool_plane(values, argmax, source.shape)
            planes += [values, self.unpooled]
        levels = symmetric_levels(*planes)
        self._set_region(pool, source, argmax)
        cells = [self._input_cell(pool, source, argmax, levels),
                 self._pooled_cell(pool, pooled, levels)]
        if unpool is not None and unpool.input_id != pool.id:
            cells.append(self._values_cell(pool, unpool, planes[2], levels))
        if unpool is not None:
            cells.append(self._unpooled_cell(pool, unpool, argmax, levels))
        self.grid.set_cells(cells, columns=len(cells))
        self.colour_bar.set_levels(levels, "the same colours in every panel")
        (h, w), (f, _), (s, _) = source.shape, pool.kernel, pool.stride
        self.message.setText(
            f"{pool.id}: windows of {f}×{f}, stride {s}: output floor(({h} − {f})/{s}) + 1 = "
            f"{(h - f) // s + 1} rows, floor(({w} − {f})/{s}) + 1 = {(w - f) // s + 1} columns."
            + (f"  {unpool.id} puts the values back at the framed positions." if unpool else ""))

    # -- the region -------------------------------------------------------------------------------
    def _set_region(self, pool: LayerInfo, source: np.ndarray, argmax) -> None:
        """(top, left, rows, cols) of the input shown; snapped to the stride so windows stay whole."""
        h, w = source.shape
        s = pool.stride[0]
        for spin, size in ((self.top_spin, h), (self.left_spin, w)):
            spin.blockSignals(True)
            spin.setMaximum(max(0, size - ZOOM))
            spin.blockSignals(False)
        if not self.zoom_check.isChecked() or (h <= ZOOM and w <= ZOOM):
            self.region = (0, 0, h, w)
            return
        r, c = np.unravel_index(int(np.argmax(np.abs(source))), source.shape)
        top = self.top_spin.value() if self.top_spin.value() >= 0 else r - ZOOM // 2
        left = self.left_spin.value() if self.left_spin.value() >= 0 else c - ZOOM // 2
        top = int(np.clip(top, 0, max(0, h - ZOOM))) // s * s
        left = int(np.clip(left, 0, max(0, w - ZOOM))) // pool.stride[1] * pool.stride[1]
        self.region = (top, left, min(ZOOM, h - top), min(ZOOM, w - left))

    def _outputs_in_region(self, pool: LayerInfo, out_shape) -> tuple[slice, slice]:
        """The pooled outputs whose whole window lies in the region."""
        top, left, rows, cols = self.region
        (fh, fw), (sh, sw) = pool.kernel, pool.stride
        r0, c0 = -(-top // sh), -(-left // sw)
        r1 = min(out_shape[0], (top + rows - fh) // sh + 1)
        c1 = min(out_shape[1], (left + cols - fw) // sw + 1)
        return slice(r0, max(r0, r1)), slice(c0, max(c0, c1))

    def _crop(self, plane: np.ndarray) -> np.ndarray:
        top, left, rows, cols = self.region
        return plane[top:top + rows, left:left + cols]

    # -- cells --------------------------------------------------------------------------------------
    def _small(self, array: np.ndarray) -> bool:
        return array.shape[0] <= ZOOM and array.shape[1] <= ZOOM

    def _input_cell(self, pool, source, argmax, levels) -> Cell:
        crop = self._crop(source)
        rows, cols = self._outputs_in_region(pool, (argmax.shape if argmax is not None
                                                    else self.snapshot.probe_activations[pool.id].shape[2:]))
        top, left = self.region[:2]
        windows = [(r * pool.stride[0] - top, c * pool.stride[1] - left)
                   for r in range(rows.start, rows.stop) for c in range(cols.start, cols.stop)]
        marks = [] if argmax is None else [divmod(int(a), source.shape[1]) for a in
                                           argmax[rows, cols].reshape(-1)]
        marks = [(r - top, c - left) for r, c in marks]

        def overlay(painter: QPainter, rect: QRectF, cell: Cell) -> None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(40, 160, 60), 1.6))
            for r, c in windows:
                painter.drawRect(pixel_rect(rect, crop.shape, r, c, *pool.kernel))
            _frames(painter, rect, crop.shape, marks)
        return Cell(crop, levels, title=f"input of {pool.id} (rows {top}–{top + crop.shape[0] - 1}, "
                    f"cols {left}–{left + crop.shape[1] - 1})", numbers=self._small(crop),
                    overlay=overlay, tooltip=TIPS[pool.type] + "\nGreen squares: the windows.")

    def _pooled_cell(self, pool, pooled, levels) -> Cell:
        rows, cols = self._outputs_in_region(pool, pooled.shape)
        crop = pooled[rows, cols]
        kind = "max" if pool.type == "maxpool2d" else "mean"
        return Cell(crop, levels, title=f"{pool.id} output ({kind} of each window)",
                    numbers=self._small(crop), tooltip=TIPS[pool.type])

    def _values_cell(self, pool, unpool, values, levels) -> Cell:
        """What reaches the unpool when layers sit between it and its pool."""
        rows, cols = self._outputs_in_region(pool, values.shape)
        crop = values[rows, cols]
        return Cell(crop, levels, title=f"into {unpool.id}: {unpool.input_id}'s output",
                    numbers=self._small(crop),
                    tooltip=f"The values {unpool.id} places: the output of {unpool.input_id}, "
                            f"the same shape as {pool.id}'s output.")

    def _unpooled_cell(self, pool, unpool, argmax, levels) -> Cell:
        crop = self._crop(self.unpooled)
        top, left = self.region[:2]
        rows, cols = self._outputs_in_region(pool, argmax.shape)
        marks = [(r - top, c - left) for r, c in (divmod(int(a), self.unpooled.shape[1])
                                                  for a in argmax[rows, cols].reshape(-1))]
        source = "pooled map" if unpool.input_id == pool.id else f"{unpool.input_id}'s output"
        return Cell(crop, levels, title=f"{unpool.id}: {source} put back, 0 elsewhere",
                    numbers=self._small(crop), tooltip=TIPS["maxunpool2d"],
                    overlay=lambda painter, rect, cell: _frames(painter, rect, crop.shape, marks))


def _frames(painter: QPainter, rect: QRectF, shape, marks) -> None:
    """A frame around each (row, col) pixel: where a window's maximum is."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for r, c in marks:
        if 0 <= r < shape[0] and 0 <= c < shape[1]:
            # a frame just inside the pixel, so the number written in it stays readable
            inset = max(1.0, 0.08 * pixel_rect(rect, shape, r, c).width())
            frame = pixel_rect(rect, shape, r, c).adjusted(inset, inset, -inset, -inset)
            painter.setPen(QPen(QColor(0, 0, 0, 170), 3.2))
            painter.drawRoundedRect(frame, 3, 3)
            painter.setPen(QPen(HIGHLIGHT, 2.0))
            painter.drawRoundedRect(frame, 3, 3)
