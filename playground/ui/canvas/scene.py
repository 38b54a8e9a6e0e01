"""The network scene: listens to the document and draws it, top to bottom, one block per layer.

The scene never edits the document. On every ``changed`` it matches its blocks to the layer ids
(creating or dropping blocks only where layers came or went), refreshes their text from the
engine's validation, and lays them out. Live pictures arrive through ``show_snapshot``.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF
from PySide6.QtWidgets import QGraphicsScene

from playground.engine.layers.base import shape_text
from playground.engine.layers import REGISTRY
from playground.project.document import LAYER_TYPES, NetworkDocument

from . import lesson_live, style
from .describe import layer_tooltip, params_text, settings_text
from .items import BlockItem, InsertionMarkerItem, LinkItem
from .live import (MAX_LINE_UNITS, NeuronPopupItem, WeightsItem, fill_channel_maps,
                   fill_feature_maps, fill_grey_image, fill_heatmap, fill_unit_maps, neuron_formula)

LABEL_ROOM = 64.0   # to the right of the blocks, for the shape labels on the links ("16x14x14")
MARGIN = 14.0       # to the left of the blocks
#: layer types whose blocks show their feature maps for the probe image, and how many at most
#: types whose output the canvas draws as channel maps, from the layer classes
CHANNEL_TYPES = tuple(name for name, cls in REGISTRY.items() if cls.shows_channels)
MAX_CHANNELS = 8


def input_text(shape: list[int]) -> str:
    if len(shape) == 1:
        return f"{shape[0]} feature{'s' if shape[0] != 1 else ''}"
    return f"{shape_text(tuple(shape))} image"


class NetworkScene(QGraphicsScene):
    """Blocks, links, the insertion marker, and the live neuron maps of one ``NetworkDocument``."""

    def __init__(self, document: NetworkDocument, parent=None):
        super().__init__(parent)
        # a few dozen items whose pictures change every live frame: a BSP index would be
        # rebuilt for nothing (Qt's advice for dynamic scenes)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.document = document
        self.input_block = BlockItem(None)
        self.addItem(self.input_block)
        self.blocks: dict[str, BlockItem] = {}
        self.links: list[LinkItem] = []
        self.weights: dict[str, WeightsItem] = {}   # target layer id -> lines into it
        self.marker = InsertionMarkerItem()
        self.popup = NeuronPopupItem()
        self.pinned: tuple[BlockItem, int] | None = None   # the neuron whose map stays shown
        self.addItem(self.marker)
        self.addItem(self.popup)
        self.snapshot = None
        self.probe_index = 0     # which probe image the feature maps are of
        self._input_maps: np.ndarray | None = None   # the grid_inputs drawn last
        self._centres: list[float] = []   # laid-out centre y of every layer block
        self._edges: list[tuple[float, float]] = []  # (bottom of block k, top of block k+1)
        self._laid_y: dict[str | None, float] = {}
        #: called with every snapshot drawn (None when the live view is cleared): hand editing
        self.live_listeners: list = []
        document.changed.connect(self.sync)
        self.sync()

    # -- the document -> blocks ------------------------------------------------------------------
    def ordered_blocks(self) -> list[BlockItem]:
        return [self.input_block] + [self.blocks[i] for i in self.document.layer_ids()]

    def all_blocks(self) -> list[BlockItem]:
        """The input block and every layer block, in no particular order."""
        return [self.input_block, *self.blocks.values()]

    def sync(self) -> None:
        ids = self.document.layer_ids()
        for layer_id in list(self.blocks):
            if layer_id not in ids:
                self.removeItem(self.blocks.pop(layer_id))
        for layer_id in ids:
            if layer_id not in self.blocks:
                self.blocks[layer_id] = BlockItem(layer_id)
                self.addItem(self.blocks[layer_id])
        self.clear_live(relayout=False)  # the trained weights belong to the old network
        self._update_content()
        self.relayout()

    def _update_content(self) -> None:
        doc, result = self.document, self.document.validate()
        shape = doc.input_shape
        labels = doc.input_labels if len(shape) == 1 and doc.input_labels and len(
            doc.input_labels) == shape[0] and shape[0] <= MAX_LINE_UNITS else []
        self.input_block.set_content("Input", "", input_text(shape), "", "input", labels=labels)
        self.input_block.setToolTip(f"<b>Input</b><br>one sample is {input_text(shape)}"
                                    + (f": {', '.join(doc.input_labels)}" if labels else ""))
        error_id = result.error.layer_id if result.error is not None else None
        shape_in = tuple(shape)
        for config in doc.layers():
            layer_id = config["id"]
            out, n_params = result.output_shape_of(layer_id), result.params_of(layer_id)
            error = result.message if layer_id == error_id else ""
            kind = LAYER_TYPES.get(config["type"])
            block = self.blocks[layer_id]
            block.config = config
            block.set_content(kind.title if kind else config["type"], settings_text(config),
                              shape_text(out) if out is not None else "", params_text(n_params),
                              kind.family if kind else "shape", error)
            block.setToolTip(layer_tooltip(config, shape_in, out, n_params, error))
            shape_in = out

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            for block in self.all_blocks():   # their cached bodies hold the old colours
                block.update()
            for item in self.weights.values():     # chips and lines follow the font
                item.refresh_geometry()
        return super().event(event)

    @property
    def validation(self):
        return self.document.validate()

    # -- layout ----------------------------------------------------------------------------------
    def relayout(self) -> None:
        blocks, y = self.ordered_blocks(), 0.0
        self._centres, self._edges, self._laid_y = [], [], {}
        for k, block in enumerate(blocks):
            block.setPos(-style.BLOCK_WIDTH / 2, y)
            self._laid_y[block.layer_id] = y
            if k:
                self._centres.append(y + block.height() / 2)
                self._edges.append((y - style.GAP, y))
            y += block.height() + style.GAP
        self._edges.append((y - style.GAP, y))  # below the last block
        while len(self.links) < len(blocks) - 1:
            self.links.append(LinkItem())
            self.addItem(self.links[-1])
        while len(self.links) > len(blocks) - 1:
            self.removeItem(self.links.pop())
        for link, above, below in zip(self.links, blocks, blocks[1:]):
            start = QPointF(0, above.y() + above.height())
            label = (above.shape_label if above.layer_id
                     else shape_text(tuple(self.document.input_shape)))
            link.set_geometry(start, QPointF(0, below.y()), label,
                              show_line=below.layer_id not in self.weights)
        for item in self.weights.values():
            item.refresh_geometry()
        half = style.BLOCK_WIDTH / 2
        top = 24 if self.document.validate().ok else 72  # room for the view's error banner
        # a small margin on the left, room for the shape labels on the right: the view zooms the
        # network to fit this rect, so no width is wasted on an empty side
        self.setSceneRect(QRectF(-half - MARGIN, -top, 2 * half + MARGIN + LABEL_ROOM,
                                 y - style.GAP + top + 32))

    def laid_out_y(self, block: BlockItem) -> float:
        """Where ``block`` sits when nobody drags it."""
        return self._laid_y.get(block.layer_id, block.y())

    def gap_at(self, scene_y: float) -> int:
        """The insertion index for a drop at ``scene_y``: before the first block whose centre is
        below it (0 = right after the input)."""
        for index, centre in enumerate(self._centres):
            if scene_y < centre:
                return index
        return len(self._centres)

    def show_marker(self, gap: int | None) -> None:
        if gap is None:
            self.marker.hide()
            return
        bottom, top = self._edges[gap]
        self.marker.setPos(-style.BLOCK_WIDTH / 2, (bottom + top) / 2)
        self.marker.show()

    def block_at(self, scene_pos: QPointF) -> BlockItem | None:
        for item in self.items(scene_pos):
            if isinstance(item, BlockItem):
                return item
        return None

    def selected_layer_id(self) -> str | None:
        for item in self.selectedItems():
            if isinstance(item, BlockItem) and item.layer_id:
                return item.layer_id
        return None

    def input_selected(self) -> bool:
        """Whether the input block is the one selected."""
        return self.input_block.isSelected()

    def select_input(self) -> None:
        self.clearSelection()
        self.input_block.setSelected(True)

    def select_layer(self, layer_id: str | None) -> None:
        self.clearSelection()
        if layer_id in self.blocks:
            self.blocks[layer_id].setSelected(True)

    # -- live view -------------------------------------------------------------------------------
    def show_snapshot(self, snapshot) -> None:
        """Draw neuron maps and weights of the dense layers from ``snapshot`` (no new items unless
        the set of live blocks changes)."""
        self.snapshot = snapshot
        layout_changed = self._live_inputs(snapshot)
        for config in self.document.layers():
            if config["type"] == "dense":
                layout_changed |= self._live_block(config, snapshot)
            elif config["type"] in CHANNEL_TYPES:
                layout_changed |= self._live_channels(self.blocks[config["id"]], snapshot)
        layout_changed |= self._live_weights(snapshot)
        if layout_changed:
            self.relayout()
        if self.popup.isVisible() and self.popup.block is not None:
            self.popup.set_formula(self._formula(self.popup.block, self.popup.unit))
        for listener in self.live_listeners:
            listener(snapshot)

    def _live_inputs(self, snapshot) -> bool:
        """One map per input feature chip, from ``snapshot.grid_inputs`` (features, R, R). The
        grid never moves during a run, so the pixels are only rewritten when the values change."""
        block, maps = self.input_block, snapshot.grid_inputs
        before = (block.live_kind, block.n_units, block.resolution)
        if (maps is None or maps.ndim != 3 or maps.shape[1] != maps.shape[2]
                or maps.shape[0] != len(block.labels) or not block.labels):
            self._input_maps = None
            self._live_probe(snapshot)
            return before != (block.live_kind, block.n_units, block.resolution)
        units, r = maps.shape[0], maps.shape[1]
        buffer = self._buffer(block, r, units * r)
        if buffer is not block.live_buffer or not np.array_equal(maps, self._input_maps):
            fill_feature_maps(buffer, maps)
            self._input_maps = np.array(maps)
            block.set_live("inputs", units, r, buffer)
        return before != (block.live_kind, block.n_units, block.resolution)

    def _live_block(self, config: dict, snapshot) -> bool:
        block = self.blocks[config["id"]]
        maps = snapshot.grid_outputs.get(config["id"])
        weight = snapshot.weights.get(f"{config['id']}.weight")
        before = (block.live_kind, block.n_units, block.resolution)
        units = config.get("units")
        if maps is not None and maps.ndim == 3 and maps.shape[0] == units <= MAX_LINE_UNITS:
            curves = lesson_live.is_sweep(snapshot.grid_inputs)   # 1-D data: curves over x
            r = lesson_live.CURVE_PIXELS if curves else maps.shape[1]
            buffer = self._buffer(block, r, units * r)
            (lesson_live.fill_unit_curves if curves else fill_unit_maps)(
                buffer, maps, config.get("activation", "identity"))
            block.set_live("thumbs", units, r, buffer)
        elif weight is not None and weight.ndim == 2:
            buffer = self._buffer(block, weight.shape[1], weight.shape[0])
            fill_heatmap(buffer, weight)
            block.set_live("heatmap", weight.shape[0], 0, buffer)
        else:
            block.set_live(None)
        return before != (block.live_kind, block.n_units, block.resolution)

    def _probe(self, images: np.ndarray | None) -> np.ndarray | None:
        """The current probe's (C, H, W) slice of a (P, C, H, W) array, or None."""
        if images is None or images.ndim != 4 or not len(images):
            return None
        return images[min(self.probe_index, len(images) - 1)]

    def _live_probe(self, snapshot) -> None:
        """Image data: the input block shows the probe image itself, in grey (channel mean)."""
        block = self.input_block
        image = self._probe(getattr(snapshot, "probe_inputs", None))
        if image is None:
            block.set_live(None)
            return
        h, w = image.shape[1:]
        buffer = self._buffer(block, w, h)
        fill_grey_image(buffer, image.mean(0) if image.shape[0] > 1 else image[0])
        block.set_live("probe", 1, h, buffer)

    def _live_channels(self, block: BlockItem, snapshot) -> bool:
        """A row of up to MAX_CHANNELS feature maps of the probe image, "+N" for the rest, all on
        one symmetric scale ±max|a| over the layer's channels (white = 0)."""
        before = (block.live_kind, block.n_units, block.resolution, block.extra)
        maps = self._probe(snapshot.probe_activations.get(block.layer_id))
        if maps is None:
            block.set_live(None)
        else:
            c, h, w = maps.shape
            shown = min(c, MAX_CHANNELS)
            buffer = self._buffer(block, w, shown * h)
            fill_channel_maps(buffer, maps[:shown], float(np.max(np.abs(maps))))
            block.set_live("channels", shown, h, buffer, extra=c - shown)
        return before != (block.live_kind, block.n_units, block.resolution, block.extra)

    def set_probe(self, index: int) -> None:
        """Show the feature maps of probe image ``index`` (redrawn from the current snapshot)."""
        self.probe_index = max(0, int(index))
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    @staticmethod
    def _buffer(block: BlockItem, width: int, height: int) -> style.ImageBuffer:
        buffer = block.live_buffer
        if buffer is None or not buffer.fits(width, height):
            buffer = style.ImageBuffer(width, height)
        return buffer

    def _live_weights(self, snapshot) -> bool:
        """Weight lines into every thumbnailed dense block whose predecessor has matching nodes."""
        wanted: dict[str, tuple[BlockItem, BlockItem, np.ndarray]] = {}
        blocks = self.ordered_blocks()
        for above, below in zip(blocks, blocks[1:]):
            weight = snapshot.weights.get(f"{below.layer_id}.weight")
            if (below.live_kind == "thumbs" and weight is not None and weight.ndim == 2
                    and weight.shape == (below.n_units, above.node_count()) and weight.shape[1]):
                wanted[below.layer_id] = (above, below, weight)
        changed = set(wanted) != set(self.weights) or any(
            self.weights[k].source is not wanted[k][0] for k in wanted if k in self.weights)
        for layer_id in list(self.weights):
            if layer_id not in wanted or self.weights[layer_id].source is not wanted[layer_id][0]:
                self.removeItem(self.weights.pop(layer_id))
        for layer_id, (above, below, weight) in wanted.items():
            if layer_id not in self.weights:
                self.weights[layer_id] = WeightsItem(above, below)
                self.addItem(self.weights[layer_id])
            self.weights[layer_id].set_weight(weight)
        return changed

    def clear_live(self, relayout: bool = True) -> None:
        self.snapshot = None
        self.popup.hide()
        self.popup.block = None
        self.pinned = None
        for item in self.weights.values():
            self.removeItem(item)
        self.weights.clear()
        for block in self.all_blocks():
            block.set_live(None)
        self._input_maps = None
        for listener in self.live_listeners:
            listener(None)
        if relayout:
            self.relayout()

    # -- the hovered neuron ----------------------------------------------------------------------
    def neuron_hovered(self, block: BlockItem, unit: int | None) -> None:
        """Hovering shows a neuron's map large; leaving it goes back to the pinned one, if any."""
        if unit is None or block.live_kind != "thumbs" or self.snapshot is None:
            pinned = self.pinned
            if pinned is not None and pinned[0].scene() is self:
                self._show_popup(*pinned)
            else:
                self.popup.hide()
            return
        self._show_popup(block, unit)

    def neuron_clicked(self, block: BlockItem, unit: int | None) -> None:
        """A click on a thumbnail pins its large map (a second click on it, or a click anywhere
        else on a block, lets it go)."""
        if unit is None or block.live_kind != "thumbs" or self.snapshot is None \
                or self.pinned == (block, unit):
            self.pinned = None
            self.popup.hide()
            return
        self.pinned = (block, unit)
        self._show_popup(block, unit)

    def _show_popup(self, block: BlockItem, unit: int) -> None:
        pinned = self.pinned == (block, unit)
        self.popup.show_neuron(block, unit, f"{block.layer_id} · neuron {unit + 1}"
                               + ("  (pinned: click it again to let go)" if pinned else ""),
                               self._formula(block, unit))

    def _formula(self, block: BlockItem, unit: int) -> str:
        weights = self.snapshot.weights if self.snapshot is not None else {}
        weight = weights.get(f"{block.layer_id}.weight")
        if weight is None or unit >= weight.shape[0]:
            return ""
        bias = weights.get(f"{block.layer_id}.bias")
        blocks = self.ordered_blocks()
        above = blocks[blocks.index(block) - 1]
        labels = self.input_block.labels
        if above.layer_id is None and len(labels) == weight.shape[1]:
            names = list(labels)
        elif above.layer_id is None:
            names = [f"x{i + 1}" for i in range(weight.shape[1])]
        else:
            names = [f"{above.layer_id}[{i + 1}]" for i in range(weight.shape[1])]
        activation = block.config.get("activation", "identity")
        b = None if bias is None else float(bias[unit])
        if activation == "softmax":     # normalised over the layer: z_j, then e^z_j / Σ e^z_k
            text = lesson_live.softmax_formula(self.snapshot, block.layer_id, above.layer_id, unit,
                                               names)
            if text:
                return text
        return neuron_formula(f"{block.layer_id}[{unit + 1}]", activation, weight[unit], b, names)
