"""The Layers palette: the layer types, grouped, with icons drawn in code; drag one onto the canvas.

Dragging an entry carries its type under ``LAYER_MIME``; double-clicking one emits
``layer_activated(type)`` (the controller adds it after the selected block).
"""
from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from playground.engine.layers import REGISTRY
from playground.project.document import GROUPS, LAYER_TYPES

from . import style
from .describe import LAYER_HELP
from .view import LAYER_MIME

ICON_SIZE = 28
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1


def _grid(p: QPainter, n: int, size: float, x: float, y: float, fill=()) -> None:
    cell = size / n
    for i in range(n * n):
        rect = QRectF(x + (i % n) * cell, y + (i // n) * cell, cell, cell)
        p.setBrush(QColor(255, 255, 255) if i in fill else Qt.BrushStyle.NoBrush)
        p.drawRect(rect)


def _brush(filled: bool):
    return QColor(255, 255, 255) if filled else Qt.BrushStyle.NoBrush


def draw_glyph(p: QPainter, glyph: tuple) -> None:
    """Draw a layer class's glyph: its drawing steps (engine/layers/fields.py) in a 28x28 box."""
    for kind, *args in glyph:
        if kind == "line":
            p.drawLine(QPointF(args[0], args[1]), QPointF(args[2], args[3]))
        elif kind == "rect":
            p.setBrush(_brush(args[4]))
            p.drawRect(QRectF(*args[:4]))
        elif kind == "dot":
            p.setBrush(_brush(args[3]))
            p.drawEllipse(QPointF(args[0], args[1]), args[2], args[2])
        elif kind == "grid":
            _grid(p, *args)
        elif kind == "curve":
            path = QPainterPath(QPointF(args[0], args[1]))
            path.cubicTo(QPointF(args[2], args[3]), QPointF(args[4], args[5]),
                         QPointF(args[6], args[7]))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        else:
            raise ValueError(f"unknown glyph step {kind!r}")


#: layer type -> its glyph, from the layer classes
GLYPHS = {name: cls.glyph for name, cls in REGISTRY.items() if cls.group}


def layer_icon(layer_type: str, scale: float = 2.0) -> QIcon:
    """A rounded square in the family colour with a white glyph; drawn at ``scale`` for high DPI."""
    pixmap = QPixmap(round(ICON_SIZE * scale), round(ICON_SIZE * scale))
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(style.FAMILY_COLOURS[LAYER_TYPES[layer_type].family])
    painter.drawRoundedRect(QRectF(1, 1, ICON_SIZE - 2, ICON_SIZE - 2), 6, 6)
    painter.setPen(QPen(QColor(255, 255, 255), 1.4))
    draw_glyph(painter, GLYPHS[layer_type])
    painter.end()
    return QIcon(pixmap)


class LayersPalette(QTreeWidget):
    """The palette of layer types, grouped (Dense, Convolution, Pooling, Shape, Regularization)."""

    layer_activated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        # a copy: after a move-drop Qt would delete the entry from the palette
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setRootIsDecorated(False)
        self.setIndentation(8)
        self.setMinimumWidth(170)
        for group in (g for g in GROUPS if any(t.group == g for t in LAYER_TYPES.values())):
            header = QTreeWidgetItem(self, [group])
            font = header.font(0)
            font.setBold(True)
            header.setFont(0, font)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for layer_type in (t for t in LAYER_TYPES.values() if t.group == group):
                self._add_entry(header, layer_type.type, layer_type.title)
        self.expandAll()
        self.itemDoubleClicked.connect(self._on_item_double_clicked)

    def _add_entry(self, header: QTreeWidgetItem, layer_type: str, title: str) -> None:
        item = QTreeWidgetItem(header, [title])
        item.setIcon(0, layer_icon(layer_type))
        item.setData(0, TYPE_ROLE, layer_type)
        what, formula = LAYER_HELP[layer_type]
        item.setToolTip(0, f"<b>{title}</b> ({layer_type})<br>{what}<pre>{formula}</pre>"
                           "<i>Drag onto the canvas, or double-click to add.</i>")
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                      | Qt.ItemFlag.ItemIsDragEnabled)

    def item_for(self, layer_type: str) -> QTreeWidgetItem:
        for i in range(self.topLevelItemCount()):
            header = self.topLevelItem(i)
            for k in range(header.childCount()):
                if header.child(k).data(0, TYPE_ROLE) == layer_type:
                    return header.child(k)
        raise KeyError(layer_type)

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def mimeData(self, items) -> QMimeData:
        data = QMimeData()
        types = [item.data(0, TYPE_ROLE) for item in items if item.data(0, TYPE_ROLE)]
        if types:
            data.setData(LAYER_MIME, types[0].encode("utf-8"))
            data.setText(types[0])
        return data

    def _on_item_double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        layer_type = item.data(0, TYPE_ROLE)
        if layer_type:
            self.layer_activated.emit(layer_type)
