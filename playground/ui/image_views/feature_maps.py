"""FeatureMapsView: every channel of a layer's output for one probe image (notes chapter 3)."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel

from .base import HIGHLIGHT, ImageViewBase
from .cell_grid import Cell, CellGrid, ColorBar
from .colours import symmetric_levels
from .probe_painter import ProbePainter

SCALES = ("per map", "per layer", "global")

TOOLTIP = ("Feature maps (notes 3.1): each filter slides over its input; at every position the\n"
           "output is a = g(Σ w·x + b), the weights times the input values under the window,\n"
           "plus the bias, through the activation g. One map per filter (channel).\n"
           "Red: positive, blue: negative, white: zero. Click a map to enlarge it.")


class FeatureMapsView(ImageViewBase):
    """A grid with one small image per channel of the selected layer's output on the chosen
    probe image. The colour scale is symmetric around zero and taken per map, per layer or over
    every layer (global), as CNN Explainer offers; clicking a map shows it large beside the grid.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.header.addWidget(QLabel("Colour scale:"))
        self.scale_combo = QComboBox()
        self.scale_combo.addItems(SCALES)
        self.scale_combo.setToolTip("Per map: each map uses its own ±max (shows every map's shape).\n"
                                    "Per layer: one ±max for the layer (compare maps).\n"
                                    "Global: one ±max for all layers (compare layers).")
        self.scale_combo.currentIndexChanged.connect(lambda _: self.redraw())
        self.header.addWidget(self.scale_combo)
        self.header.addStretch(1)
        self.hands = None                 # set by the window: painted probes go to the worker
        self.paint_box = QCheckBox("✎ Paint the probe")
        self.paint_box.setToolTip("Draw on the probe image and watch the feature maps and the "
                                  "prediction follow (no training).")
        self.paint_box.toggled.connect(self._on_paint_toggled)
        self.header.addWidget(self.paint_box)
        body = QHBoxLayout()
        self.painter = ProbePainter()
        self.painter.painted.connect(self._on_painted)
        self.painter.hide()
        body.addWidget(self.painter, 2)
        self.grid = CellGrid(min_cell=28, max_cell=280)     # grows into the dock's height
        self.grid.setToolTip(TOOLTIP)
        self.grid.cell_clicked.connect(self._on_map_clicked)
        self.enlarged_grid = CellGrid(min_cell=120, max_cell=420)
        self.enlarged_grid.setToolTip("The enlarged map; click it to close.")
        self.enlarged_grid.cell_clicked.connect(lambda _: self._on_map_clicked(self.enlarged))
        self.enlarged_grid.hide()
        body.addWidget(self.grid, 3)
        body.addWidget(self.enlarged_grid, 2)
        self._outer.insertLayout(2, body, 1)
        self.colour_bar = ColorBar()
        self.colour_bar.setToolTip("What the colours mean: red positive, white zero, blue negative.")
        self._outer.insertWidget(3, self.colour_bar)
        self.enlarged: int | None = None
        self.levels: list[tuple[float, float]] = []

    def structure_changed(self) -> None:
        self.enlarged = None
        self.painter.image = None         # a new session: its probes are the test images again

    def _on_paint_toggled(self, on: bool) -> None:
        self.painter.setVisible(on)
        self.redraw()

    def _on_painted(self, index: int, image) -> None:
        if self.hands is not None:
            self.hands.set_probe_image(index, image)

    @property
    def scale(self) -> str:
        return self.scale_combo.currentText()

    def set_scale(self, scale: str) -> None:
        self.scale_combo.setCurrentIndex(SCALES.index(scale))

    def _maps(self) -> np.ndarray | None:
        acts = self.snapshot.probe_activations.get(self.layer_id)
        if acts is None or acts.ndim != 4:
            return None
        return acts[min(self.probe, len(acts) - 1)]

    def _levels(self, maps: np.ndarray) -> list[tuple[float, float]]:
        if self.scale == "per map":
            return [symmetric_levels(m) for m in maps]
        if self.scale == "per layer":
            return [symmetric_levels(maps)] * len(maps)
        every = [a[min(self.probe, len(a) - 1)] for a in self.snapshot.probe_activations.values()
                 if a.ndim == 4]
        return [symmetric_levels(*every)] * len(maps)

    def redraw(self) -> None:
        if self.painter.isVisible() and self.snapshot is not None:
            self.painter.show_probe(self.snapshot, self.probe,
                                    self.layers[-1].id if self.layers else None)
        waiting = self.waiting_text()
        maps = None if waiting else self._maps()
        if maps is None:
            self.message.setText(waiting or f"No feature maps for '{self.layer_id}' yet.")
            self.grid.set_cells([])
            self.enlarged_grid.hide()
            return
        self.levels = self._levels(maps)
        n = len(maps)
        cells = [Cell(m, lv, title=f"ch {k}", border=HIGHLIGHT if k == self.enlarged else None,
                      tooltip=f"{self.layer_id}, channel {k}: min {m.min():.3g}, max {m.max():.3g}"
                              f"\n{TOOLTIP}")
                 for k, (m, lv) in enumerate(zip(maps, self.levels))]
        self.grid.set_cells(cells, columns=min(n, max(4, int(np.ceil(np.sqrt(n))))))
        self._draw_enlarged(maps)
        h, w = maps.shape[1:]
        info = self.layer
        self.message.setText(f"{info.id} ({info.type}): {n} maps of {h}×{w} on probe image "
                             f"{self.probe}.")
        if self.scale == "per map":
            self.colour_bar.set_levels((-1, 1), "per map: ±1 is each map's own largest |value|")
        else:
            self.colour_bar.set_levels(self.levels[0], f"{self.scale}: same colours for every map")

    def _draw_enlarged(self, maps: np.ndarray) -> None:
        if self.enlarged is None or self.enlarged >= len(maps):
            self.enlarged = None
            self.enlarged_grid.hide()
            return
        k = self.enlarged
        m = maps[k]
        self.enlarged_grid.set_cells([Cell(
            m, self.levels[k], title=f"{self.layer_id} · channel {k} ({m.shape[0]}×{m.shape[1]})",
            caption=f"min {m.min():.3g}   max {m.max():.3g}", numbers=m.size <= 64,
            tooltip="Click to close.")])
        self.enlarged_grid.show()

    def _on_map_clicked(self, index: int | None) -> None:
        self.enlarged = None if index == self.enlarged else index
        self.redraw()
