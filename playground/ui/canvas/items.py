"""The graphics items of the network canvas: a block per layer (and the input), the links between.

Items only draw what the scene tells them; they never change the document. A block is a rounded
rectangle tinted by its layer family, with the type, the key settings, the output shape and the
parameter count; on 2-D data a dense block also shows one thumbnail per neuron (or a weight
heatmap), painted from one reused image buffer.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem

from . import style
from .style import BLOCK_WIDTH, LIVE_MARGIN, THUMB, THUMB_GAP


def _fonts(item: QGraphicsItem) -> tuple[QFont, QFont, QFont]:
    base = item.scene().font() if item.scene() else QFont()
    title = QFont(base)
    title.setBold(True)
    title.setPointSizeF(base.pointSizeF() + 0.5)
    small = QFont(base)
    small.setPointSizeF(max(base.pointSizeF() - 1.0, 7.0))
    return title, base, small


def _palette(item: QGraphicsItem) -> QPalette:
    return item.scene().palette() if item.scene() else QPalette()


def node_xs(widths: list[float], gap: float = THUMB_GAP) -> list[float]:
    """Centres of nodes (thumbnails or input chips) of these widths, laid out centred in a block."""
    total = sum(widths) + gap * (len(widths) - 1)
    x, centres = BLOCK_WIDTH / 2 - total / 2, []
    for w in widths:
        centres.append(x + w / 2)
        x += w + gap
    return centres


def thumb_size(count: int) -> tuple[float, float]:
    """(side, gap) of ``count`` neuron thumbnails so that one row fits the block."""
    gap = THUMB_GAP if count <= 8 else 3.0
    room = BLOCK_WIDTH - 28 - gap * (count - 1)
    return min(THUMB, room / max(count, 1)), gap


class BlockItem(QGraphicsItem):
    """One block: the input (``layer_id`` None) or a layer. The scene sets its text with
    ``set_content`` and its live pictures with ``set_live`` (neuron thumbnails, a weight heatmap,
    or on the input block one map per feature chip). The body - fill, border, text, chips - is
    cached as a device pixmap and repainted only when it changes (selection, text, palette); the
    live pictures, redrawn every frame, are a child ``LiveMapsItem`` painted over it."""

    def __init__(self, layer_id: str | None):
        super().__init__()
        self.layer_id = layer_id
        self.config: dict = {}
        self.family = "input" if layer_id is None else "shape"
        self.title = self.subtitle = self.shape_label = self.params = self.error = ""
        self.labels: list[str] = []          # input block: feature chips
        # None, "thumbs", "heatmap", "inputs", "channels" (conv feature maps) or "probe" (image)
        self.live_kind: str | None = None
        self.live_buffer: style.ImageBuffer | None = None
        self.n_units = 0
        self.extra = 0                       # "channels": maps not shown, drawn as "+N"
        self.resolution = 0
        self.hovered_unit: int | None = None
        # the input block too: the Inspector then shows the input's shape, features and scaling
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.live_item = LiveMapsItem(self)

    # -- content ---------------------------------------------------------------------------------
    def set_content(self, title: str, subtitle: str, shape: str, params: str, family: str,
                    error: str = "", labels: list[str] | None = None) -> None:
        new = (title, subtitle, shape, params, family, error, labels or [])
        if new != (self.title, self.subtitle, self.shape_label, self.params, self.family, self.error,
                   self.labels):
            self.prepareGeometryChange()
            (self.title, self.subtitle, self.shape_label, self.params, self.family, self.error,
             self.labels) = new
            self.update()
            self.live_item.refresh()

    def set_live(self, kind: str | None, n_units: int = 0, resolution: int = 0,
                 buffer: style.ImageBuffer | None = None, extra: int = 0) -> None:
        """Reserve (or drop) the live area and repaint the pictures from ``buffer``. Only a change
        of size repaints the (cached) body; a new frame repaints just the pictures."""
        resized = (kind, n_units, resolution, extra) != (self.live_kind, self.n_units,
                                                         self.resolution, self.extra)
        if resized:
            self.prepareGeometryChange()
        self.live_kind, self.n_units, self.resolution, self.extra = kind, n_units, resolution, extra
        self.live_buffer = buffer
        if resized:
            self.update()
            self.live_item.refresh()
        else:
            self.live_item.update()

    # -- geometry --------------------------------------------------------------------------------
    def text_height(self) -> float:
        return style.INPUT_HEIGHT + (8 if self.labels else 0) if self.layer_id is None \
            else style.BLOCK_TEXT_HEIGHT

    def live_height(self) -> float:
        if self.live_kind in ("thumbs", "channels", "probe"):
            return thumb_size(self.slot_count())[0] + LIVE_MARGIN
        if self.live_kind == "inputs":   # tucked under the chips, which leave a margin already
            return thumb_size(len(self.labels))[0] + LIVE_MARGIN - 4
        if self.live_kind == "heatmap":
            return style.HEATMAP_HEIGHT + LIVE_MARGIN
        return 0.0

    def height(self) -> float:
        return self.text_height() + self.live_height()

    def boundingRect(self) -> QRectF:
        return QRectF(-6, -6, BLOCK_WIDTH + 12, self.height() + 12)

    def shape_path(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, BLOCK_WIDTH, self.height()), style.RADIUS, style.RADIUS)
        return path

    def chip_layout(self) -> tuple[list[float], list[float]]:
        """(centres, widths) of the input chips: roomy when they fit, packed tighter when many
        features (X1, X2, X1², ..., sin(X2)) would run past the block's edges."""
        metrics = QFontMetricsF(_fonts(self)[2])
        text = [metrics.horizontalAdvance(label) for label in self.labels]
        side = thumb_size(len(text))[0]
        for pad, gap, least in ((12, THUMB_GAP, THUMB), (6, 3.0, side), (2, 2.0, side)):
            widths = [max(least, t + pad) for t in text]
            if sum(widths) + gap * (len(widths) - 1) <= BLOCK_WIDTH - 24:
                break
        return node_xs(widths, gap), widths

    def node_count(self) -> int:
        return len(self.labels) if self.layer_id is None else (
            self.n_units if self.live_kind == "thumbs" else 0)

    def node_anchor(self, index: int, top: bool) -> QPointF:
        """Where a weight line meets this block for node ``index``: top or bottom edge."""
        if self.layer_id is None:
            x = self.chip_layout()[0][index]
        else:
            x = self.thumb_rect(index).center().x()
        return self.mapToScene(QPointF(x, 0 if top else self.height()))

    def slot_count(self) -> int:
        """Thumbnail places in the row: one per map, plus one for the "+N" of hidden channels."""
        return self.n_units + (1 if self.extra else 0)

    def thumb_rect(self, index: int) -> QRectF:
        side, gap = thumb_size(self.slot_count())
        x = node_xs([side] * self.slot_count(), gap)[index]
        return QRectF(x - side / 2, self.text_height(), side, side)

    def feature_rect(self, index: int, centres: list[float] | None = None) -> QRectF:
        """Input block: the map of feature ``index``, centred under its chip."""
        side = thumb_size(len(self.labels))[0]
        x = (centres or self.chip_layout()[0])[index]
        return QRectF(x - side / 2, self.text_height() - 4, side, side)

    def map_rects(self) -> list[QRectF]:
        """Where each map of the live buffer goes: neuron thumbnails or input features."""
        if self.live_kind in ("thumbs", "channels", "probe"):
            return [self.thumb_rect(i) for i in range(self.n_units)]
        if self.live_kind == "inputs":
            centres = self.chip_layout()[0]
            return [self.feature_rect(i, centres) for i in range(min(self.n_units, len(centres)))]
        return []

    def unit_at(self, pos: QPointF) -> int | None:
        if self.live_kind != "thumbs":
            return None
        for i in range(self.n_units):
            if self.thumb_rect(i).adjusted(-2, -2, 2, 2).contains(pos):
                return i
        return None

    # -- painting --------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option, widget=None) -> None:
        palette = _palette(self)
        hue = style.ERROR_COLOUR if self.error else style.FAMILY_COLOURS.get(self.family)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(0, 0, BLOCK_WIDTH, self.height())
        selected = self.isSelected()
        highlight = palette.color(QPalette.ColorRole.Highlight)
        if selected:  # a soft halo, visible even around a block of the highlight's own hue
            halo = QColor(highlight)
            halo.setAlpha(90)
            painter.setPen(QPen(halo, 5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2.5, -2.5, 2.5, 2.5), style.RADIUS + 2,
                                    style.RADIUS + 2)
        border = highlight if selected else hue
        painter.setPen(QPen(border, 2.4 if selected or self.error else 1.2))
        painter.setBrush(style.block_fill(palette, hue))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), style.RADIUS, style.RADIUS)
        accent = QPainterPath()
        accent.addRoundedRect(QRectF(1.5, 1.5, 6, rect.height() - 3), 3, 3)
        painter.fillPath(accent, hue)
        self._paint_text(painter, palette)
        if self.layer_id is None and self.labels:
            self._paint_chips(painter, palette, hue)

    def _paint_text(self, painter: QPainter, palette: QPalette) -> None:
        title_font, font, small = _fonts(self)
        text, muted = palette.color(QPalette.ColorRole.Text), style.muted_text(palette)
        left, right = 16.0, BLOCK_WIDTH - 10
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(QRectF(left, 5, right - left, 20), Qt.AlignmentFlag.AlignVCenter, self.title)
        painter.setFont(small)
        painter.setPen(style.ERROR_COLOUR if self.error else muted)
        painter.drawText(QRectF(left, 5, right - left, 20),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                         "⚠ " + self.layer_id if self.error else (self.layer_id or self.shape_label))
        if self.layer_id is None:
            return
        painter.setFont(font)
        painter.setPen(text)
        metrics = QFontMetricsF(font)
        painter.drawText(QRectF(left, 24, right - left, 18), Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(self.subtitle, Qt.TextElideMode.ElideRight, right - left))
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(QRectF(left, 42, right - left, 16), Qt.AlignmentFlag.AlignVCenter,
                         f"out {self.shape_label}" if self.shape_label else "out ?")
        painter.drawText(QRectF(left, 42, right - left, 16),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.params)

    def _paint_chips(self, painter: QPainter, palette: QPalette, hue: QColor) -> None:
        small = _fonts(self)[2]
        painter.setFont(small)
        for x, w, label in zip(*self.chip_layout(), self.labels):
            chip = QRectF(x - w / 2, 28, w, 20)
            painter.setPen(QPen(hue, 1))
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(chip, 6, 6)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)

    # -- hover: the scene shows a neuron's map large -------------------------------------------
    def hoverMoveEvent(self, event) -> None:
        unit = self.unit_at(event.pos())
        if unit != self.hovered_unit:
            self.hovered_unit = unit
            self.live_item.update()
            scene = self.scene()
            if scene is not None and hasattr(scene, "neuron_hovered"):
                scene.neuron_hovered(self, unit)

    def mousePressEvent(self, event) -> None:
        """A click selects the block (and starts a drag); on a neuron's thumbnail it also pins
        that neuron's large map, so small thumbnails of wide layers can be read at leisure."""
        super().mousePressEvent(event)
        scene = self.scene()
        if scene is not None and hasattr(scene, "neuron_clicked"):
            scene.neuron_clicked(self, self.unit_at(event.pos()))

    def hoverLeaveEvent(self, event) -> None:
        if self.hovered_unit is not None:
            self.hovered_unit = None
            self.live_item.update()
            scene = self.scene()
            if scene is not None and hasattr(scene, "neuron_hovered"):
                scene.neuron_hovered(self, None)


class LiveMapsItem(QGraphicsItem):
    """The live pictures of one block, a child drawn over its cached body: one square per map
    (neuron or input feature) cut from the block's ``live_buffer``, or the weight heatmap."""

    def __init__(self, block: BlockItem):
        super().__init__(block)
        self.block = block
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)   # clicks select the block

    def refresh(self) -> None:
        """The block's size or layout changed."""
        self.prepareGeometryChange()
        self.update()

    def boundingRect(self) -> QRectF:
        block = self.block
        if block.live_kind is None:
            return QRectF()
        # the input maps start 4 above the text area, and the hover frame's 2.0 pen sticks out
        return QRectF(-2, block.text_height() - 6, BLOCK_WIDTH + 4, block.live_height() + 8)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        block = self.block
        if block.live_kind is None or block.live_buffer is None:
            return
        palette = _palette(block)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        image, frame = block.live_buffer.image, style.muted_text(palette)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if block.live_kind == "heatmap":
            target = QRectF(16, block.text_height(), BLOCK_WIDTH - 26, style.HEATMAP_HEIGHT)
            painter.drawImage(target, image)
            painter.setPen(QPen(frame, 0.8))
            painter.drawRect(target)
            return
        # map i is rows i·r..(i+1)·r of the buffer, as wide as the buffer (feature maps need
        # not be square)
        r, width = block.resolution, image.width()
        thin, hovered = QPen(frame, 0.8), QPen(palette.color(QPalette.ColorRole.Highlight), 2.0)
        rects = block.map_rects()
        if rects and block.live_kind == "channels":
            # a small feature map (5x5 after pooling) blown up to 2 or more screen pixels a
            # value: crisp squares, as the data are, not a blur (on HiDPI screens too)
            scale = painter.worldTransform().m11() * painter.device().devicePixelRatioF()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform,
                                  rects[0].width() * scale / max(width, 1) < 2.0)
        for i, target in enumerate(rects):
            painter.drawImage(target, image, QRectF(0, i * r, width, r))
            painter.setPen(hovered if i == block.hovered_unit else thin)
            painter.drawRect(target)
        if block.extra:
            painter.setFont(_fonts(block)[2])
            painter.setPen(frame)
            painter.drawText(block.thumb_rect(block.n_units), Qt.AlignmentFlag.AlignCenter,
                             f"+{block.extra}")


class LinkItem(QGraphicsItem):
    """The arrow from one block to the next, labelled with the tensor shape it carries."""

    def __init__(self):
        super().__init__()
        self.start = self.end = QPointF()
        self.label = ""
        self.show_line = True
        self.setZValue(-1)

    def set_geometry(self, start: QPointF, end: QPointF, label: str, show_line: bool = True) -> None:
        self.prepareGeometryChange()
        self.start, self.end, self.label, self.show_line = start, end, label, show_line
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self.start, self.end).normalized().adjusted(-8, -2, BLOCK_WIDTH / 2 + 130, 2)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        palette = _palette(self)
        colour = style.muted_text(palette)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.show_line:
            painter.setPen(QPen(colour, 1.4))
            tip = QPointF(self.end.x(), self.end.y() - 1)
            painter.drawLine(self.start, tip)
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon([tip, QPointF(tip.x() - 4.5, tip.y() - 7),
                                 QPointF(tip.x() + 4.5, tip.y() - 7)])
        if self.label:
            painter.setFont(_fonts(self)[2])
            painter.setPen(colour)
            mid_y = (self.start.y() + self.end.y()) / 2
            x = self.start.x() + (10 if self.show_line else BLOCK_WIDTH / 2 + 8)
            painter.drawText(QRectF(x, mid_y - 8, 110, 16), Qt.AlignmentFlag.AlignVCenter,
                             self.label)


class InsertionMarkerItem(QGraphicsItem):
    """The line that shows where a dragged layer will land."""

    def __init__(self):
        super().__init__()
        self.setZValue(50)
        self.hide()

    def boundingRect(self) -> QRectF:
        return QRectF(-6, -6, BLOCK_WIDTH + 12, 12)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        colour = _palette(self).color(QPalette.ColorRole.Highlight)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(8, 0), QPointF(BLOCK_WIDTH - 8, 0))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(4, 0), 4, 4)
        painter.drawEllipse(QPointF(BLOCK_WIDTH - 4, 0), 4, 4)
