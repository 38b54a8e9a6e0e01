"""Editing weights by hand on the canvas (issue 11, section 3), as TensorFlow Playground does.

Click a weight line, a pixel of a dense layer's weight heatmap, or the small bias square at a
neuron's lower left: a value field opens there. Type a value (Enter), step it with the arrows,
or drag up and down on the link itself (0.01 per pixel, Shift for 0.001). Every edit goes to the
training worker as an undo entry (``Hands.edit_weights``); the decision map, the neuron maps and
the loss follow at once, while paused too. The bias squares are drawn here, one child item per
dense block that shows its neurons.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (QDoubleSpinBox, QFrame, QGraphicsItem, QGraphicsPathItem,
                               QHBoxLayout, QLabel)

from . import style
from .items import BlockItem, _palette

DRAG_STEP = 0.01        # weight change per pixel dragged up
FINE_STEP = 0.001       # with Shift
HIT_PIXELS = 5.0        # how near (on screen) a click must be to a line
BIAS_SIDE = 8.0
LIMIT = 100.0


@dataclass(frozen=True)
class Target:
    """One editable number: ``key`` ("dense1.weight"), its ``index``, and words for it."""

    key: str
    index: tuple[int, ...]
    label: str


def bias_rect(block: BlockItem, unit: int) -> QRectF:
    """The bias square of neuron ``unit``, at its thumbnail's lower left (block coordinates)."""
    thumb = block.thumb_rect(unit)
    return QRectF(thumb.left() - BIAS_SIDE / 2, thumb.bottom() - BIAS_SIDE / 2,
                  BIAS_SIDE, BIAS_SIDE)


def heatmap_rect(block: BlockItem) -> QRectF:
    """Where a dense block draws its weight heatmap (as ``LiveMapsItem.paint``)."""
    return QRectF(16, block.text_height(), style.BLOCK_WIDTH - 26, style.HEATMAP_HEIGHT)


def segment_distance(p: QPointF, line: QLineF) -> float:
    ax, ay, bx, by = line.x1(), line.y1(), line.x2(), line.y2()
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p.x() - ax) * dx + (p.y() - ay) * dy) / length))
    return math.hypot(p.x() - ax - t * dx, p.y() - ay - t * dy)


class BiasMarksItem(QGraphicsItem):
    """The bias squares of one dense block's neurons: blue positive, orange negative, stronger
    for larger |b| (the weight lines' colours)."""

    def __init__(self, block: BlockItem):
        super().__init__(block)
        self.block = block
        self.bias: np.ndarray | None = None
        self._rects: tuple[tuple, list[QRectF], QRectF] | None = None   # (layout key, rects, bounds)
        self.setZValue(5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_bias(self, bias: np.ndarray | None) -> None:
        """New values (every live frame): the squares only move when their count or the block's
        layout changes, so the scene is told of a new geometry only then."""
        if self._layout_key(bias) != self._layout_key(self.bias):
            self.prepareGeometryChange()
        self.bias = bias
        self.update()

    def _layout_key(self, bias) -> tuple:
        block = self.block
        count = 0 if bias is None or block.live_kind != "thumbs" else min(len(bias), block.n_units)
        return count, block.slot_count(), block.text_height()

    def rects(self) -> list[QRectF]:
        return self._geometry()[0]

    def _geometry(self) -> tuple[list[QRectF], QRectF]:
        key = self._layout_key(self.bias)
        if self._rects is None or self._rects[0] != key:
            rects = [bias_rect(self.block, j) for j in range(key[0])]
            bounds = QRectF()
            for r in rects:
                bounds = bounds.united(r)
            self._rects = (key, rects, bounds.adjusted(-2, -2, 2, 2))
        return self._rects[1], self._rects[2]

    def boundingRect(self) -> QRectF:
        return self._geometry()[1]

    def paint(self, painter: QPainter, option, widget=None) -> None:
        palette = _palette(self.block)
        base = palette.color(QPalette.ColorRole.Base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(style.muted_text(palette), 0.8))
        for b, rect in zip(self.bias if self.bias is not None else [], self.rects()):
            rgb = style.POSITIVE_RGB if b > 0 else style.NEGATIVE_RGB
            strength = min(abs(float(b)), 2.0) / 2.0
            painter.setBrush(style.mix(base, QColor(*rgb.astype(int)), 0.25 + 0.75 * strength))
            painter.drawRect(rect)


class ValueField(QFrame):
    """The small floating editor: what is edited, and its value."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setObjectName("weight_field")
        self.setStyleSheet("QFrame#weight_field { background: palette(base); "
                           "border: 1px solid palette(highlight); border-radius: 6px; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 4, 3)
        row.setSpacing(6)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(-LIMIT, LIMIT)
        self.spin.setDecimals(3)
        self.spin.setSingleStep(0.05)
        self.spin.setKeyboardTracking(False)
        self.spin.setToolTip("Type a value and press Enter, or use the arrows (0.05 a step).\n"
                             "Dragging up or down on the link changes it too "
                             "(Shift: finer). Esc closes; Ctrl+Z undoes.")
        row.addWidget(self.label)
        row.addWidget(self.spin)
        self.hide()


class WeightEditor(QObject):
    """Turns clicks and drags on the canvas into weight edits through ``hands``."""

    def __init__(self, view, scene, hands, parent=None):
        super().__init__(parent or view)
        self.view, self.scene, self.hands = view, scene, hands
        self.marks: dict[str, BiasMarksItem] = {}
        self.target: Target | None = None
        self.value = 0.0
        self._drag: tuple[float, float] | None = None    # (press y on screen, value then)
        self._session = 0
        self._hovering = False
        self.field = ValueField(view.viewport())
        self.field.spin.valueChanged.connect(self._on_typed)
        self.marker = QGraphicsPathItem()
        self.marker.setZValue(60)
        self.marker.hide()
        scene.addItem(self.marker)
        self._port = view.viewport()
        self._port.installEventFilter(self)
        scene.live_listeners.append(self.show_snapshot)

    # -- the snapshot: bias squares and the field's value --------------------------------------
    def show_snapshot(self, snapshot) -> None:
        wanted = set()
        if snapshot is not None:
            for layer_id, block in self.scene.blocks.items():
                bias = snapshot.weights.get(f"{layer_id}.bias")
                if block.live_kind == "thumbs" and bias is not None and bias.ndim == 1:
                    wanted.add(layer_id)
                    mark = self.marks.get(layer_id)
                    if mark is None or mark.block is not block:
                        mark = self.marks[layer_id] = BiasMarksItem(block)
                    mark.set_bias(bias)
        for layer_id in list(self.marks):
            if layer_id not in wanted:
                mark = self.marks.pop(layer_id)
                if mark.scene() is not None:
                    mark.scene().removeItem(mark)
        if snapshot is None or (self.target is not None and self.current() is None):
            self.close()
        elif self.target is not None and self._drag is None and not self.field.spin.hasFocus():
            self._show_value(self.current())
        self._place_marker()

    def current(self) -> float | None:
        """The target's value in the newest snapshot."""
        snap, t = self.scene.snapshot, self.target
        if snap is None or t is None:
            return None
        array = snap.weights.get(t.key)
        if array is None or len(t.index) != array.ndim or any(
                not 0 <= i < n for i, n in zip(t.index, array.shape)):
            return None
        return float(array[t.index])

    # -- hit testing -----------------------------------------------------------------------------
    def target_at(self, scene_pos: QPointF) -> Target | None:
        for layer_id, mark in self.marks.items():
            for j, rect in enumerate(mark.rects()):
                if mark.block.mapRectToScene(rect).adjusted(-2, -2, 2, 2).contains(scene_pos):
                    return Target(f"{layer_id}.bias", (j,), f"<b>b</b> {layer_id}[{j + 1}]")
        snap = self.scene.snapshot
        if snap is None:
            return None
        for layer_id, block in self.scene.blocks.items():
            weight = snap.weights.get(f"{layer_id}.weight")
            if block.live_kind == "heatmap" and weight is not None and weight.ndim == 2:
                rect = block.mapRectToScene(heatmap_rect(block))
                if rect.contains(scene_pos):
                    outs, ins = weight.shape
                    j = min(int((scene_pos.y() - rect.top()) / rect.height() * outs), outs - 1)
                    i = min(int((scene_pos.x() - rect.left()) / rect.width() * ins), ins - 1)
                    return self._weight_target(layer_id, j, i)
        scale = max(self.view.transform().m11(), 1e-6)
        best, best_d = None, HIT_PIXELS / scale
        for layer_id, item in self.scene.weights.items():
            if item.weight is None:
                continue
            outs, ins = item.weight.shape
            for n, line in enumerate(item._line_list()):
                d = segment_distance(scene_pos, line)
                if d < best_d:
                    best, best_d = (layer_id, n // ins, n % ins), d
        if best is None:
            return None
        return self._weight_target(*best)

    def _weight_target(self, layer_id: str, j: int, i: int) -> Target:
        """'w X1 → dense1[3]': from node i of the block above into neuron j."""
        blocks = self.scene.ordered_blocks()
        above = next((a for a, b in zip(blocks, blocks[1:]) if b.layer_id == layer_id), None)
        if above is not None and above.layer_id is None and i < len(above.labels):
            source = above.labels[i]
        elif above is not None and above.layer_id is not None:
            source = f"{above.layer_id}[{i + 1}]"
        else:
            source = f"x{i + 1}"
        return Target(f"{layer_id}.weight", (j, i), f"<b>w</b> {source} → {layer_id}[{j + 1}]")

    # -- gestures ----------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        try:
            return self._filter(obj, event)
        except RuntimeError:            # the view is being destroyed with the window
            return False

    def _filter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape and self.target:
            self.close()
            return True
        if obj is not self._port:
            return False
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            target = self.target_at(self.view.mapToScene(event.position().toPoint()))
            if target is None:
                if self.target is not None and not self.field.geometry().contains(
                        event.position().toPoint()):
                    self.close()
                return False
            self.open(target, event.position())
            if self.target is not None:
                self._drag = (event.position().y(), self.value)
            return True
        if kind == QEvent.Type.MouseMove and self._drag is not None:
            y0, v0 = self._drag
            fine = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            value = v0 + (y0 - event.position().y()) * (FINE_STEP if fine else DRAG_STEP)
            self.set_value(round(max(-LIMIT, min(LIMIT, value)), 4))
            return True
        if kind == QEvent.Type.MouseMove and not event.buttons():
            # an editable number under the mouse: the cursor says "drag me up or down"
            over = self.target_at(self.view.mapToScene(event.position().toPoint())) is not None
            if over != self._hovering:
                self._hovering = over
                if over:
                    self._port.setCursor(Qt.CursorShape.SizeVerCursor)
                else:
                    self._port.unsetCursor()
            return False
        if kind == QEvent.Type.MouseButtonRelease and self._drag is not None:
            self._drag = None
            self._session = 0            # the next drag or typing is a new entry
            self.field.spin.setFocus()
            self.field.spin.selectAll()
            return True
        return False

    def open(self, target: Target, at: QPointF) -> None:
        """Show the field for ``target`` near ``at`` (viewport pixels)."""
        self.target = target
        value = self.current()
        if value is None:
            self.target = None
            return
        self._session = 0
        self.field.label.setText(target.label)
        self._show_value(value)
        self.field.adjustSize()
        port = self.view.viewport().rect()
        # below and right of the click: the maps the edit changes, above it, stay in sight
        x = min(max(4, int(at.x()) - 20), port.width() - self.field.width() - 4)
        y = int(at.y()) + 16
        if y + self.field.height() > port.height() - 4:
            y = int(at.y()) - self.field.height() - 16
        y = max(4, y)
        self.field.move(x, y)
        self.field.show()
        self.field.raise_()
        self.field.spin.installEventFilter(self)
        self._place_marker()

    def close(self) -> None:
        self.target, self._drag = None, None
        self.field.hide()
        self.marker.hide()

    def _show_value(self, value: float) -> None:
        self.value = value
        self.field.spin.blockSignals(True)
        self.field.spin.setValue(value)
        self.field.spin.blockSignals(False)

    def _on_typed(self, value: float) -> None:
        if self.target is not None and value != self.value:
            self.set_value(value)

    def set_value(self, value: float) -> None:
        """Send ``value`` for the open target: one undo entry per drag or per field session."""
        t = self.target
        if t is None or value == self.value:
            return
        if not self._session:
            from ..hands import new_session
            self._session = new_session()
        old = self.current()
        old = self.value if old is None else old
        self.hands.edit_weights([(t.key, t.index, float(value))], [(t.key, t.index, old)],
                                f"Set {t.label} to {value:.3g}", session=self._session)
        self._show_value(value)

    def _place_marker(self) -> None:
        """A highlight on what is being edited: the line, the heatmap pixel or the bias square."""
        t = self.target
        if t is None:
            self.marker.hide()
            return
        layer_id = t.key.rsplit(".", 1)[0]
        block = self.scene.blocks.get(layer_id)
        path = QPainterPath()
        if block is None:
            self.marker.hide()
            return
        if t.key.endswith(".bias"):
            path.addRect(block.mapRectToScene(bias_rect(block, t.index[0]).adjusted(-2, -2, 2, 2)))
        elif layer_id in self.scene.weights and self.scene.weights[layer_id].weight is not None:
            item = self.scene.weights[layer_id]
            line = item._line_list()[t.index[0] * item.weight.shape[1] + t.index[1]]
            path.moveTo(line.p1())
            path.lineTo(line.p2())
        elif block.live_kind == "heatmap":
            weight = self.scene.snapshot.weights[t.key]
            rect = block.mapRectToScene(heatmap_rect(block))
            w, h = rect.width() / weight.shape[1], rect.height() / weight.shape[0]
            path.addRect(QRectF(rect.left() + t.index[1] * w, rect.top() + t.index[0] * h,
                                max(w, 2), max(h, 2)).adjusted(-1, -1, 1, 1))
        highlight = _palette(block).color(QPalette.ColorRole.Highlight)
        pen = QPen(highlight, 2.2, Qt.PenStyle.DashLine if t.key.endswith(".weight")
                   and block.live_kind != "heatmap" else Qt.PenStyle.SolidLine)
        pen.setCosmetic(True)
        self.marker.setPen(pen)
        self.marker.setPath(path)
        self.marker.show()
