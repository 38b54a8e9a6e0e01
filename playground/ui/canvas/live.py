"""The live view on 2-D data: input feature maps, neuron maps, weight lines and weight heatmaps,
and the neuron popup.

Everything here reuses its items and image buffers from frame to frame: a new snapshot rewrites
pixels in place and calls ``update()``; items are created only when the network's structure changes.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem

from . import style
from .describe import ACTIVATION_TEXT
from .items import BlockItem, _fonts, _palette

#: dense layers up to this many units show one thumbnail per neuron and weight lines
MAX_LINE_UNITS = 16
POPUP_WIDTH = 300.0
POPUP_MAP = 150.0


def fill_unit_maps(buffer: style.ImageBuffer, maps: np.ndarray, activation: str) -> None:
    """Write (units, R, R) maps into ``buffer`` (R wide, units*R tall): unit k's map is the square
    at rows k*R..(k+1)*R, so the maps land in the buffer as they lie in memory, no transpose."""
    units, r, _ = maps.shape
    scale, offset = style.colour_levels(maps, activation)
    style.colour_map_into(maps, scale, offset, buffer.words.reshape(units, r, r))


def fill_feature_maps(buffer: style.ImageBuffer, maps: np.ndarray) -> None:
    """Input features (features, R, R), each on its own symmetric levels ±max|x| (as TensorFlow
    Playground: X1 runs orange to blue across the plane, X1² is white in the middle)."""
    units, r, _ = maps.shape
    words = buffer.words.reshape(units, r, r)
    for k in range(units):
        scale, offset = style.colour_levels(maps[k], "identity")
        style.colour_map_into(maps[k], scale, offset, words[k])


def fill_channel_maps(buffer: style.ImageBuffer, maps: np.ndarray, peak: float) -> None:
    """Feature maps (C, H, W) of one probe image into ``buffer`` (W wide, C·H tall), on the
    layer's symmetric levels ±peak so white is exactly 0 and channels compare by colour."""
    c, h, w = maps.shape
    scale = 1.0 / peak if peak > 0 else 1.0
    style.colour_map_into(maps, scale, 0.0, buffer.words.reshape(c, h, w))


def fill_grey_image(buffer: style.ImageBuffer, image: np.ndarray) -> None:
    """One probe image (H, W) in grey, darkest value black and brightest white (the data are
    standardised, so their own range is the only sensible one)."""
    low, high = float(image.min()), float(image.max())
    span = high - low if high > low else 1.0
    grey = ((image - low) * (255.0 / span)).astype(np.uint32)
    buffer.words[...] = 0xFF000000 | grey << 16 | grey << 8 | grey


def fill_heatmap(buffer: style.ImageBuffer, weight: np.ndarray) -> None:
    """A weight matrix (out, in) as pixels, symmetric levels ±max|w| so white is exactly 0."""
    scale, offset = style.colour_levels(weight, "identity")
    style.colour_map_into(weight, scale, offset, buffer.words)


def neuron_formula(name: str, activation: str, weight_row: np.ndarray, bias: float | None,
                   input_names: list[str], max_terms: int = 8) -> str:
    """'dense2[3] = tanh(0.83·x1 − 1.20·x2 + 0.05)' with the current weights."""
    terms = []
    for k, (w, x) in enumerate(zip(weight_row, input_names)):
        if k == max_terms:
            terms.append(f"+ … ({len(input_names) - max_terms} more)")
            break
        sign = "−" if w < 0 else "+"
        if not terms:
            terms.append(f"{'−' if w < 0 else ''}{abs(w):.2f}·{x}")
        else:
            terms.append(f"{sign} {abs(w):.2f}·{x}")
    if bias is not None:
        terms.append(f"{'−' if bias < 0 else '+'} {abs(bias):.2f}")
    body = " ".join(terms)
    if activation == "identity":
        return f"{name} = {body}"
    return f"{name} = {ACTIVATION_TEXT.get(activation, activation)}({body})"


class WeightsItem(QGraphicsItem):
    """Lines from every node of one block to every neuron of the next: blue for positive weights,
    orange for negative, thicker and stronger for larger magnitudes (as TensorFlow Playground).

    Drawing is the live view's hot spot (88 lines for a 2-8-8-1 network, 30 times a second), so
    the lines are built once per layout as QLineF, grouped each frame by pen (sign x one of
    ``LEVELS + 1`` strengths) and drawn with one ``drawLines`` per pen, weakest first so strong
    weights lie on top. The pens are opaque, pre-mixed with the canvas colour: Qt's raster engine
    blends translucent antialiased strokes about 15x slower than opaque ones.
    """

    LEVELS = 8   # strength steps; |w| >= 2 is drawn at full width

    def __init__(self, source: BlockItem, target: BlockItem):
        super().__init__()
        self.source, self.target = source, target
        self.weight: np.ndarray | None = None
        self._lines: list[QLineF] = []      # index j*ins + i joins source node i to target node j
        self._lines_key: tuple | None = None
        self._groups: list[tuple[int, list[QLineF]]] | None = None   # (pen code, lines)
        self._pens: dict[int, QPen] = {}
        self._pens_base: int | None = None
        self.setZValue(-2)

    def set_weight(self, weight: np.ndarray) -> None:
        self.weight = weight
        self._groups = None
        self.update()

    def refresh_geometry(self) -> None:
        """The blocks were laid out again (or their font changed): rebuild the lines."""
        self.prepareGeometryChange()
        self._lines_key = None

    def boundingRect(self) -> QRectF:
        top = self.source.mapToScene(QPointF(0, self.source.height()))
        bottom = self.target.mapToScene(QPointF(style.BLOCK_WIDTH, 0))
        return QRectF(top, bottom).normalized().adjusted(-4, -4, 4, 4)

    def _line_list(self) -> list[QLineF]:
        """The lines in scene coordinates, rebuilt only when a block moved or resized."""
        outs, ins = self.weight.shape
        key = (self.source.pos(), self.source.height(), self.target.pos(), outs, ins)
        if key != self._lines_key:
            starts = [self.source.node_anchor(i, top=False) for i in range(ins)]
            ends = [self.target.node_anchor(j, top=True) for j in range(outs)]
            self._lines = [QLineF(starts[i], ends[j]) for j in range(outs) for i in range(ins)]
            self._lines_key = key
            self._groups = None
        return self._lines

    def _grouped(self) -> list[tuple[int, list[QLineF]]]:
        """Lines grouped by pen code = 2·level + (w > 0), level = round(LEVELS·min(|w|, 2)/2)."""
        lines = self._line_list()
        if self._groups is None:
            level = np.rint(np.minimum(np.abs(self.weight), 2.0) * (self.LEVELS / 2.0))
            codes = (2 * level.astype(np.int64) + (self.weight > 0)).ravel().tolist()
            groups: dict[int, list[QLineF]] = {}
            for line, code in zip(lines, codes):
                groups.setdefault(code, []).append(line)
            self._groups = sorted(groups.items())
        return self._groups

    def _pen(self, code: int) -> QPen:
        base = _palette(self).color(QPalette.ColorRole.Base)
        if base.rgb() != self._pens_base:
            self._pens, self._pens_base = {}, base.rgb()
        pen = self._pens.get(code)
        if pen is None:
            strength = (code // 2) / self.LEVELS
            hue = QColor(*(style.POSITIVE_RGB if code % 2 else style.NEGATIVE_RGB).astype(int))
            # what a line of opacity 0.3 + 0.7·strength over the canvas would show, made opaque
            pen = QPen(style.mix(base, hue, 0.3 + 0.7 * strength), 0.5 + 4.0 * strength)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            self._pens[code] = pen
        return pen

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self.weight is None or not self.weight.size:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for code, lines in self._grouped():
            painter.setPen(self._pen(code))
            painter.drawLines(lines)


class NeuronPopupItem(QGraphicsItem):
    """The map of the hovered neuron, large, with its formula and current weights."""

    def __init__(self):
        super().__init__()
        self.block: BlockItem | None = None
        self.unit = 0
        self.title = self.formula = ""
        self.setZValue(100)
        self.hide()

    def show_neuron(self, block: BlockItem, unit: int, title: str, formula: str) -> None:
        self.prepareGeometryChange()
        self.block, self.unit, self.title, self.formula = block, unit, title, formula
        self.setPos(self._place(block, unit))
        self.show()
        self.update()

    def _place(self, block: BlockItem, unit: int) -> QPointF:
        """Beside the block, right if there is room in the visible area, else left; never off
        the top or bottom of what the view shows."""
        thumb = block.mapToScene(block.thumb_rect(unit).topLeft())
        x = block.mapToScene(QPointF(style.BLOCK_WIDTH + 12, 0)).x()
        y = thumb.y() - 40
        views = self.scene().views() if self.scene() else []
        if views:
            view = views[0]
            visible = view.mapToScene(view.viewport().rect()).boundingRect()
            if x + POPUP_WIDTH > visible.right():
                x = max(visible.left(), block.scenePos().x() - POPUP_WIDTH - 12)
            y = min(y, visible.bottom() - self.boundingRect().height() - 4)
            y = max(y, visible.top() + 4)
        return QPointF(x, y)

    def set_formula(self, formula: str) -> None:
        if formula != self.formula:
            self.prepareGeometryChange()
            self.formula = formula
        self.update()

    def _formula_rect(self) -> QRectF:
        metrics = QFontMetricsF(_fonts(self)[1])
        bound = metrics.boundingRect(QRectF(0, 0, POPUP_WIDTH - 20, 400),
                                     Qt.TextFlag.TextWordWrap, self.formula)
        return QRectF(10, 34 + POPUP_MAP, POPUP_WIDTH - 20, bound.height() + 4)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, POPUP_WIDTH, self._formula_rect().bottom() + 10)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self.block is None or self.block.live_buffer is None:
            return
        palette = _palette(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.ToolTipBase))
        painter.drawRoundedRect(self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        title_font, font, _ = _fonts(self)
        painter.setPen(palette.color(QPalette.ColorRole.ToolTipText))
        painter.setFont(title_font)
        painter.drawText(QRectF(10, 6, POPUP_WIDTH - 20, 22), Qt.AlignmentFlag.AlignVCenter,
                         self.title)
        r = self.block.resolution
        target = QRectF((POPUP_WIDTH - POPUP_MAP) / 2, 30, POPUP_MAP, POPUP_MAP)
        painter.drawImage(target, self.block.live_buffer.image, QRectF(0, self.unit * r, r, r))
        painter.setFont(font)
        painter.drawText(self._formula_rect(), Qt.TextFlag.TextWordWrap, self.formula)
