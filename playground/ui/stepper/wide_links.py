"""The stepper's gradient colours where the canvas draws no line per weight (issue 11 section 2).

A dense layer wider than the canvas's line limit (16 units) shows its weights as a heatmap, rows
the neurons and columns the inputs. During backward, gradient and update steps:

- ``GradientHeatmapItem`` paints ∂L/∂W (or ΔW) over that heatmap, pixel for pixel, on its own
  levels ±max|v| (white = 0, blue above, orange below: the canvas's colours);
- ``StrongLinksItem`` draws the ``STRONGEST`` links with the largest |value|, each from its input
  to its neuron: a node or thumbnail where the block draws one, else input i of n at (i + ½)/n
  of the width along the bottom of the block above, neuron j of m at (j + ½)/m along the top of
  this one; a ring marks each link's own cell in the heatmap.

A convolution has one kernel per filter: ``FilterNormsItem`` draws one link per filter from the
block above, darker and wider for a larger ‖∂L/∂W_f‖ (the norm of the filter's C×k×k gradient)
relative to the layer's largest, and frames the feature maps the block shows in the same colour.
Hovering a link gives its numbers.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem

from ..canvas import style
from ..canvas.items import BlockItem, _palette
from ..canvas.weight_edit import heatmap_rect

STRONGEST = 12          #: links drawn for a wide dense layer


def column_x(block: BlockItem, index: int, count: int) -> float:
    """The x (block coordinates) of column ``index`` of ``count`` across the heatmap's width."""
    rect = heatmap_rect(block)
    return rect.left() + (index + 0.5) / max(count, 1) * rect.width()


def strongest(matrix: np.ndarray, count: int = STRONGEST) -> np.ndarray:
    """Flat indices of the ``count`` entries with the largest |value|, weakest first (so the
    strongest is drawn on top); ties keep the lower index."""
    flat = np.abs(np.ravel(matrix))
    count = min(count, flat.size)
    if count == 0:
        return np.zeros(0, np.int64)
    order = np.argsort(-flat, kind="stable")[:count]
    return order[::-1].copy()


def signed(value: float, peak: float, base: QColor) -> tuple[QColor, float]:
    strength = min(abs(value) / peak, 1.0) if peak > 0 else 0.0
    hue = QColor(*(style.POSITIVE_RGB if value > 0 else style.NEGATIVE_RGB).astype(int))
    return style.mix(base, hue, 0.25 + 0.75 * strength), strength


def magnitude_colour(strength: float, palette: QPalette) -> QColor:
    """A norm (never negative) on the theme's text colour: from faint to full text colour."""
    return style.mix(palette.color(QPalette.ColorRole.Base),
                     palette.color(QPalette.ColorRole.Text), 0.18 + 0.82 * strength)


def _image(matrix: np.ndarray) -> style.ImageBuffer:
    outs, ins = matrix.shape
    buffer = style.ImageBuffer(ins, outs)
    peak = float(np.max(np.abs(matrix))) if matrix.size else 0.0
    style.colour_map_into(np.asarray(matrix, np.float32), 1.0 / peak if peak > 0 else 1.0, 0.0,
                          buffer.words)
    return buffer


class GradientHeatmapItem(QGraphicsItem):
    """∂L/∂W (out, in) over a dense block's weight heatmap, with rings on ``marked`` cells."""

    def __init__(self, block: BlockItem, matrix: np.ndarray, marked: np.ndarray, tip: str):
        super().__init__()
        self.block, self.matrix, self.marked = block, matrix, marked
        self.buffer = _image(matrix)
        self.setZValue(41)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(tip)

    def rect(self) -> QRectF:
        return self.block.mapRectToScene(heatmap_rect(self.block))

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-6, -6, 6, 6)

    def cell(self, flat: int) -> QRectF:
        outs, ins = self.matrix.shape
        j, i = divmod(int(flat), ins)
        rect = self.rect()
        w, h = rect.width() / ins, rect.height() / outs
        return QRectF(rect.left() + i * w, rect.top() + j * h, w, h)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        rect = self.rect()
        painter.drawImage(rect, self.buffer.image)
        palette = _palette(self.block)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(style.muted_text(palette), 0.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        ring = QPen(palette.color(QPalette.ColorRole.Text), 1.4)
        painter.setPen(ring)
        for flat in self.marked:
            c = self.cell(flat).center()
            painter.drawEllipse(c, 3.5, 3.5)


class StrongLinksItem(QGraphicsItem):
    """The ``marked`` (flat indices of ``matrix``, weakest first) links from ``source`` into
    ``target``, coloured and widened by their value on ±max|matrix|."""

    def __init__(self, source: BlockItem, target: BlockItem, matrix: np.ndarray,
                 marked: np.ndarray, tip: str):
        super().__init__()
        self.source, self.target, self.matrix, self.marked = source, target, matrix, marked
        self.setZValue(-1.5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(tip)

    def start(self, i: int) -> QPointF:
        ins = self.matrix.shape[1]
        if self.source.node_count() == ins:
            return self.source.node_anchor(i, top=False)
        return self.source.mapToScene(QPointF(column_x(self.source, i, ins), self.source.height()))

    def end(self, j: int, i: int) -> QPointF:
        outs, ins = self.matrix.shape
        t = self.target
        if t.live_kind == "thumbs" and t.n_units == outs:
            return t.node_anchor(j, top=True)
        return t.mapToScene(QPointF(column_x(t, j, outs), 0))

    def lines(self) -> list[tuple[int, QPointF, QPointF]]:
        ins = self.matrix.shape[1]
        out = []
        for flat in self.marked:
            j, i = divmod(int(flat), ins)
            out.append((int(flat), self.start(i), self.end(j, i)))
        return out

    def boundingRect(self) -> QRectF:
        rect = QRectF()
        for _, a, b in self.lines():
            rect = rect.united(QRectF(a, b).normalized())
        return rect.adjusted(-6, -6, 6, 6)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        for _, a, b in self.lines():
            path.moveTo(a)
            path.lineTo(b)
        stroker = QPainterPathStroker()
        stroker.setWidth(8)
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = _palette(self.target).color(QPalette.ColorRole.Base)
        peak = float(np.max(np.abs(self.matrix))) if self.matrix.size else 0.0
        flat_values = np.ravel(self.matrix)
        for flat, a, b in self.lines():
            colour, strength = signed(flat_values[flat], peak, base)
            pen = QPen(colour, 0.8 + 4.2 * strength)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(a, b)


def filter_norms(matrix: np.ndarray) -> np.ndarray:
    """‖W_f‖₂ of every filter f of a (F, C, kh, kw) array (over every axis but the first)."""
    return np.sqrt(np.sum(np.reshape(matrix, (matrix.shape[0], -1)) ** 2, axis=1))


class FilterNormsItem(QGraphicsItem):
    """One link per filter from ``source`` into the conv ``target``, by ``norms``; with
    ``frames`` the same colours frame the feature maps the block shows (drawn over it)."""

    def __init__(self, source: BlockItem, target: BlockItem, norms: np.ndarray, tip: str,
                 frames: bool = False):
        super().__init__()
        self.source, self.target, self.norms, self.frames = source, target, norms, frames
        self.setZValue(41 if frames else -1.5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(tip)

    def strength(self, f: int) -> float:
        peak = float(np.max(self.norms)) if self.norms.size else 0.0
        return float(self.norms[f] / peak) if peak > 0 else 0.0

    def shown(self) -> int:
        """How many filters the block draws a feature map of (the rest share its "+N")."""
        t = self.target
        return min(t.n_units, len(self.norms)) if t.live_kind == "channels" else 0

    def end(self, f: int) -> QPointF:
        t, shown = self.target, self.shown()
        if shown:
            slot = f if f < shown else t.n_units        # the "+N" place
            return t.mapToScene(QPointF(t.thumb_rect(slot).center().x(), 0))
        return t.mapToScene(QPointF(column_x(t, f, len(self.norms)), 0))

    def start(self) -> QPointF:
        return self.source.mapToScene(QPointF(style.BLOCK_WIDTH / 2, self.source.height()))

    def frame_rects(self) -> list[QRectF]:
        return [self.target.mapRectToScene(self.target.thumb_rect(f).adjusted(-2, -2, 2, 2))
                for f in range(self.shown())]

    def boundingRect(self) -> QRectF:
        if self.frames:
            rect = QRectF()
            for r in self.frame_rects():
                rect = rect.united(r)
            return rect.adjusted(-4, -4, 4, 4)
        a = self.start()
        rect = QRectF(a, a)
        for f in range(len(self.norms)):
            rect = rect.united(QRectF(a, self.end(f)).normalized())
        return rect.adjusted(-6, -6, 6, 6)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.frames:
            for r in self.frame_rects():
                path.addRect(r.adjusted(-3, -3, 3, 3))
            return path
        a = self.start()
        for f in range(len(self.norms)):
            path.moveTo(a)
            path.lineTo(self.end(f))
        stroker = QPainterPathStroker()
        stroker.setWidth(8)
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = _palette(self.target)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.frames:
            for f, rect in enumerate(self.frame_rects()):
                s = self.strength(f)
                painter.setPen(QPen(magnitude_colour(s, palette), 1.0 + 2.5 * s))
                painter.drawRoundedRect(rect, 2, 2)
            return
        a = self.start()
        for f in np.argsort(self.norms, kind="stable"):      # the strongest on top
            s = self.strength(int(f))
            pen = QPen(magnitude_colour(s, palette), 0.8 + 4.2 * s)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(a, self.end(int(f)))
