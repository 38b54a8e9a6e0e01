"""The network view: drops from the Layers palette, block reordering by drag, Delete, the banner.

The view turns gestures into requests (Qt signals) and leaves the edits to the controller's undo
commands. A block being dragged only moves on screen; the document changes once, on release.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QKeySequence, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsView

from . import style
from .items import BlockItem
from .scene import NetworkScene

#: the MIME type the Layers palette puts on a drag: the layer type as UTF-8
LAYER_MIME = "application/x-playground-layer"
MIN_SCALE = 0.6


#: the height the parameter count's card takes at the bottom of the view
TOTALS_ROOM = 32


class NetworkView(QGraphicsView):
    """Shows a ``NetworkScene``; emits ``layer_dropped(type, index)``, ``layer_move_requested(src,
    dst)``, ``delete_requested(layer_id)`` and ``shown()`` (it became visible). The network is
    zoomed to fit the view (at most 100 %, centred; Ctrl+wheel zooms further), again on every
    resize; only a network too tall to fit at 60 % scrolls."""

    layer_dropped = Signal(str, int)
    layer_move_requested = Signal(int, int)
    delete_requested = Signal(str)
    shown = Signal()

    def __init__(self, scene: NetworkScene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        # the banner and totals are drawn over the viewport: repaint it whole, never scroll-blit
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # the network is zoomed to the view's width: it never needs a sideways scroll bar
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 240)
        self._press: tuple[QPointF, BlockItem, int] | None = None
        self._dragging = False
        self._zoom = 1.0
        self.max_scale = 1.0     # the largest fitting zoom (presentation mode raises it)
        scene.sceneRectChanged.connect(self._fit)
        scene.setPalette(self.palette())

    @property
    def network_scene(self) -> NetworkScene:
        return self.scene()

    # -- fitting ---------------------------------------------------------------------------------
    def fit_scale(self) -> float:
        """The zoom that shows the whole network (up to 100 %): the width always fits; a network
        too tall to fit at MIN_SCALE scrolls up and down instead of shrinking further."""
        rect = self.scene().sceneRect() if self.scene() is not None else self.sceneRect()
        if rect.isEmpty():
            return 1.0
        area = self.maximumViewportSize()           # the viewport's size without scroll bars
        by_height = max(area.height() - TOTALS_ROOM - 2, 1) / rect.height()   # the totals card
        scale = min(self.max_scale, area.width() / rect.width(), max(MIN_SCALE, by_height))
        if rect.height() * scale + TOTALS_ROOM > area.height():     # it will scroll: the bar takes some width
            bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
            scale = min(scale, (area.width() - bar) / rect.width())
        return scale

    def _fit(self, *args) -> None:
        scale = self.fit_scale() * self._zoom
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if self._zoom > 1
                                          else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.resetTransform()
        self.scale(scale, scale)
        if self.scene() is not None:
            # room under the last block for the totals card: scrolled to the end, nothing is
            # under it (the scene's own rect is what the network needs)
            rect = self.scene().sceneRect()
            self.setSceneRect(rect.adjusted(0, 0, 0, TOTALS_ROOM / max(scale, 1e-3)))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.shown.emit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            step = 1.1 if event.angleDelta().y() > 0 else 1 / 1.1
            self._zoom = min(2.5, max(0.4, self._zoom * step))
            self._fit()
            event.accept()
            return
        super().wheelEvent(event)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.scene() is not None:
            self.scene().setPalette(self.palette())  # light/dark switch: the items repaint
        super().changeEvent(event)

    # -- drops from the palette ------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(LAYER_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if not event.mimeData().hasFormat(LAYER_MIME):
            event.ignore()
            return
        y = self.mapToScene(event.position().toPoint()).y()
        self.network_scene.show_marker(self.network_scene.gap_at(y))
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dragLeaveEvent(self, event) -> None:
        self.network_scene.show_marker(None)
        event.accept()

    def dropEvent(self, event) -> None:
        self.network_scene.show_marker(None)
        if not event.mimeData().hasFormat(LAYER_MIME):
            event.ignore()
            return
        layer_type = bytes(event.mimeData().data(LAYER_MIME)).decode("utf-8")
        gap = self.network_scene.gap_at(self.mapToScene(event.position().toPoint()).y())
        event.setDropAction(Qt.DropAction.CopyAction)  # the palette keeps its entry
        event.accept()
        self.layer_dropped.emit(layer_type, gap)

    # -- reordering by dragging a block ------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)  # selection
        block = self.network_scene.block_at(self.mapToScene(event.position().toPoint()))
        if event.button() == Qt.MouseButton.LeftButton and block is not None and block.layer_id:
            index = self.network_scene.document.index_of(block.layer_id)
            self._press = (event.position(), block, index)
            self._dragging = False

    def mouseMoveEvent(self, event) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            super().mouseMoveEvent(event)
            return
        start, block, _ = self._press
        delta = event.position() - start
        if not self._dragging and delta.manhattanLength() < QApplication.startDragDistance():
            return
        self._dragging = True
        scene = self.network_scene
        dy = delta.y() / self.transform().m22()
        block.setPos(block.x(), scene.laid_out_y(block) + dy)
        block.setZValue(10)
        scene.show_marker(scene.gap_at(block.y() + block.height() / 2))

    def mouseReleaseEvent(self, event) -> None:
        press, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        if press is None or not dragging:
            super().mouseReleaseEvent(event)
            return
        _, block, src = press
        scene = self.network_scene
        gap = scene.gap_at(block.y() + block.height() / 2)
        scene.show_marker(None)
        block.setZValue(0)
        dst = gap if gap <= src else gap - 1  # the gap counts the block itself when below it
        if dst != src:
            self.layer_move_requested.emit(src, dst)
        else:
            scene.relayout()

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() in (
                Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            layer_id = self.network_scene.selected_layer_id()
            if layer_id:
                self.delete_requested.emit(layer_id)
                event.accept()
                return
        super().keyPressEvent(event)

    # -- the banner, the totals and the empty hint, over the viewport ------------------------------
    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        painter.resetTransform()
        result = self.network_scene.validation
        palette = self.palette()
        width = self.viewport().width()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not result.ok:
            self._draw_banner(painter, result.message, width)
        if not self.network_scene.document.layer_ids():
            painter.setPen(style.muted_text(palette))
            painter.drawText(QRectF(0, self.viewport().height() / 2, width, 40),
                             Qt.AlignmentFlag.AlignCenter, "Drag layers here from the Layers palette")
        total = f"{result.total_params:,} parameters" if result.ok else "does not build"
        self._draw_total(painter, total, width)
        painter.restore()

    def _draw_total(self, painter: QPainter, total: str, width: int) -> None:
        """The parameter count in the bottom right corner, on a card of its own: when the
        network is taller than the view, blocks scroll under it instead of showing through."""
        palette = self.palette()
        text_w = QFontMetricsF(self.font()).horizontalAdvance(total)
        card = QRectF(width - text_w - 26, self.viewport().height() - 28, text_w + 16, 24)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(card, 6, 6)
        painter.setPen(style.muted_text(palette))
        painter.drawText(card, Qt.AlignmentFlag.AlignCenter, total)

    def _draw_banner(self, painter: QPainter, message: str, width: int) -> None:
        metrics = QFontMetricsF(self.font())
        text_rect = metrics.boundingRect(QRectF(0, 0, width - 56, 200), Qt.TextFlag.TextWordWrap,
                                         message)
        banner = QRectF(10, 8, width - 20, text_rect.height() + 16)
        fill = style.mix(self.palette().color(QPalette.ColorRole.Base), style.ERROR_COLOUR, 0.16)
        painter.setPen(QPen(style.ERROR_COLOUR, 1.2))
        painter.setBrush(fill)
        painter.drawRoundedRect(banner, 6, 6)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        painter.drawText(banner.adjusted(28, 8, -10, -8), Qt.TextFlag.TextWordWrap, message)
        painter.setPen(style.ERROR_COLOUR)
        painter.drawText(QRectF(banner.left() + 8, banner.top() + 8, 16, metrics.height()),
                         Qt.AlignmentFlag.AlignCenter, "⚠")
