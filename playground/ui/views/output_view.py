"""The output view: what the network computes over the input plane, with the data on top.

- 2-D classification: the decision map (the network's output on every grid point), orange for
  class 0, blue for class 1 and white at the boundary as in TensorFlow Playground; for softmax
  over k classes each pixel mixes the class colours by probability. Train points have a white
  ring, test points a dark one, so both show over a map of their own colour.
- 1-D regression: the fitted curve y = f(x) over the data points.
- 2-D regression: the output as a heat map, points coloured by their target on the same scale.
Clicking the plot emits ``point_clicked(x1, x2, button)`` for painting points.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout,
                               QWidget)

from .. import theme
from .fit_breakdown import FitBreakdown
from .multilabel import LEGEND_TIP, MultilabelPoints
from .point_readout import PointReadout
from .sampling import MAX_POINTS, shown_points, take
from .ranges import cache_axes

SHOW_TEST_TIP = ("Show the test points (with a dark ring). The network never trains on them: if it fits "
                 "the training points but not these, it is overfitting.")
DISCRETIZE_TIP = ("Colour every pixel by its predicted class only: threshold the output at 0.5 "
                  "(sigmoid: y >= 0.5 is class 1) or take argmax_k p_k (softmax). Shows the decision "
                  "boundary sharply instead of the network's confidence.")
MAP_TIP = ("The network's output over the plane: each pixel is y = f(x1, x2) computed on that "
           "point. With 'paint points' on in the Data panel, a click adds a point of the chosen "
           "class and a right-click removes the nearest painted point.")


def _levels(activation: str, task: str, y: np.ndarray) -> tuple[float, float]:
    """Fixed colour levels: the output's natural range so a colour means the same in every frame."""
    if activation in ("sigmoid", "softmax", "step"):
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    if task == "regression" and y.size:
        lo, hi = float(np.min(y)), float(np.max(y))
        return (lo, hi) if hi > lo else (lo - 1, hi + 1)
    return 0.0, 1.0


class SmoothImageItem(pg.ImageItem):
    """An image drawn with bilinear filtering when ``smooth`` is set: the decision map's pixels
    blend into a smooth surface, as in TensorFlow Playground, instead of showing as blocks."""

    smooth = True

    def render(self, *args, **kwargs):
        """As pyqtgraph renders it, then in 32-bit RGB: pyqtgraph makes an 8-bit indexed image
        when it has a lookup table, and Qt converts that to RGB on every scaled draw (about
        twice the cost of drawing the 100x100 map). Converting 10,000 pixels once is cheap."""
        super().render(*args, **kwargs)
        q = self.qimage
        if q is not None and q.format() == QImage.Format.Format_Indexed8:
            self.qimage = q.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied
                                            if q.hasAlphaChannel() else QImage.Format.Format_RGB32)

    def paint(self, painter, *args):
        painter.setRenderHint(painter.RenderHint.SmoothPixmapTransform, self.smooth)
        super().paint(painter, *args)


#: train points: the class colour with a white ring; test points: with a dark ring. Either ring
#: keeps a point visible over a map saturated in its own colour.
TRAIN_RING = (255, 255, 255)
TEST_RING = (30, 30, 30)


def _translucent(color: str, alpha: int = 215):
    c = pg.mkColor(color)
    c.setAlpha(alpha)
    return pg.mkBrush(c)


class OutputView(QWidget):
    """Decision map / fit curve with the data points; ``set_session`` then ``show_snapshot``."""

    point_clicked = Signal(float, float, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._mode = "none"             # none | classes | softmax | regression2d | curve
        self._levels = (0.0, 1.0)
        self._grid_x: np.ndarray | None = None
        self._last = None
        self.show_test = QCheckBox("Show test data")
        self.show_test.setToolTip(SHOW_TEST_TIP)
        self.discretize = QCheckBox("Discretize output")
        self.discretize.setToolTip(DISCRETIZE_TIP)
        self.caption = QLabel()
        self.caption.setObjectName("muted")
        # the class legend has a row of its own and wraps (ten classes take two lines) rather
        # than be cut short or widen the dock column
        self.caption.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.plot_widget = pg.GraphicsLayoutWidget()
        self.plot_widget.setToolTip(MAP_TIP)
        self.plot = self.plot_widget.addPlot()
        self._build_items()
        self.breakdown = FitBreakdown(self.plot)      # 1-D: the fit as a sum of hidden units
        self.breakdown.toggle.toggled.connect(self._redraw)
        self.multilabel = MultilabelPoints(self.plot)  # multi-label: pies and a tinted map
        self._layout()
        self.readout = PointReadout(self.plot)       # the hovered point's target vs output
        self.readout.test_visible = self.show_test.isChecked
        self.layout().addWidget(self.readout)
        self.show_test.toggled.connect(self._on_show_test)
        self.discretize.toggled.connect(self._redraw)
        self.plot.scene().sigMouseClicked.connect(self._on_clicked)

    # -- construction --------------------------------------------------------------------------
    def _build_items(self) -> None:
        p = self.plot
        p.setMenuEnabled(False)
        p.enableAutoRange(False)          # ranges are known: no autorange work, no axis churn
        p.setMouseEnabled(False, False)
        p.hideButtons()
        p.setLabel("bottom", "X1")
        p.setLabel("left", "X2")
        p.showGrid(x=False, y=False)
        for axis in ("bottom", "left"):       # the plane's edges (-6, 6) keep their labels
            p.getAxis(axis).setStyle(hideOverlappingLabels=False)
        self.image = SmoothImageItem(axisOrder="row-major")
        self.rgb_image = SmoothImageItem(axisOrder="row-major")
        for item in (self.image, self.rgb_image):
            p.addItem(item)
        self.curve = p.plot(pen=pg.mkPen(theme.BLUE, width=3), name="network f(x)")
        self.train_points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(TRAIN_RING, width=1.2))
        self.test_points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(TEST_RING, width=1.5))
        for points in (self.train_points, self.test_points):
            # the points stay put while the map under them changes every frame: paint them once
            # into a cached picture, not every frame (pyqtgraph culls and places each point)
            points.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            p.addItem(points)
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=theme.diverging_colormap(),
                                        interactive=False, width=12, label="output")
        self.colorbar.setImageItem(self.image, insert_in=p)
        self.legend = p.addLegend(offset=(4, 4), labelTextSize="8pt", brush=_translucent(theme.colors()["plot_bg"]),
                                  pen=pg.mkPen(theme.colors()["mid"]))
        self.legend.setVisible(False)
        self._base_margins = tuple(self.plot_widget.ci.layout.getContentsMargins())
        self._squaring = False
        p.getViewBox().sigResized.connect(self._keep_square)
        cache_axes(p)

    def _keep_square(self, *_args) -> None:
        """Make the plane's view box square by widening the layout's margins, so [-e, e] fills
        it on both axes exactly (an aspect lock would stretch one range past the data instead)."""
        if self._squaring:
            return
        layout = self.plot_widget.ci.layout
        left, top, right, bottom = layout.getContentsMargins()
        bl, bt, br, bb = self._base_margins
        rect = self.plot.getViewBox().boundingRect()
        # the box's size with the base margins: what there is to share out
        width = rect.width() + (left - bl) + (right - br)
        height = rect.height() + (top - bt) + (bottom - bb)
        side = width if self._mode == "curve" else min(width, height)
        dx, dy = (width - side) / 2, ((height - side) / 2 if self._mode != "curve" else 0.0)
        wanted = (bl + dx, bt + dy, br + dx, bb + dy)
        if max(abs(a - c) for a, c in zip(wanted, (left, top, right, bottom))) > 0.5:
            self._squaring = True
            try:
                layout.setContentsMargins(*wanted)
            finally:
                self._squaring = False

    def _layout(self) -> None:
        controls = QHBoxLayout()
        controls.setContentsMargins(6, 4, 6, 0)
        controls.addWidget(self.show_test)
        controls.addWidget(self.discretize)
        controls.addWidget(self.breakdown.toggle)
        controls.addStretch(1)
        caption = QHBoxLayout()
        caption.setContentsMargins(8, 0, 6, 0)
        caption.addWidget(self.caption, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(controls)
        box.addLayout(caption)
        box.addWidget(self.plot_widget, 1)

    # -- the data --------------------------------------------------------------------------------
    def set_session(self, session) -> None:
        """Take the data, grid and output activation of a freshly built session; draws no map yet."""
        ds = session.dataset
        activation = session.network.output_activation
        self._last = None
        self._extent = float(session.extent)
        self._n_outputs = int(session.network.output_shape[-1]) if session.network.output_shape else 1
        if ds.kind == "2d" and ds.task == "regression":
            self._mode = "regression2d"
        elif ds.kind == "2d":
            self._mode = "softmax" if self._n_outputs > 1 else "classes"
        elif ds.kind == "1d":
            self._mode = "curve"
        else:
            self._mode = "none"
        self._levels = _levels(activation, ds.task, np.asarray(ds.y_train))
        self._threshold = 0.0 if activation == "tanh" else 0.5
        self._grid_x = None if session.grid_points is None else np.asarray(session.grid_points)
        self._configure(ds, activation)
        self._set_points(ds)
        self.caption.setToolTip(LEGEND_TIP if self.multilabel.set_session(session) else "")
        if self.multilabel.active:
            self._multilabel_points(ds)
        self.breakdown.set_session(session, self._mode == "curve")
        self.readout.set_session(session, self._mode in ("classes", "softmax", "regression2d"))
        self.discretize.setVisible(self._mode != "curve")    # its place goes to the breakdown

    def _configure(self, ds, activation: str) -> None:
        scalar = self._mode in ("classes", "regression2d")
        self.image.setVisible(scalar)
        self.image.clear()
        self.rgb_image.setVisible(self._mode == "softmax")
        self.rgb_image.clear()
        self.colorbar.setVisible(scalar)
        self.curve.setVisible(self._mode == "curve")
        self.curve.setData([], [])
        self.discretize.setEnabled(self._mode in ("classes", "softmax"))
        e = self._extent
        if self._mode == "curve":
            self.plot.setLabel("bottom", "x")
            self.plot.setLabel("left", "y")
        else:
            self.plot.setLabel("bottom", "X1")
            self.plot.setLabel("left", "X2")
        self._set_ticks(e)
        self.plot.setXRange(-e, e, padding=0)
        if self._mode != "curve":
            self.plot.setYRange(-e, e, padding=0)
        label = {"classes": "P(class 1)" if activation == "sigmoid" else f"output ({activation})",
                 "regression2d": "prediction"}.get(self._mode, "output")
        self.colorbar.setLevels(self._levels)
        self.colorbar.setLabel("left", label)
        self.caption.setText({"none": "This view draws 2-D and 1-D data; image data is in the image "
                                      "views."}.get(self._mode, ""))
        self.caption.setVisible(bool(self.caption.text()))
        # the image's rect is applied with every setImage: set on an empty item it scales nothing
        self._rect = QRectF(-e, -e, 2 * e, 2 * e)

    def _set_ticks(self, e: float) -> None:
        """Ticks every 2 from -e to e on the plane (its edges labelled); automatic for y of a curve."""
        step = 2.0 if e >= 4 else 1.0
        ticks = [[(v, f"{v:g}") for v in np.arange(-e, e + step / 2, step)]]
        self.plot.getAxis("bottom").setTicks(ticks)
        self.plot.getAxis("left").setTicks(None if self._mode == "curve" else ticks)
        self._keep_square()

    def _brushes(self, ds, y: np.ndarray) -> np.ndarray:
        """One brush per point, picked by array indexing from a small palette (one brush per
        class, or 256 shades of the colour map for a regression target): building a brush per
        point took seconds for a big data set."""
        if ds.task == "regression":
            t = np.asarray(y, dtype=np.float64).reshape(len(y), -1)[:, 0]
            lo, hi = self._levels
            shades = theme.diverging_colormap().map(np.linspace(0, 1, 256), mode="byte")
            palette = np.empty(256, dtype=object)
            palette[:] = [pg.mkBrush(*c) for c in shades]
            return palette[np.round(np.clip((t - lo) / (hi - lo), 0, 1) * 255).astype(np.intp)]
        labels = np.asarray(y).reshape(len(y), -1)
        labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels[:, 0].astype(np.intp)
        colors = theme.class_rgb(max(ds.n_classes, 2)).astype(int)
        palette = np.empty(len(colors), dtype=object)
        palette[:] = [pg.mkBrush(*c) for c in colors]
        return palette[labels]

    def _set_points(self, ds) -> None:
        self.legend.clear()
        self.legend.setVisible(False)
        self.readout.shown = {}
        if self._mode != "none":
            self.caption.setText("")
            self.caption.setVisible(False)       # no empty row above the plot
        if self._mode == "none":
            self.train_points.setData([], [])
            self.test_points.setData([], [])
            return
        itr, ite = shown_points(len(ds.x_train)), shown_points(len(ds.x_test))
        self.readout.shown = {"training": itr, "test": ite}
        xtr, xte = take(ds.x_train, itr), take(ds.x_test, ite)
        ytr_all, yte_all = take(ds.y_train, itr), take(ds.y_test, ite)
        if self._mode == "curve":
            ytr, yte = ytr_all[:, 0], yte_all[:, 0]
            self.train_points.setData(xtr[:, 0], ytr, brush=pg.mkBrush(theme.ORANGE), size=6)
            self.test_points.setData(xte[:, 0], yte, pen=pg.mkPen(theme.ORANGE, width=1.5), size=6)
            # the legend goes in the caption row: inside the plot it covered the data
            (br, bg, bb), (orr, og, ob) = theme.BLUE, theme.ORANGE
            self.caption.setText(
                f'<span style="color: rgb({br},{bg},{bb})">━</span>&nbsp;network f(x)&nbsp;&nbsp; '
                f'<span style="color: rgb({orr},{og},{ob}); font-size: 14px">●</span>&nbsp;'
                f'training data')
            self.caption.setVisible(True)
            self._fit_curve_range(np.concatenate([ytr, yte]))
        else:
            self.train_points.setData(xtr[:, 0], xtr[:, 1], brush=self._brushes(ds, ytr_all), size=7)
            self.test_points.setData(xte[:, 0], xte[:, 1], brush=self._brushes(ds, yte_all),
                                     pen=pg.mkPen(TEST_RING, width=1.5), size=7)
            if self._mode in ("classes", "softmax"):
                self._class_legend(ds)
        self.test_points.setVisible(self.show_test.isChecked())
        self._sample_note(ds, itr, ite)

    def _sample_note(self, ds, itr, ite) -> None:
        """Say so under the legend when only a sample of the points is drawn."""
        if itr is None and ite is None:
            return
        note = (f"drawn: a sample of {MAX_POINTS:,} of the {len(ds.x_train):,} training points"
                if itr is not None else "")
        if ite is not None:
            note += f"{'; ' if note else 'drawn: '}{MAX_POINTS:,} of the {len(ds.x_test):,} test points"
        text = self.caption.text()
        self.caption.setText(f"{text}<br>{note}" if text else note)
        self.caption.setVisible(True)

    def _class_legend(self, ds) -> None:
        """Class colours in the caption, outside the map so no point is hidden."""
        colors = theme.class_rgb(max(ds.n_classes, 2)).astype(int)
        self.caption.setText("&nbsp;&nbsp; ".join(
            f'<span style="color: rgb({r},{g},{b}); font-size: 14px">●</span>&nbsp;{name}'
            for (r, g, b), name in zip(colors, ds.class_names[:10])))
        self.caption.setVisible(True)

    def _fit_curve_range(self, y: np.ndarray) -> None:
        lo, hi = float(np.min(y)), float(np.max(y))
        pad = 0.15 * (hi - lo or 1.0)
        self.plot.setYRange(lo - pad, hi + pad, padding=0)

    # -- drawing ---------------------------------------------------------------------------------
    def show_snapshot(self, snap) -> None:
        self._last = snap
        self._redraw()

    def _redraw(self, *_args) -> None:
        snap = self._last
        if snap is None or "output" not in snap.grid_outputs:
            return
        out = snap.grid_outputs["output"]
        self.readout.show_outputs(out if self._mode != "curve" else None)
        if self._mode == "curve" and self._grid_x is not None:
            self.curve.setData(self._grid_x[:, 0], out[0].reshape(-1))
            self.breakdown.show(snap, self._grid_x[:, 0])
        elif self._mode == "softmax":
            probs = out
            self.rgb_image.smooth = not self.discretize.isChecked()
            if self.discretize.isChecked():
                probs = np.eye(len(out), dtype=out.dtype)[out.argmax(axis=0)].transpose(2, 0, 1)
            # grid row 0 is the top of the plane; the image's row 0 is drawn at the bottom
            image = self.multilabel.map_image(out, self.discretize.isChecked()) \
                if self.multilabel.active else theme.blend_classes(probs)
            self.rgb_image.setImage(image[::-1], autoLevels=False, rect=self._rect)
        elif self._mode in ("classes", "regression2d"):
            img = out[0]
            self.image.smooth = not self.discretize.isChecked()
            if self._mode == "classes" and self.discretize.isChecked():
                lo, hi = self._levels
                img = np.where(img >= self._threshold, hi, lo)
            self.image.setImage(img[::-1], autoLevels=False, levels=self._levels, rect=self._rect)

    def _on_show_test(self, checked: bool) -> None:
        self.test_points.setVisible(checked and self._mode != "none" and not self.multilabel.active)
        self.multilabel.set_test_visible(checked)

    def _multilabel_points(self, ds) -> None:
        """Multi-label data: pies instead of one-colour points, and the mixed map's legend."""
        self.train_points.setData([], [])
        self.test_points.setData([], [])
        self.caption.setText(self.multilabel.set_points(ds, self.show_test.isChecked()))
        self.caption.setVisible(True)

    def _on_clicked(self, event) -> None:
        if self._mode in ("none",):
            return
        vb = self.plot.getViewBox()
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        point = vb.mapSceneToView(pos)
        self.point_clicked.emit(float(point.x()), float(point.y()), int(event.button().value))

    def decision_image(self) -> np.ndarray | None:
        """The map currently drawn (for tests and the screenshot check)."""
        item = self.rgb_image if self._mode == "softmax" else self.image
        return item.image

