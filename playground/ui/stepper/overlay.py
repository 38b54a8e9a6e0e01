"""The stepper on the network canvas: a halo around the current layer's block, and during the
backward, gradient and update steps the links into a dense layer coloured by that layer's gradient
(∂L/∂W, or ΔW = −η ∂L/∂W for the update), with a dot per neuron coloured by the step's focus
vector (y forward, δ backward).

Where the canvas draws no line per weight (dense layers wider than 16 units, convolutions), the
items of ``wide_links`` colour what can be coloured and ``legend(step)`` says what they show.

The overlay only adds its own items to the scene and hides the weight lines of the layer it
colours while it shows; ``clear()`` puts everything back. Colours are the canvas's own: blue above
zero, orange below, stronger and wider for larger magnitudes relative to the layer's largest.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem

from ..canvas import style
from ..canvas.items import BlockItem, _fonts, _palette
from .numbers import number
from .wide_links import (STRONGEST, FilterNormsItem, GradientHeatmapItem, StrongLinksItem,
                         filter_norms, strongest)

KIND_COLOURS = {"example": QColor(120, 128, 140), "forward": QColor(15, 157, 88),
                "loss": QColor(219, 50, 54), "backward": QColor(230, 120, 20),
                "gradient": QColor(230, 120, 20), "update": QColor(171, 71, 188)}
KIND_LABELS = {"example": "the example", "forward": "forward: z, y", "loss": "loss",
               "backward": "backward: δ", "gradient": "∂L/∂W = δ xᵀ", "update": "ΔW = −η ∂L/∂W"}


def signed_colour(value: float, peak: float, base: QColor) -> tuple[QColor, float]:
    """(colour, strength in 0..1) of ``value`` on ±peak, as the canvas's weight lines."""
    strength = min(abs(value) / peak, 1.0) if peak > 0 else 0.0
    hue = QColor(*(style.POSITIVE_RGB if value > 0 else style.NEGATIVE_RGB).astype(int))
    return style.mix(base, hue, 0.25 + 0.75 * strength), strength


class HaloItem(QGraphicsItem):
    """A coloured frame around one block with a label above its right corner."""

    def __init__(self, block: BlockItem, colour: QColor, label: str):
        super().__init__()
        self.block, self.colour, self.label = block, colour, label
        self.setZValue(40)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def _rect(self) -> QRectF:
        return self.block.mapRectToScene(QRectF(0, 0, style.BLOCK_WIDTH, self.block.height()))

    def boundingRect(self) -> QRectF:
        return self._rect().adjusted(-8, -24, 8, 8)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._rect().adjusted(-4, -4, 4, 4)
        painter.setPen(QPen(self.colour, 3.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, style.RADIUS + 3, style.RADIUS + 3)
        font = _fonts(self.block)[2]
        font.setBold(True)
        painter.setFont(font)
        width = painter.fontMetrics().horizontalAdvance(self.label) + 14
        tag = QRectF(rect.right() - width, rect.top() - 18, width, 17)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour)
        painter.drawRoundedRect(tag, 5, 5)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, self.label)


class GradientLinesItem(QGraphicsItem):
    """Lines from every node of ``source`` to every neuron of ``target``, coloured by ``matrix``
    (out, in) on its own levels ±max|v|; or, with ``nodes``, a dot on each of the target's
    neurons coloured by that vector (drawn over the blocks)."""

    def __init__(self, source: BlockItem, target: BlockItem, matrix: np.ndarray | None,
                 nodes: np.ndarray | None = None):
        super().__init__()
        self.source, self.target, self.matrix, self.nodes = source, target, matrix, nodes
        # lines over the weight lines (-2) and under the blocks; dots over the blocks
        self.setZValue(-1.5 if nodes is None else 41)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        top = self.source.mapToScene(QPointF(0, 0))
        bottom = self.target.mapToScene(QPointF(style.BLOCK_WIDTH, self.target.height()))
        return QRectF(top, bottom).normalized().adjusted(-8, -8, 8, 8)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = _palette(self.target).color(QPalette.ColorRole.Base)
        if self.matrix is not None and self.matrix.size:
            outs, ins = self.matrix.shape
            peak = float(np.max(np.abs(self.matrix)))
            order = np.argsort(np.abs(self.matrix), axis=None)   # the strongest on top
            for flat in order:
                j, i = divmod(int(flat), ins)
                colour, strength = signed_colour(self.matrix[j, i], peak, base)
                pen = QPen(colour, 0.6 + 4.4 * strength)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(pen)
                painter.drawLine(self.source.node_anchor(i, top=False),
                                 self.target.node_anchor(j, top=True))
        if self.nodes is not None and self.nodes.ndim == 1 and self.matrix is None:
            peak = float(np.max(np.abs(self.nodes))) if self.nodes.size else 0.0
            ring = _palette(self.target).color(QPalette.ColorRole.Text)
            for j, value in enumerate(self.nodes[:self.target.n_units]):
                colour, _ = signed_colour(value, peak, base)
                painter.setPen(QPen(ring, 1.0))
                painter.setBrush(colour)
                painter.drawEllipse(self.target.node_anchor(j, top=True), 5.0, 5.0)


class StepOverlay:
    """Shows one step on a ``NetworkScene``; ``gradients`` are the trace's "<id>.weight" arrays."""

    def __init__(self, scene):
        self.scene = scene
        self.items: list[QGraphicsItem] = []
        self.hidden: list[QGraphicsItem] = []
        self.gradients: dict[str, np.ndarray] = {}
        self.shown = None
        self._legend = ""       # what the wide-layer or conv items of the shown step mean

    def clear(self) -> None:
        for item in self.items:
            if item.scene() is self.scene:
                self.scene.removeItem(item)
        self.items = []
        for item in self.hidden:
            item.setVisible(True)
        self.hidden = []

    def colours_links(self, step) -> bool:
        """Whether ``show(step)`` colours the links into the step's layer (dense layers small
        enough to have weight lines on the canvas, during backward, gradient and update)."""
        return any(isinstance(item, GradientLinesItem) and item.matrix is not None
                   for item in self.items) and self.shown is step

    def legend(self, step) -> str:
        """Words for the panel on what the canvas shows of ``step`` beyond the dense lines
        (empty when nothing or only those)."""
        return self._legend if self.shown is step else ""

    def show(self, step) -> None:
        self.clear()
        self.shown, self._legend = step, ""
        block = self.scene.input_block if step.layer_id is None and step.kind == "example" \
            else self.scene.blocks.get(step.layer_id)
        if step.kind == "loss":
            ids = self.scene.document.layer_ids()
            block = self.scene.blocks.get(ids[-1]) if ids else None
        if block is not None:
            label = KIND_LABELS[step.kind] if step.kind != "backward" or "delta" in step.roles \
                else "backward: ∂L/∂x"
            halo = HaloItem(block, KIND_COLOURS[step.kind], label)
            self._add(halo)
            for view in self.scene.views():      # a tall network: scroll the block into view
                view.ensureVisible(halo.boundingRect(), 16, 16)
        lines = self.scene.weights.get(step.layer_id) if step.layer_id else None
        if step.kind in ("example", "loss") or not step.layer_id:
            return
        matrix = None
        if step.kind in ("backward", "gradient"):
            matrix = self.gradients.get(f"{step.layer_id}.weight")
        elif step.kind == "update":
            matrix = step.arrays.get(step.roles.get("dw", ""))
        focus = step.arrays.get(step.focus) if step.focus else None
        nodes = focus if focus is not None and focus.ndim == 1 else None
        if lines is None:
            self._without_lines(step, matrix, nodes)
            return
        if matrix is not None and matrix.shape != lines.weight.shape:
            matrix = None
        if matrix is not None:
            lines.setVisible(False)
            self.hidden.append(lines)
        if matrix is not None:
            self._add(GradientLinesItem(lines.source, lines.target, matrix))
        if nodes is not None:
            self._add(GradientLinesItem(lines.source, lines.target, None, nodes))

    # -- layers the canvas draws no weight lines for ---------------------------------------------
    def _without_lines(self, step, matrix, nodes) -> None:
        block = self.scene.blocks.get(step.layer_id)
        blocks = self.scene.ordered_blocks()
        if block is None or matrix is None or block not in blocks[1:]:
            return
        source = blocks[blocks.index(block) - 1]
        symbol = "ΔW" if step.kind == "update" else "∂L/∂W"
        if matrix.ndim == 2:
            self._wide_dense(step, source, block, matrix, nodes, symbol)
        elif matrix.ndim == 4:
            self._conv(step, source, block, matrix, symbol)

    def _wide_dense(self, step, source, block, matrix, nodes, symbol) -> None:
        outs, ins = matrix.shape
        marked = strongest(matrix, STRONGEST)
        small = symbol.replace("W", "w")
        names = [f"{block.layer_id}[{j + 1}] ← input {i + 1}: {small} = {number(matrix[j, i])}"
                 for j, i in (divmod(int(flat), ins) for flat in marked[::-1])]
        tip = (f"The {len(marked)} links into {block.layer_id} with the largest |{small}|:\n"
               + "\n".join(names))
        self._add(StrongLinksItem(source, block, matrix, marked, tip))
        heatmap = block.live_kind == "heatmap"
        if heatmap:
            self._add(GradientHeatmapItem(block, matrix, marked, f"{symbol} of every weight "
                                          f"into {block.layer_id}: row = neuron, column = "
                                          f"input\n" + tip))
        if nodes is not None and block.live_kind == "thumbs" and block.n_units == len(nodes):
            self._add(GradientLinesItem(source, block, None, nodes))
        places = []
        if source.node_count() != ins:
            places.append(f"input i sits at (i + ½)/{ins} of the width of "
                          f"{source.layer_id or 'the input'}")
        if not (block.live_kind == "thumbs" and block.n_units == outs):
            places.append(f"neuron j at (j + ½)/{outs} of the top of {block.layer_id}")
        self._legend = (
            f"On the canvas: {block.layer_id} has more weights than links can show "
            f"({outs} × {ins} = {outs * ins:,}). "
            + (f"Its heatmap shows {symbol} of every weight (row = neuron, column = input; blue "
               f"above 0, orange below, white 0). " if heatmap else "")
            + f"Drawn as links: the {len(marked)} with the largest |{small}|, from their input "
            f"to their neuron" + (f" ({'; '.join(places)})" if places else "")
            + (", a ring on each one's cell in the heatmap" if heatmap else "")
            + "; blue above 0, orange below, wider for larger |value|. Hover them for the numbers.")

    def _conv(self, step, source, block, matrix, symbol) -> None:
        norms = filter_norms(matrix)
        kernel = "×".join(map(str, matrix.shape[1:]))
        tip = (f"‖{symbol}_f‖ of each filter of {block.layer_id} (over its {kernel} weights):\n"
               + "\n".join(f"filter {f}: {number(v)}" for f, v in enumerate(norms)))
        self._add(FilterNormsItem(source, block, norms, tip))
        if block.live_kind == "channels":
            self._add(FilterNormsItem(source, block, norms, tip, frames=True))
        self._legend = (
            f"On the canvas: one link per filter into {block.layer_id} ({len(norms)} filters), "
            f"darker and wider for a larger ‖{symbol}_f‖, the length of the filter's {kernel} "
            f"{symbol} relative to the layer's largest ({number(float(norms.max()))})"
            + ("; the feature maps shown are framed in the same colours" if
               block.live_kind == "channels" else "") + ". Hover a link for every filter's number.")

    def _add(self, item: QGraphicsItem) -> None:
        self.scene.addItem(item)
        self.items.append(item)
