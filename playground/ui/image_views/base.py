"""What every snapshot-fed image view shares: the layer combo, the probe-image strip, the API.

The main window calls ``set_network(spec_or_network)`` when the structure changes,
``show_snapshot(snapshot)`` once per frame, ``select_layer(layer_id)`` and ``set_probe(index)``
when the user picks something elsewhere. A subclass says which layers it can show (``accepts``)
and draws in ``redraw``; this class keeps the choices and only redraws what is visible.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.engine import SpecError, Snapshot

from .cell_grid import Cell, CellGrid
from .colours import image_planes
from .layer_info import LayerInfo, describe_network, short_label

HIGHLIGHT = QColor(255, 170, 0)


class ProbeStrip(CellGrid):
    """A row of the probe images as thumbnails; clicking one picks it (``probe_chosen``)."""

    probe_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent, min_cell=22, max_cell=40)
        self.selected = 0
        self.setToolTip("Probe images: a few test images the network is run on every frame.\n"
                        "Click one to see what the layers do with it.")
        self.cell_clicked.connect(self._on_cell_clicked)
        self._images_key = None

    def set_images(self, images, selected: int) -> None:
        key = (id(images), selected)
        if key == self._images_key:
            return  # the same probe images every frame: nothing to redo
        self._images_key = key
        self.selected = selected
        planes, levels, cmap = image_planes(images)
        cells = [Cell(p, levels, cmap, border=HIGHLIGHT if i == selected else None,
                      tooltip=f"probe image {i}") for i, p in enumerate(planes)]
        self.set_cells(cells, columns=len(cells))

    def _on_cell_clicked(self, index: int) -> None:
        self.probe_chosen.emit(index)


class ImageViewBase(QWidget):
    """Base of the image views: a header row (layer combo and extra controls), an optional
    probe strip and a message line; ``layer_changed(id)`` and ``probe_changed(index)`` tell the
    main window about choices made here."""

    layer_changed = Signal(str)
    probe_changed = Signal(int)
    layer_label = "Layer:"

    def __init__(self, parent=None, probe_strip: bool = True):
        super().__init__(parent)
        self.layers: list[LayerInfo] = []
        self.snapshot: Snapshot | None = None
        self.layer_id: str | None = None
        self.probe = 0
        self.spec_error: str | None = None
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(4, 4, 4, 4)
        self.header = QHBoxLayout()
        self.header.addWidget(QLabel(self.layer_label))
        self.layer_combo = QComboBox()
        self.layer_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # room for "conv1 (conv2d, 6x28x28)"; longer names are elided in the closed combo only
        self.layer_combo.setMinimumContentsLength(20)
        self.layer_combo.currentIndexChanged.connect(self._on_layer_combo)
        self.header.addWidget(self.layer_combo)
        self._outer.addLayout(self.header)
        self.strip = ProbeStrip() if probe_strip else None
        if self.strip is not None:
            self.strip.setFixedHeight(46)
            self.strip.probe_chosen.connect(self._on_probe_chosen)
            self._outer.addWidget(self.strip)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._outer.addWidget(self.message)

    # -- the API the main window uses -----------------------------------------------------------
    def set_network(self, network) -> None:
        """A new structure (spec dict or Network): refill the layer list, keep the choice if it
        still exists. A spec that does not build leaves the view empty with its message."""
        self.spec_error = None
        try:
            self.layers = describe_network(network) if network is not None else []
        except SpecError as err:
            self.layers, self.spec_error = [], str(err)
        self.snapshot = None
        eligible = [info for info in self.layers if self.accepts(info)]
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for info in eligible:
            self.layer_combo.addItem(short_label(info), info.id)
        ids = [info.id for info in eligible]
        self.layer_id = self.layer_id if self.layer_id in ids else (ids[0] if ids else None)
        if self.layer_id is not None:
            self.layer_combo.setCurrentIndex(ids.index(self.layer_id))
        self.layer_combo.blockSignals(False)
        self.structure_changed()
        self.redraw()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        if self.strip is not None and snapshot.probe_inputs is not None:
            self.probe = min(self.probe, len(snapshot.probe_inputs) - 1)
            self.strip.set_images(snapshot.probe_inputs, self.probe)
        self.redraw()

    def select_layer(self, layer_id: str) -> None:
        """Show ``layer_id`` if this view can; otherwise keep the current choice."""
        index = self.layer_combo.findData(layer_id)
        if index >= 0:
            self.layer_combo.setCurrentIndex(index)

    def set_probe(self, index: int) -> None:
        self.probe = max(0, int(index))
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    # -- for subclasses ---------------------------------------------------------------------------
    def accepts(self, info: LayerInfo) -> bool:
        return info.is_image

    def structure_changed(self) -> None:
        """The layer list changed (called before ``redraw``)."""

    def redraw(self) -> None:
        raise NotImplementedError

    @property
    def layer(self) -> LayerInfo | None:
        return next((info for info in self.layers if info.id == self.layer_id), None)

    def info(self, layer_id: str | None) -> LayerInfo | None:
        return next((info for info in self.layers if info.id == layer_id), None)

    def waiting_text(self) -> str | None:
        """Why nothing can be drawn yet, or None when there is a layer and a snapshot."""
        if not self.layers:
            return self.spec_error or "Build a network to see this view."
        if self.layer is None:
            return "This network has no layer this view can show."
        if self.snapshot is None or self.snapshot.probe_inputs is None:
            return "Train or step the network to see its numbers here."
        return None

    # -- handlers ---------------------------------------------------------------------------------
    def _on_layer_combo(self, index: int) -> None:
        self.layer_id = self.layer_combo.itemData(index)
        self.structure_changed()
        self.redraw()
        if self.layer_id is not None:
            self.layer_changed.emit(self.layer_id)

    def _on_probe_chosen(self, index: int) -> None:
        self.set_probe(index)
        self.probe_changed.emit(index)
