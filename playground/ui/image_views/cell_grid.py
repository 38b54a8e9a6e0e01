"""CellGrid: many small images painted by one widget, and ColorBar, the legend of a colour map.

Every image view draws through CellGrid: a grid of cells, each an array with its levels and colour
map, a title above, a caption and an optional bar below, and an optional overlay painted on top
(pooling windows, the kernel's window, argmax marks). Painting QImages in one widget keeps a frame
of 16 feature maps to well under a millisecond and makes no objects per frame besides the images.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from .colours import MAPS, colour_of, text_colour_on, to_qimage

TITLE_H, CAPTION_H, BAR_H, GAP = 14, 14, 6, 6
MAX_TITLE_LINES = 3     #: a title wider than its cell wraps onto up to this many lines


@dataclass
class Cell:
    """One image in a CellGrid. ``image`` is (H, W) values or (H, W, 3) RGB; ``numbers`` writes
    each value in its pixel when they fit; ``bar`` (0..1) draws a bar under the image;
    ``overlay(painter, image_rect, cell)`` paints on top."""

    image: np.ndarray | None
    levels: tuple[float, float] = (-1.0, 1.0)
    cmap: str = "diverging"
    title: str = ""
    caption: str = ""
    numbers: bool = False
    bar: float | None = None
    bar_colour: QColor | None = None
    border: QColor | None = None
    tooltip: str = ""
    overlay: Callable[[QPainter, QRectF, "Cell"], None] | None = None


def pixel_rect(image_rect: QRectF, shape: tuple[int, ...], row: float, col: float,
               rows: float = 1, cols: float = 1) -> QRectF:
    """The screen rectangle of pixels [row, row+rows) x [col, col+cols) of an image in image_rect."""
    ph, pw = image_rect.height() / shape[0], image_rect.width() / shape[1]
    return QRectF(image_rect.left() + col * pw, image_rect.top() + row * ph, cols * pw, rows * ph)


def value_text(value: float) -> str:
    if value == 0:
        return "0"  # exact zeros (padding, unpooling) stand out from small values
    if abs(value) < 0.005:          # not "-0.00": a small gradient keeps its size, "-2e-3"
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"


class CellGrid(QWidget):
    """A grid of Cells (``set_cells``), with optional row and column labels; emits
    ``cell_clicked(index)`` when a cell is clicked. Cells keep their images' aspect ratio and
    grow with the widget up to ``max_cell`` pixels."""

    cell_clicked = Signal(int)

    def __init__(self, parent=None, min_cell: int = 24, max_cell: int = 160):
        super().__init__(parent)
        self.min_cell, self.max_cell = min_cell, max_cell
        self.cells: list[Cell] = []
        self.columns = 1
        self.row_labels: list[str] = []
        self.column_labels: list[str] = []
        self._images: list = []
        self._layout: tuple | None = None  # (left, top, cell w, cell h, title h, row pitch)
        self._th = TITLE_H                  # the title row's height (lines wrapped to the cells)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)

    def set_cells(self, cells: list[Cell], columns: int | None = None,
                  row_labels: list[str] | None = None, column_labels: list[str] | None = None):
        self.cells = cells
        self.columns = max(1, columns or len(cells) or 1)
        self.row_labels = row_labels or []
        self.column_labels = column_labels or []
        self._images = [None if c.image is None else to_qimage(c.image, c.levels, c.cmap)
                        for c in cells]
        self._layout = None
        self._hug_height()
        self.updateGeometry()
        self.update()

    def resizeEvent(self, event) -> None:
        self._layout = None
        super().resizeEvent(event)
        self._hug_height()

    def hug(self) -> None:
        """Never taller than the cells need at the width given (``height_for``): the room under
        them goes to what follows in the layout (a stretch), not to an empty band in the grid."""
        self._hugging = True
        self._hug_height()

    def _hug_height(self) -> None:
        if getattr(self, "_hugging", False):
            need = self.height_for(self.width()) if self.cells else 16777215
            self.setMaximumHeight(max(need, self.minimumSizeHint().height(), 40))

    # -- geometry --------------------------------------------------------------------------------
    @property
    def rows(self) -> int:
        return -(-len(self.cells) // self.columns)

    def _extra_h(self) -> int:
        has_caption = any(c.caption for c in self.cells)
        has_bar = any(c.bar is not None for c in self.cells)
        return self._th + CAPTION_H * has_caption + (BAR_H + 2) * has_bar + GAP

    def small_font(self) -> QFont:
        """The font of the titles, captions and labels."""
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() - 1.5))
        return small

    def _title_h(self, room: float) -> int:
        """The title row's height: one line, or as many as the widest title needs wrapped in
        ``room`` pixels (a cell's width and the gap)."""
        titles = [c.title for c in self.cells if c.title]
        if not titles:
            return 0
        metrics = QFontMetricsF(self.small_font())
        lines = max(metrics.boundingRect(QRectF(0, 0, room, 1000), Qt.TextFlag.TextWordWrap,
                                         t).height() / metrics.lineSpacing() for t in titles)
        return TITLE_H * int(np.clip(round(lines), 1, MAX_TITLE_LINES))

    def clipped_text(self) -> list[str]:
        """Titles and captions that do not fit their cell at the current size (for the layout
        check): a word wider than the cell, or more lines than the title row has."""
        metrics = QFontMetricsF(self.small_font())
        out = []
        for i, cell in enumerate(self.cells):
            room = self.image_rect(i).width() + GAP
            for text, height in ((cell.title, self._layout[4] if self._layout else TITLE_H),
                                 (cell.caption, CAPTION_H)):
                if not text:
                    continue
                need = metrics.boundingRect(QRectF(0, 0, room, 1000), Qt.TextFlag.TextWordWrap,
                                            text)
                if need.width() > room + 0.5 or need.height() > height + 2:
                    out.append(text)
        return out

    def _margins(self) -> tuple[int, int]:
        left = 8 + self.fontMetrics().horizontalAdvance(max(self.row_labels, key=len)) \
            if self.row_labels else 2
        top = TITLE_H + 2 if self.column_labels else 2
        return left, top

    def _aspect(self) -> float:
        shapes = [c.image.shape for c in self.cells if c.image is not None]
        return shapes[0][0] / shapes[0][1] if shapes else 1.0

    def _cell_width(self) -> float:
        left, top = self._margins()
        if not self.cells:
            return self.min_cell
        by_w = (self.width() - left) / self.columns - GAP
        by_h = ((self.height() - top) / self.rows - self._extra_h()) / self._aspect()
        return float(np.clip(min(by_w, by_h), self.min_cell, self.max_cell))

    def sizeHint(self) -> QSize:
        left, top = self._margins()
        w = 64 * self.columns + GAP * self.columns + left
        h = (64 * self._aspect() + self._extra_h()) * self.rows + top
        return QSize(int(w), int(h))

    def height_for(self, width: int) -> int:
        """The height the cells need at ``width`` when they grow to ``max_cell`` at most: more
        would be an empty band under them."""
        if not self.cells:
            return 0
        left, top = self._margins()
        cell = float(np.clip((width - left) / self.columns - GAP, self.min_cell, self.max_cell))
        return int((cell * self._aspect() + self._extra_h()) * self.rows + top + 2)

    def minimumSizeHint(self) -> QSize:
        left, top = self._margins()
        w = (self.min_cell + GAP) * self.columns + left
        h = (self.min_cell * self._aspect() + self._extra_h()) * self.rows + top
        return QSize(int(min(w, 400)), int(min(h, 300)))

    def image_rect(self, index: int) -> QRectF:
        """Where cell ``index``'s image is drawn at the widget's current size."""
        if self._layout is None:  # worked out once per set_cells or resize, not per cell
            left, top = self._margins()
            cw = self._cell_width()
            ch = cw * self._aspect()
            # the cells' width depends on the titles' lines and the lines on the width: settle it
            self._th = TITLE_H if any(c.title for c in self.cells) else 0
            for _ in range(3):
                cw = self._cell_width()
                title_h = self._title_h(cw + GAP)
                if title_h == self._th:
                    break
                self._th = title_h
            cw = self._cell_width()
            ch = cw * self._aspect()
            title_h = self._th
            self._layout = (left, top, cw, ch, title_h, ch + self._extra_h())
        left, top, cw, ch, title_h, pitch = self._layout
        row, col = divmod(index, self.columns)
        return QRectF(left + col * (cw + GAP), top + row * pitch + title_h, cw, ch)

    def index_at(self, pos: QPointF) -> int:
        for i in range(len(self.cells)):
            if self.image_rect(i).adjusted(-2, -TITLE_H, 2, CAPTION_H).contains(pos):
                return i
        return -1

    # -- events ----------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        index = self.index_at(event.position())
        if index >= 0:
            self.cell_clicked.emit(index)
        super().mousePressEvent(event)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            index = self.index_at(QPointF(event.pos()))
            text = self.cells[index].tooltip if index >= 0 else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            elif self.toolTip():
                QToolTip.showText(event.globalPos(), self.toolTip(), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        text = self.palette().color(self.foregroundRole())
        painter.setFont(self.small_font())
        for i, cell in enumerate(self.cells):
            self._paint_cell(painter, i, cell, text)
        self._paint_labels(painter, text)
        painter.end()

    def _paint_cell(self, painter: QPainter, i: int, cell: Cell, text: QColor) -> None:
        rect = self.image_rect(i)
        painter.setPen(text)
        if cell.title:
            title_h = self._layout[4] if self._layout else TITLE_H
            painter.drawText(QRectF(rect.left() - GAP / 2, rect.top() - title_h, rect.width() + GAP,
                                    title_h), Qt.AlignmentFlag.AlignHCenter
                             | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap, cell.title)
        image = self._images[i]
        if image is not None:
            painter.drawImage(rect, image)  # nearest-neighbour: pixels stay crisp squares
            if cell.numbers:
                self._paint_numbers(painter, rect, cell)
        if cell.overlay is not None:
            cell.overlay(painter, rect, cell)
        painter.setPen(QPen(cell.border, 2.5) if cell.border is not None
                       else QPen(QColor(128, 128, 128), 0.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        below = rect.bottom() + 2
        if cell.bar is not None:
            painter.fillRect(QRectF(rect.left(), below, rect.width(), BAR_H), QColor(128, 128, 128, 70))
            painter.fillRect(QRectF(rect.left(), below, rect.width() * float(np.clip(cell.bar, 0, 1)),
                                    BAR_H), cell.bar_colour or QColor(70, 130, 200))
            below += BAR_H + 2
        if cell.caption:
            painter.setPen(text)
            painter.drawText(QRectF(rect.left() - GAP / 2, below, rect.width() + GAP, CAPTION_H),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, cell.caption)

    def _paint_numbers(self, painter: QPainter, rect: QRectF, cell: Cell) -> None:
        values = cell.image
        if values.ndim != 2:
            return
        h, w = values.shape
        if rect.width() / w < 19 or rect.height() / h < 13:
            return  # too small to read: the picture alone says it
        font = QFont(painter.font())
        font.setPointSizeF(max(6.0, min(9.0, rect.width() / w / 4.2)))
        painter.save()
        painter.setFont(font)
        for r in range(h):
            for c in range(w):
                value = float(values[r, c])
                painter.setPen(text_colour_on(colour_of(value, cell.levels, cell.cmap)))
                painter.drawText(pixel_rect(rect, values.shape, r, c),
                                 Qt.AlignmentFlag.AlignCenter, value_text(value))
        painter.restore()

    def _paint_labels(self, painter: QPainter, text: QColor) -> None:
        painter.setPen(text)
        for row, label in enumerate(self.row_labels[:self.rows]):
            rect = self.image_rect(row * self.columns)
            painter.drawText(QRectF(0, rect.top(), rect.left() - 4, rect.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        for col, label in enumerate(self.column_labels[:self.columns]):
            rect = self.image_rect(col)
            top = rect.top() - TITLE_H - self._th
            painter.drawText(QRectF(rect.left() - GAP / 2, top, rect.width() + GAP, TITLE_H),
                             Qt.AlignmentFlag.AlignCenter, label)


class ColorBar(QWidget):
    """A horizontal legend: the colour map from ``lo`` to ``hi`` with its values and a label."""

    def __init__(self, parent=None, cmap: str = "diverging"):
        super().__init__(parent)
        self.cmap, self.levels, self.label = cmap, (-1.0, 1.0), ""
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_levels(self, levels: tuple[float, float], label: str = "", cmap: str | None = None):
        self.levels, self.label = (float(levels[0]), float(levels[1])), label
        self.cmap = cmap or self.cmap
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, 34)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        text = self.palette().color(self.foregroundRole())
        bar = QRectF(60, 3, max(20, self.width() - 120), 12)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        table = MAPS[self.cmap]
        for t in np.linspace(0, 1, 9):
            gradient.setColorAt(t, QColor.fromRgb(int(table[int(round(t * 255))])))
        painter.fillRect(bar, gradient)
        painter.setPen(QColor(128, 128, 128))
        painter.drawRect(bar)
        painter.setPen(text)
        lo, hi = self.levels
        painter.drawText(QRectF(0, 0, 56, 18), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         f"{lo:.3g}")
        painter.drawText(QRectF(bar.right() + 4, 0, 56, 18),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{hi:.3g}")
        if lo < 0 < hi:  # a tick where the colour is white: zero
            x = bar.left() + bar.width() * (-lo) / (hi - lo)
            painter.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 4))
        painter.drawText(QRectF(0, 18, self.width(), 16), Qt.AlignmentFlag.AlignCenter, self.label)
        painter.end()
