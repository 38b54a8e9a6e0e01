"""The "sliding window" tab of ConvMechanicsView: one conv2d output computed in front of the student,
and how a conv_transpose2d spreads each input value as a scaled kernel (notes 3.1-3.3, 4.1.3)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSlider, QSpinBox, QVBoxLayout,
                               QWidget)

from playground.engine import Snapshot, activations

from .base import HIGHLIGHT
from .cell_grid import Cell, CellGrid, ColorBar, pixel_rect
from .colours import symmetric_levels
from .layer_info import LayerInfo, layer_input
from .mechanics import (conv_position, conv_size_text, conv_terms, padded, sum_text,
                        transposed_rebuild, transposed_size_text, transposed_spread)

PADDING_GREY = QColor(128, 128, 128, 170)


def _grey_border(painter: QPainter, rect: QRectF, shape, pad: tuple[int, int]) -> None:
    """Grey over the padding: the zeros added around the input (notes 3.2)."""
    (ph, pw), (h, w) = pad, shape
    for r0, c0, rows, cols in ((0, 0, ph, w), (h - ph, 0, ph, w), (ph, 0, h - 2 * ph, pw),
                               (ph, w - pw, h - 2 * ph, pw)):
        if rows > 0 and cols > 0:
            painter.fillRect(pixel_rect(rect, shape, r0, c0, rows, cols), PADDING_GREY)


def _frame(painter: QPainter, rect: QRectF, colour: QColor, width: float = 2.5,
           dashed: bool = False) -> None:
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(QColor(0, 0, 0, 150), width + 1.5))
    painter.drawRect(rect)
    pen = QPen(colour, width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawRect(rect)


def _check_text(mine: float, engine: float) -> str:
    ok = abs(mine - engine) <= 1e-4 * (1 + abs(engine))
    return (f"<span style='color:#2a9d3a'>✓ equals the engine's output {engine:.6g}</span>" if ok
            else f"<span style='color:#d03030'>✗ the engine says {engine:.6g}</span>")


class SlidingWindowPanel(QWidget):
    """Pick an output filter, an input channel to draw and a position (slider or Play); the
    panel draws the padded input with the kernel's window, the kernel and the output, and writes
    the sum out. For conv_transpose2d the slider picks an input value instead and the panel shows
    the scaled kernel it adds into the output. ``computed_value``/``engine_value`` (conv2d) and
    ``rebuild_error`` (transposed) hold what the text says, for tests and curious students."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        controls = QHBoxLayout()
        self.filter_spin, self.channel_spin = QSpinBox(), QSpinBox()
        for label, spin, tip in (("Filter:", self.filter_spin, "Which output filter (channel)."),
                                 ("Input channel:", self.channel_spin,
                                  "Which input channel to draw (the sum runs over all of them).")):
            controls.addWidget(QLabel(label))
            spin.setToolTip(tip)
            spin.valueChanged.connect(lambda _: self.redraw())
            controls.addWidget(spin)
        self.position_label = QLabel()
        self.position_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("output (888, 888)"))
        controls.addWidget(self.position_label)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("Move the window: each step moves it by the stride.")
        self.slider.valueChanged.connect(lambda _: self.redraw())
        controls.addWidget(self.slider, 1)
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Slide the window by itself, one position every 0.4 s.")
        self.play_button.toggled.connect(self._on_play_toggled)
        controls.addWidget(self.play_button)
        layout.addLayout(controls)
        self.grid = CellGrid(min_cell=60, max_cell=320)
        layout.addWidget(self.grid, 1)
        self.colour_bar = ColorBar()
        layout.addWidget(self.colour_bar)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumHeight(int(self.fontMetrics().lineSpacing() * 4.6))
        layout.addWidget(self.text)
        self.grid.hug()                     # the colour bar and the sums right under the panels
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(400)
        self.timer.timeout.connect(self._on_tick)
        self.info: LayerInfo | None = None
        self.snapshot: Snapshot | None = None
        self.probe = 0
        self.computed_value = self.engine_value = self.rebuild_error = None

    def set_layer(self, info: LayerInfo | None) -> None:
        self.info = info
        if info is None:
            return
        positions = info.in_shape[1:] if info.type == "conv_transpose2d" else info.out_shape[1:]
        for spin, top in ((self.filter_spin, info.out_shape[0]), (self.channel_spin, info.in_shape[0])):
            spin.blockSignals(True)
            spin.setRange(0, top - 1)
            spin.blockSignals(False)
        self.slider.blockSignals(True)
        self.slider.setRange(0, positions[0] * positions[1] - 1)
        # start in the middle: the edges of a digit are mostly zeros
        self.slider.setValue(positions[0] // 2 * positions[1] + positions[1] // 2)
        self.slider.blockSignals(False)

    def show_data(self, snapshot: Snapshot | None, probe: int) -> None:
        self.snapshot, self.probe = snapshot, probe
        self.redraw()

    def hideEvent(self, event) -> None:
        self.play_button.setChecked(False)  # never animate out of sight
        super().hideEvent(event)

    def _on_play_toggled(self, on: bool) -> None:
        self.play_button.setText("Pause" if on else "Play")
        self.timer.start() if on else self.timer.stop()

    def _on_tick(self) -> None:
        self.slider.setValue((self.slider.value() + 1) % (self.slider.maximum() + 1))

    # -- drawing ----------------------------------------------------------------------------------
    def redraw(self) -> None:
        self.computed_value = self.engine_value = self.rebuild_error = None
        info, snap = self.info, self.snapshot
        if info is None or snap is None or snap.probe_inputs is None \
                or f"{info.id}.weight" not in snap.weights:
            self.grid.set_cells([])
            self.text.setText("Choose a convolution layer and train or step the network.")
            return
        x = layer_input(snap, info)[min(self.probe, len(snap.probe_inputs) - 1)]
        weight = snap.weights[f"{info.id}.weight"].astype(np.float64)
        bias = snap.weights.get(f"{info.id}.bias")
        out = snap.probe_activations[info.id][min(self.probe, len(snap.probe_inputs) - 1)]
        if info.type == "conv2d":
            self._draw_conv(info, x, weight, bias, out)
        else:
            self._draw_transposed(info, x, weight, bias, out)

    def _draw_conv(self, info, x, weight, bias, out) -> None:
        f, c = self.filter_spin.value(), self.channel_spin.value()
        wo = info.out_shape[2]
        row, col = divmod(self.slider.value(), wo)
        (kh, kw), (sh, sw), pad = info.kernel, info.stride, info.padding
        z, g = conv_position(x, weight, bias, row, col, info.stride, pad, info.activation, info.alpha)
        self.computed_value, self.engine_value = float(g[f]), float(out[f, row, col])
        plane = padded(x, pad)[c]
        top, left = row * sh, col * sw
        under = plane[top:top + kh, left:left + kw]

        def window(painter: QPainter, rect: QRectF, cell: Cell) -> None:
            _grey_border(painter, rect, plane.shape, pad)
            if col > 0:  # where the window was one step before: the stride
                _frame(painter, pixel_rect(rect, plane.shape, top, left - sw, kh, kw),
                       QColor(200, 200, 200), 1.5, dashed=True)
            _frame(painter, pixel_rect(rect, plane.shape, top, left, kh, kw), HIGHLIGHT)

        def mark(painter: QPainter, rect: QRectF, cell: Cell) -> None:
            _frame(painter, pixel_rect(rect, out[f].shape, row, col), HIGHLIGHT)
        kernel = weight[f, c]
        in_levels = symmetric_levels(plane)
        cells = [Cell(plane, in_levels, title=f"input channel {c}, padded by {pad[0]} (grey)",
                      overlay=window, numbers=plane.size <= 100,
                      tooltip="Padding (notes 3.2): zeros around the input so the window can\n"
                              "reach the border. Orange: the window; dashed: one stride earlier."),
                 Cell(under, in_levels, title=f"x under the window ({kh}×{kw})", numbers=True,
                      tooltip="The input values the kernel is laid over at this position."),
                 Cell(kernel, symmetric_levels(kernel), title=f"kernel w[{f}, {c}]",
                      numbers=True, tooltip="The weights the window multiplies with:\n"
                                            "z = Σ w·x + b, summed over every input channel."),
                 Cell(out[f], symmetric_levels(out[f]),
                      title=f"output of filter {f} ({out.shape[1]}×{out.shape[2]})",
                      overlay=mark, numbers=out[f].size <= 100,
                      tooltip="The engine's output; the orange square is the value computed below.")]
        self.grid.set_cells(cells, columns=4)
        self.colour_bar.set_levels((-1, 1), "each panel: ±1 is its own largest |value|; white is 0")
        self.position_label.setText(f"output ({row}, {col})")
        self._write_conv_text(info, x, weight, bias, f, row, col, z[f])

    def _write_conv_text(self, info, x, weight, bias, f, row, col, z) -> None:
        w, v = conv_terms(x, weight, f, row, col, info.stride, info.padding)
        b = None if bias is None else float(bias[f])
        n, m = info.in_shape[1:], info.out_shape[1:]
        sizes = (f"rows {conv_size_text(n[0], info.padding[0], info.kernel[0], info.stride[0])}; "
                 f"columns {conv_size_text(n[1], info.padding[1], info.kernel[1], info.stride[1])}")
        channels = f" over {info.in_shape[0]} channels" if info.in_shape[0] > 1 else ""
        self.sum_text = sum_text(w, v, b, float(z))
        self.text.setText(
            f"<b>Output size</b> floor((n + 2p − f)/s) + 1: {sizes} (= {m[0]}×{m[1]}).<br>"
            f"<b>z[{f}, {row}, {col}]</b> = Σ w·x{channels} + b = {self.sum_text}<br>"
            f"<b>{info.activation}(z)</b> = {self.computed_value:.6g} "
            f"{_check_text(self.computed_value, self.engine_value)}")

    def _draw_transposed(self, info, x, weight, bias, out) -> None:
        f, c = self.filter_spin.value(), self.channel_spin.value()
        w_in = info.in_shape[2]
        i, j = divmod(self.slider.value(), w_in)
        (kh, kw), (sh, sw), (ph, pw) = info.kernel, info.stride, info.padding
        spread = transposed_spread(x, weight, c, i, j, info.stride)[f]
        z = transposed_rebuild(x, weight, bias, info.stride, info.padding, info.out_shape[1:])
        rebuilt = activations.forward(info.activation, z[None], info.alpha)[0]
        self.rebuild_error = float(np.max(np.abs(rebuilt - out)))
        kernel = weight[c, f]

        def pick(painter, rect, cell):
            _frame(painter, pixel_rect(rect, x[c].shape, i, j), HIGHLIGHT)

        def crop(painter, rect, cell):
            full = spread.shape
            _grey_border(painter, rect, full, (ph, pw))
            _frame(painter, pixel_rect(rect, full, i * sh, j * sw, kh, kw), HIGHLIGHT)
        def reach(painter, rect, cell):  # where this input's copy lands after the crop
            _frame(painter, pixel_rect(rect, out[f].shape, i * sh - ph, j * sw - pw, kh, kw),
                   HIGHLIGHT)
        cells = [Cell(x[c], symmetric_levels(x[c]), overlay=pick, numbers=x[c].size <= 64,
                      title=f"input channel {c}: x[{i}, {j}] = {x[c, i, j]:.3g}"),
                 Cell(kernel, symmetric_levels(kernel), title=f"kernel w[{c}, {f}] ({kh}×{kw})",
                      numbers=True),
                 Cell(spread, symmetric_levels(spread),
                      title=f"x[{i}, {j}]·kernel placed at ({i}·{sh}, {j}·{sw})",
                      overlay=crop, numbers=spread.size <= 100,
                      tooltip="Before cropping: the s(n−1)+f canvas; grey: the padding p that is\n"
                              "cut away from each side."),
                 Cell(out[f], symmetric_levels(out[f]), numbers=out[f].size <= 100,
                      title=f"output of filter {f}: all copies summed", overlay=reach)]
        self.grid.set_cells(cells, columns=4)
        self.colour_bar.set_levels((-1, 1), "each panel: ±1 is its own largest |value|; white is 0")
        self.position_label.setText(f"input ({i}, {j})")
        self._write_transposed_text(info, out)

    def _write_transposed_text(self, info: LayerInfo, out: np.ndarray) -> None:
        n = info.in_shape[1:]
        sizes = [transposed_size_text(n[k], info.stride[k], info.kernel[k], info.padding[k],
                                      info.output_padding[k]) for k in (0, 1)]
        ok = self.rebuild_error <= 1e-4 * (1 + float(np.max(np.abs(out))))
        self.text.setText(
            f"<b>Output size</b> s(n − 1) + f − 2p: rows {sizes[0]}; columns {sizes[1]}.<br>"
            f"Each input value adds a copy of the kernel scaled by it, the copies "
            f"{info.stride[0]} apart (the stride); overlaps add up, the padding is cropped, then "
            f"the bias and {info.activation}.<br>Rebuilding the whole output this way: largest "
            f"difference from the engine {self.rebuild_error:.2g} "
            + ("<span style='color:#2a9d3a'>✓</span>" if ok else "<span style='color:#d03030'>✗</span>"))
