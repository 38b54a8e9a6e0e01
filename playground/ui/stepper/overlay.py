"""The stepper on the network canvas: a halo around the current layer's block, and during the
backward, gradient and update steps the links into a dense layer coloured by that layer's gradient
(∂L/∂W, or ΔW = −η ∂L/∂W for the update), with a dot per neuron coloured by the step's focus
vector (y forward, δ backward).

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

    def show(self, step) -> None:
        self.clear()
        self.shown = step
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
        if lines is None or step.kind in ("example", "loss"):
            return
        matrix = None
        if step.kind in ("backward", "gradient"):
            matrix = self.gradients.get(f"{step.layer_id}.weight")
        elif step.kind == "update":
            matrix = step.arrays.get(step.roles.get("dw", ""))
        focus = step.arrays.get(step.focus) if step.focus else None
        nodes = focus if focus is not None and focus.ndim == 1 else None
        if matrix is not None and matrix.shape != lines.weight.shape:
            matrix = None
        if matrix is not None:
            lines.setVisible(False)
            self.hidden.append(lines)
        if matrix is not None:
            self._add(GradientLinesItem(lines.source, lines.target, matrix))
        if nodes is not None:
            self._add(GradientLinesItem(lines.source, lines.target, None, nodes))

    def _add(self, item: QGraphicsItem) -> None:
        self.scene.addItem(item)
        self.items.append(item)
