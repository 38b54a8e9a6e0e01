"""The Compare dock: small multiples of decision maps, and per-layer histograms.

"Decision maps": one small map per configuration of a comparison (live) and per pinned run
(as it was when pinned), each titled in its curve's colour, with the training points. The maps
are drawn only when a configuration's map is a new array (the worker refreshes them a few times
a second) and never bigger than the worker made them.

"Layers" (comparisons that measured them): for the chosen configuration, the histograms of each
layer's activations and of the log10 size of its weight gradients, at step 0 and now. Each row
is a layer (the input side at the bottom), darker cells hold more values: vanishing gradients
show as rows sliding left towards 1e-12, saturated tanh as activations piled at -1 and +1.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QMenu, QTabWidget, QToolButton,
                               QVBoxLayout, QWidget)

from .. import theme
from .output_view import SmoothImageItem
from .run_overlay import PINNED_COLORS, VARIANT_COLORS

MAPS_TIP = ("Each configuration's decision map over the input plane, side by side: where the "
            "network says class 1 (blue) and class 0 (orange), with the training points. The "
            "colours of the titles are those of the curves.")
LAYERS_TIP = ("Per layer (rows; the first hidden layer at the bottom): how the layer's outputs "
              "(activations) and its weight gradients are spread, on a probe batch of 256 "
              "training examples, at step 0 and now. Gradients are binned by log10 |dJ/dW|: "
              "a row far to the left is a layer whose gradient has vanished.")
UNPIN_TIP = "Remove a pinned run, or all of them"
MAX_COLUMNS = 4
HIST_TITLES = (("activations, step 0", "act", "start"), ("activations, now", "act", "now"),
               ("log10 |gradient|, step 0", "grad", "start"), ("log10 |gradient|, now", "grad", "now"))


class _Tile:
    """A title and a map in the maps' graphics layout."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int):
        self.title = layout.addLabel("", row=2 * row, col=col, size="8pt")
        self.box = layout.addViewBox(row=2 * row + 1, col=col, lockAspect=True, enableMouse=False)
        self.box.setMenuEnabled(False)
        self.image = SmoothImageItem()        # blended like the Output's map, not blocks
        self.points = pg.ScatterPlotItem(size=4, pen=pg.mkPen(255, 255, 255, 200, width=0.8))
        self.box.addItem(self.image)
        self.box.addItem(self.points)
        self.shown = None                     # the array drawn last


def two_lines(label: str, room: int = 11) -> str:
    """A long title broken in two (at " · " or a space near the middle), so narrow tiles hold it."""
    if len(label) <= room:
        return label
    if " · " in label:
        head, tail = label.split(" · ", 1)
        return f"{head}<br>{tail}"
    spaces = [i for i, c in enumerate(label) if c == " "]
    if not spaces:
        return label
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:cut]}<br>{label[cut + 1:]}"


class CompareView(QWidget):
    """``show_variants(states)``, ``set_pinned(runs, labels)``, ``set_session(session)``;
    ``unpin_requested(index)`` (-1: all)."""

    unpin_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._extent = 6.0
        self._levels = (0.0, 1.0)
        self._points = None                  # (x, y, brushes) of the training points
        self._variants: list = []
        self._pinned: list = []
        self._pinned_labels: list[str] = []
        self._tiles: list[_Tile] = []
        self._stats_key = None
        self.caption = QLabel("Pin a run (Train ▸ Pin run) or open a comparison example "
                              "(File ▸ Examples) to see runs side by side.")
        self.caption.setWordWrap(True)
        self.caption.setObjectName("muted")
        self.unpin = QToolButton()
        self.unpin.setText("Unpin")
        self.unpin.setToolTip(UNPIN_TIP)
        self.unpin.setPopupMode(QToolButton.InstantPopup)
        self.unpin.setMenu(QMenu(self.unpin))
        self.unpin.setVisible(False)
        self.maps = pg.GraphicsLayoutWidget()
        self.maps.setToolTip(MAPS_TIP)
        self.grid = self.maps.ci
        self.grid.setSpacing(2)
        maps_page = QWidget()
        box = QVBoxLayout(maps_page)
        box.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 0)
        top.addWidget(self.caption, 1)
        top.addWidget(self.unpin, 0, Qt.AlignTop)
        box.addLayout(top)
        box.addWidget(self.maps, 1)
        self.which = QComboBox()
        self.which.setToolTip("The configuration whose layers are shown")
        self.hists = pg.GraphicsLayoutWidget()
        self.hists.setToolTip(LAYERS_TIP)
        self.hists.ci.setContentsMargins(2, 2, 10, 2)
        self._hist_plots = {}
        for i, (title, kind, when) in enumerate(HIST_TITLES):
            plot = self.hists.addPlot(row=i // 2, col=i % 2)
            plot.setTitle(title, size="8pt")
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.setLabel("left", "layer")
            plot.getAxis("left").setWidth(34)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)
            image = pg.ImageItem()
            image.setColorMap(pg.ColorMap([0.0, 1.0], [(255, 255, 255), (40, 40, 120)]))
            plot.addItem(image)
            self._hist_plots[(kind, when)] = (plot, image)
        layers_page = QWidget()
        lbox = QVBoxLayout(layers_page)
        lbox.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(QLabel("Configuration"))
        row.addWidget(self.which, 1)
        lbox.addLayout(row)
        lbox.addWidget(self.hists, 1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(maps_page, "Decision maps")
        self.tabs.addTab(layers_page, "Layers")
        self.tabs.setTabToolTip(1, LAYERS_TIP)
        self.tabs.setTabEnabled(1, False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self.which.currentIndexChanged.connect(lambda _: self._draw_stats(force=True))
        self.tabs.currentChanged.connect(lambda i: i == 1 and self._draw_stats(force=True))

    # -- inputs ----------------------------------------------------------------------------------
    def set_session(self, session) -> None:
        """The plane's extent, the map's colour levels and the training points, from the session."""
        ds = session.dataset
        self._extent = float(session.extent)
        act = session.network.output_activation
        self._levels = (-1.0, 1.0) if act == "tanh" else (0.0, 1.0)
        self._two_d = ds.kind == "2d"
        self._points = None
        if ds.kind == "2d" and ds.task == "classification":
            x = np.asarray(ds.x_train)[:400]
            labels = np.asarray(ds.y_train)[:400].reshape(len(x), -1)
            labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels[:, 0].astype(int)
            colors = theme.class_rgb(max(ds.n_classes, 2)).astype(int)
            # one brush per class, indexed per point: pyqtgraph renders a symbol per distinct
            # brush, and a fresh brush per point made the first draw of five tiles take ~0.4 s
            palette = np.empty(len(colors), dtype=object)
            palette[:] = [pg.mkBrush(*c) for c in colors]
            self._points = (x[:, 0], x[:, 1], palette[np.clip(labels, 0, len(colors) - 1)])
        for tile in self._tiles:
            tile.shown = None
            self._set_points(tile)
        self._variants = []
        self.which.clear()
        self._stats_key = None
        self._layout_tiles()

    def show_variants(self, states: list) -> None:
        """A comparison snapshot's configurations (``VariantState``)."""
        if [s.label for s in states] != [s.label for s in self._variants]:
            self._variants = list(states)
            self.which.blockSignals(True)
            self.which.clear()
            self.which.addItems([s.label for s in states if s.stats_start is not None])
            self.which.blockSignals(False)
            self.tabs.setTabEnabled(1, self.which.count() > 0)
            self._layout_tiles()
        self._variants = list(states)
        self._draw_maps()
        if self.tabs.currentIndex() == 1:
            self._draw_stats()

    def set_pinned(self, runs: list, labels: list[str]) -> None:
        self._pinned, self._pinned_labels = list(runs), list(labels)
        menu = self.unpin.menu()
        menu.clear()
        for i, label in enumerate(labels):
            menu.addAction(f"Unpin {label}", lambda i=i: self.unpin_requested.emit(i))
        if labels:
            menu.addSeparator()
            menu.addAction("Unpin all", lambda: self.unpin_requested.emit(-1))
        self.unpin.setVisible(bool(labels))
        self._layout_tiles()
        self._draw_maps()

    @property
    def has_content(self) -> bool:
        return bool(self._variants or self._pinned)

    # -- drawing ---------------------------------------------------------------------------------
    def _entries(self) -> list[tuple[str, tuple, np.ndarray | None]]:
        out = [(s.label, VARIANT_COLORS[i % len(VARIANT_COLORS)], s.map)
               for i, s in enumerate(self._variants)]
        out += [(label, PINNED_COLORS[i % len(PINNED_COLORS)], run.map)
                for i, (run, label) in enumerate(zip(self._pinned, self._pinned_labels))]
        return out

    def _layout_tiles(self) -> None:
        entries = self._entries()
        n = len(entries)
        self.grid.clear()
        self._tiles = []
        columns = min(MAX_COLUMNS, max(1, n if n <= 3 else (n + 1) // 2 if n <= 8 else MAX_COLUMNS))
        for i in range(n):
            tile = _Tile(self.grid, i // columns, i % columns)
            self._set_points(tile)
            self._tiles.append(tile)
        self.caption.setVisible(not n)
        self._columns = columns
        self._set_titles()

    def _set_titles(self) -> None:
        """Titles on one line where the tile is wide enough, else on two."""
        columns = getattr(self, "_columns", 1)
        room = max(8, int(self.maps.width() / max(columns, 1) / 6.5) - 3)
        for tile, (label, color, _) in zip(self._tiles, self._entries()):
            r, g, b = color
            text = two_lines(label, room)
            tile.title.setText(f'<span style="color: rgb({r},{g},{b})">■</span> {text}')

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._set_titles()

    def _set_points(self, tile: _Tile) -> None:
        if self._points is None:
            tile.points.setData([], [])
        else:
            x, y, brushes = self._points
            tile.points.setData(x, y, brush=brushes)
        e = self._extent
        tile.box.setRange(xRange=(-e, e), yRange=(-e, e), padding=0)

    def _draw_maps(self) -> None:
        e = self._extent
        rect = QRectF(-e, -e, 2 * e, 2 * e)
        for tile, (_label, _color, image) in zip(self._tiles, self._entries()):
            if image is None or image is tile.shown:
                continue
            tile.shown = image
            if image.shape[0] > 1:
                tile.image.setImage(theme.blend_classes(image)[::-1], autoLevels=False, rect=rect)
            else:
                tile.image.setColorMap(theme.diverging_colormap())
                tile.image.setImage(image[0][::-1], autoLevels=False, levels=self._levels, rect=rect)

    def _draw_stats(self, force: bool = False) -> None:
        label = self.which.currentText()
        state = next((s for s in self._variants if s.label == label), None)
        if state is None:
            return
        key = (label, id(state.stats_now), id(state.stats_start))
        if key == self._stats_key and not force:
            return
        self._stats_key = key
        for when, stats in (("start", state.stats_start), ("now", state.stats_now or state.stats_start)):
            if stats is None:
                continue
            for kind, edges, hist in (("act", stats.act_edges, stats.act_hist),
                                      ("grad", stats.grad_edges, stats.grad_hist)):
                plot, image = self._hist_plots[(kind, when)]
                rows = hist / np.maximum(hist.sum(axis=1, keepdims=True), 1)
                n = len(stats.ids)
                image.setImage(rows, autoLevels=False, levels=(0, max(float(rows.max()), 1e-9)),
                               rect=QRectF(edges[0], 0.5, edges[-1] - edges[0], n))
                plot.setXRange(edges[0], edges[-1], padding=0)
                plot.setYRange(0.5, n + 0.5, padding=0)
                plot.getAxis("left").setTicks([[(i + 1, str(i + 1)) for i in range(n)]])

    def clear_variants(self) -> None:
        if self._variants:
            self._variants = []
            self.tabs.setTabEnabled(1, False)
            self._layout_tiles()
