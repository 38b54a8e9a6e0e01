"""The race's drawing: the surface as filled contours on a log colour scale, each racer's path
and marker in its colour, the common start, the minimum, and the selected racer's velocity arrow.
A click on the surface emits ``start_clicked(x, y)``."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem

from playground.labs import Racer, Surface

from .. import theme

GRID = 480                     #: contour image pixels per side
MAX_ARROW_SCALE = 1000        #: beyond this the velocity is too small to mean a direction
BANDS = 16                     #: filled contour bands over the log range


def contour_colormap(dark: bool) -> pg.ColorMap:
    """Quiet slate bands (low = light) so the racers' colours stand out; stepped = contours."""
    stops = (["#fbfcfd", "#e3e8ee", "#b8c2cf", "#7d8a9c", "#46505f"] if not dark else
             ["#1b2026", "#2b333d", "#45505e", "#6c7a8c", "#a9b6c6"])
    colors = [pg.mkColor(c) for c in stops]
    smooth = pg.ColorMap(np.linspace(0, 1, len(colors)), colors)
    steps = np.linspace(0, 1, BANDS)
    band_colors = smooth.map(steps, mode="qcolor")
    pos = np.repeat(np.linspace(0, 1, BANDS + 1), 2)[1:-1]
    return pg.ColorMap(pos, [c for c in band_colors for _ in range(2)])


def log_levels(surface: Surface) -> tuple[np.ndarray, float, tuple[float, float]]:
    """(log10(J - J_low + floor) on the grid, J_low, (low, high) colour levels)."""
    _, _, z = surface.grid(GRID)
    finite = z[np.isfinite(z)]
    low = float(finite.min())
    if surface.minimum is not None:
        low = min(low, float(surface.value(*surface.minimum)))
    floor = 1e-5 * (float(finite.max()) - low) + 1e-12
    logz = np.log10(np.where(np.isfinite(z), z - low + floor, finite.max() - low + floor))
    return logz, low, (float(np.percentile(logz, 0.5)), float(logz.max()))


def upsampled(image: np.ndarray, factor: int = 5) -> np.ndarray:
    """A coarse grid (41 x 41 losses) bilinearly interpolated ``factor`` times finer each way,
    so the contour bands follow the surface instead of its grid's squares."""
    rows, cols = image.shape
    r = np.linspace(0, rows - 1, (rows - 1) * factor + 1)
    c = np.linspace(0, cols - 1, (cols - 1) * factor + 1)
    across = np.array([np.interp(c, np.arange(cols), row) for row in image])
    return np.array([np.interp(r, np.arange(rows), col) for col in across.T]).T


def nice_scale(most: float) -> float:
    """The largest 1, 2 or 5 times a power of ten that is at most ``most`` (and at least 1)."""
    if most < 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(most))
    return max(m * power for m in (1, 2, 5) if m * power <= most)


class _Trail:
    """A racer's path in a growing array (doubled when full), so each frame copies only the new
    points instead of rebuilding the whole path."""

    def __init__(self):
        self.xy = np.empty((256, 2))
        self.n = 0

    def sync(self, path: list[np.ndarray]) -> np.ndarray:
        if len(path) < self.n:
            self.n = 0
        while len(path) > len(self.xy):
            self.xy = np.concatenate([self.xy, np.empty_like(self.xy)])
        if len(path) > self.n:
            self.xy[self.n:len(path)] = path[self.n:]
            self.n = len(path)
        return self.xy[:self.n]


class RacePlot(pg.PlotWidget):
    start_clicked = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        item = self.getPlotItem()
        item.setLabel("bottom", "x (first parameter)")
        item.setLabel("left", "y (second parameter)")
        item.showGrid(False, False)
        item.setMenuEnabled(False)
        self.image = pg.ImageItem()
        self.image.setZValue(-10)
        # the contours change only with the surface: paint them from a cached pixmap each frame
        self.image.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.addItem(self.image)
        self.bar = pg.ColorBarItem(colorMap=contour_colormap(theme.is_dark()), interactive=False,
                                   label="log₁₀(J − J*)", width=14)
        self.bar.setImageItem(self.image, insert_in=item)
        self.legend = item.addLegend(offset=(-8, -8), labelTextSize="9pt", verSpacing=-4)
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 200) if not theme.is_dark()
                             else pg.mkBrush(30, 34, 39, 200))
        self.minimum = pg.ScatterPlotItem(symbol="star", size=18, brush=pg.mkBrush("#ffd54f"),
                                          pen=pg.mkPen("#6d5200", width=1))
        self.minimum.setToolTip("The minimum")
        self.start = pg.ScatterPlotItem(symbol="s", size=11, brush=pg.mkBrush("#ffffff"),
                                        pen=pg.mkPen("#222222", width=2))
        self.start.setToolTip("The common start: click anywhere on the surface to move it")
        self.arrow_line = pg.PlotDataItem(pen=pg.mkPen("#111111" if not theme.is_dark() else
                                                       "#f0f0f0", width=3))
        self.arrow_head = pg.ArrowItem(headLen=16, tipAngle=34, pen=None,
                                       brush=pg.mkBrush("#111111" if not theme.is_dark() else
                                                        "#f0f0f0"))
        self.arrow_text = pg.TextItem(anchor=(0, 1), color=theme.colors()["text"],
                                      fill=pg.mkBrush(255, 255, 255, 170) if not theme.is_dark()
                                      else pg.mkBrush(20, 20, 20, 170))
        for it in (self.minimum, self.start, self.arrow_line, self.arrow_head, self.arrow_text):
            self.addItem(it)
            it.setZValue(20)
        self.paths: list[pg.PlotCurveItem] = []
        #: every racer's marker in one item (one setData a frame, not one per racer)
        self.heads = pg.ScatterPlotItem(size=11, pen=pg.mkPen("w", width=1.5))
        self.heads.setZValue(10)
        self.addItem(self.heads)
        self._brushes: list = []
        self.trails: list[_Trail] = []
        self.trajectory: pg.PlotDataItem | None = None     # 'this network': the run's path
        self.scene().sigMouseClicked.connect(self._on_clicked)

    # -- the surface --------------------------------------------------------------------------------
    def set_surface(self, surface: Surface) -> None:
        logz, _, levels = log_levels(surface)
        x0, x1, y0, y1 = surface.extent
        self.image.setImage(logz, autoLevels=False)
        self.image.setRect(x0, y0, x1 - x0, y1 - y0)
        self.bar.setLevels(levels)
        self.bar.getAxis("left").setLabel("log₁₀(J − J*)" if surface.minimum is not None
                                          else "log₁₀(J − lowest J shown)")
        self.image.setToolTip(f"{surface.title}: {surface.formula}. Darker is higher; each band "
                              "is the same factor of J − J* (a log scale). Click to set the start.")
        self.minimum.setData([surface.minimum[0]] if surface.minimum else [],
                             [surface.minimum[1]] if surface.minimum else [])
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def show_plane(self, plane) -> None:
        """'This network': the training loss over the plane (log colours, the same bands) and
        the run's trajectory projected onto it, ending at the weights now (the origin)."""
        losses = np.asarray(plane.losses, np.float64)
        finite = losses[np.isfinite(losses) & (losses > 0)]
        top = float(finite.max()) if finite.size else 1.0
        logz = np.log10(np.where(np.isfinite(losses) & (losses > 0), losses, top))
        a, b = plane.alphas, plane.betas
        da, db = 0.0, 0.0            # the interpolated image spans the grid's outer points
        self.image.setImage(upsampled(logz).T, autoLevels=False)   # rows run along b: x is a
        self.image.setRect(a[0], b[0], a[-1] - a[0], b[-1] - b[0])
        item = self.getPlotItem()
        item.setLabel("bottom", "a (along random direction d₁)")
        item.setLabel("left", "b (along random direction d₂)")
        self.bar.setLevels((float(logz.min()), float(max(logz.max(), logz.min() + 1e-6))))
        self.bar.getAxis("left").setLabel("log₁₀(training loss)")
        self.image.setToolTip("The network's training loss at w + a·d₁ + b·d₂ (d₁, d₂: random "
                              "filter-normalised directions). Darker is higher, on a log scale.")
        self.minimum.setData([], [])
        self.set_racers([], [], (0.0, 0.0))
        self.start.setToolTip("The network's weights now (the plane's origin)")
        if self.trajectory is None:
            self.trajectory = pg.PlotDataItem(pen=pg.mkPen("#e53935", width=2), symbol="o",
                                              symbolSize=4, symbolBrush="#e53935",
                                              symbolPen=None)
            self.trajectory.setZValue(6)
            self.addItem(self.trajectory)
        t = plane.trajectory if plane.trajectory is not None else np.zeros((0, 2))
        self.trajectory.setData(t[:, 0], t[:, 1])
        self.trajectory.setVisible(True)
        self.legend.addItem(self.trajectory, "training trajectory (projected)")
        self.setRange(xRange=(a[0] - da, a[-1] + da), yRange=(b[0] - db, b[-1] + db), padding=0)

    def hide_plane(self) -> None:
        item = self.getPlotItem()
        item.setLabel("bottom", "x (first parameter)")
        item.setLabel("left", "y (second parameter)")
        if self.trajectory is not None:
            self.trajectory.setVisible(False)
            self.legend.removeItem(self.trajectory)
        self.start.setToolTip("The common start: click anywhere on the surface to move it")

    # -- the racers -----------------------------------------------------------------------------------
    def set_racers(self, racers: list[Racer], colors: list[str], start) -> None:
        for it in self.paths:
            self.removeItem(it)
        self.legend.clear()
        self.paths, self.trails = [], []
        for racer, color in zip(racers, colors):
            path = pg.PlotCurveItem(pen=pg.mkPen(color, width=2), skipFiniteCheck=True)
            path.setZValue(5)
            self.addItem(path)
            self.legend.addItem(path, racer.label)
            self.paths.append(path)
            self.trails.append(_Trail())
        self._brushes = [pg.mkBrush(c) for c in colors]
        self.start.setData([start[0]], [start[1]])
        self.update_racers(racers)

    def update_racers(self, racers: list[Racer]) -> None:
        ends = np.empty((len(racers), 2))
        for i, (racer, path, trail) in enumerate(zip(racers, self.paths, self.trails)):
            xy = trail.sync(racer.path)
            path.setData(xy[:, 0], xy[:, 1])
            ends[i] = xy[-1]
        self.heads.setData(pos=ends, brush=self._brushes, data=[r.label for r in racers])

    def show_arrow(self, racer: Racer | None) -> None:
        """Momentum's velocity: the racer's next step is -v. Drawn longer by a power of ten
        (said beside it) when it is too short to see."""
        if racer is None or not racer.internals or "velocity" not in racer.internals[-1]:
            self.arrow_line.setData([], [])
            self.arrow_head.hide()
            self.arrow_text.hide()          # (an empty text still paints its background)
            return
        p = racer.path[-1]
        v = -racer.internals[-1]["velocity"]
        (x0, x1), (y0, y1) = self.viewRange()
        norm = float(np.hypot(v[0] / (x1 - x0), v[1] / (y1 - y0)))
        if not math.isfinite(norm) or norm == 0:
            return self.show_arrow(None)
        scale = nice_scale(0.15 / norm) if norm < 0.15 else 1.0
        if scale > MAX_ARROW_SCALE:        # a racer at rest: its velocity is rounding noise
            return self.show_arrow(None)
        tip = p + scale * v
        self.arrow_line.setData([p[0], tip[0]], [p[1], tip[1]])
        vb = self.getViewBox()
        a, b = vb.mapViewToScene(QPointF(*p)), vb.mapViewToScene(QPointF(*tip))
        self.arrow_head.setStyle(angle=math.degrees(math.atan2(-(b.y() - a.y()), -(b.x() - a.x()))))
        self.arrow_head.setPos(tip[0], tip[1])
        self.arrow_head.show()
        self.arrow_text.setText("−v" + (f" ×{scale:g}" if scale != 1 else ""))
        self.arrow_text.show()
        self.arrow_text.setPos(tip[0], tip[1])

    def _on_clicked(self, event) -> None:
        if event.button() != Qt.LeftButton or event.double():
            return
        vb = self.getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        point = vb.mapSceneToView(event.scenePos())
        self.start_clicked.emit(float(point.x()), float(point.y()))
