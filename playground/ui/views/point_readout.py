"""Under the decision map: the hovered point's target next to the network's output there.

For classes the target is written one-hot (notes 1.6.2): class 2 of 3 is [0 1 0], which is what
softmax's outputs are trained towards; for multi-label data it is the multi-hot row [1 0 1]; for
one sigmoid output it is the 0 or 1 the output should reach. The network's output is read from the
map at the pixel under the point (the map is the network evaluated on the grid), so it follows
training frame by frame. The last point hovered stays shown, so the numbers can be watched.

The numbers are worked out once, here, as a ``PointReading``; ``reading_changed`` hands the same
reading to the Inspector (output layer) and the Data panel, which write it with ``short_text``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy

PICK_PIXELS = 8.0          # how close the mouse must be to a point, on screen
HINT = "Hover over a point to compare its target with the network's output there."
SHORT_HINT = "Hovered point: hover a point on the decision map."
TIP = ("The target the network is trained towards for this point, next to what it outputs at the "
       "point (read from the map at the pixel under it). Classes are written one-hot: class k of "
       "K is a row of K numbers, 1 at place k and 0 elsewhere (notes 1.6.2); multi-label targets "
       "have a 1 for every label the point carries.")


def _vector(values) -> str:
    """[0 1 0] for targets of 0s and 1s, [0.08 0.87 0.05] for anything else."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if np.all((values == 0) | (values == 1)):
        return "[" + " ".join(str(int(v)) for v in values) + "]"
    return "[" + " ".join(f"{v:.2f}" for v in values) + "]"


def target_row(y, task: str, n_outputs: int) -> np.ndarray:
    """The target as the network's outputs should read it: one-hot for classes over several
    outputs, the label itself for one output, the row itself for multi-label or regression."""
    y = np.asarray(y).reshape(-1)
    if task == "classification" and n_outputs > 1:
        row = np.zeros(n_outputs)
        row[int(y[0])] = 1.0
        return row
    return y.astype(np.float64)


@dataclass(frozen=True)
class PointReading:
    """What the readout shows: ``active`` when the data are points on the plane; ``index`` is
    None until a point is hovered."""
    active: bool
    name: str = ""                          # "training" or "test"
    index: int | None = None
    x: tuple[float, float] = (0.0, 0.0)
    target: np.ndarray | None = None        # the row the outputs are trained towards
    output: np.ndarray | None = None        # the network's outputs at the point (None: not drawn)
    kind: str = ""                          # "one-hot", "class", "multi-hot" or "value"
    label: str = ""                         # the class's name, for classes

    @property
    def target_text(self) -> str:
        return _vector(self.target)

    @property
    def output_text(self) -> str:
        return "—" if self.output is None else _vector(self.output)

    def full_text(self) -> str:
        """The row under the decision map."""
        if self.index is None:
            return HINT
        label = f" = {self.label}" if self.label else ""
        return (f"{self.name.capitalize()} point {self.index + 1} at ({self.x[0]:.2f}, "
                f"{self.x[1]:.2f}): target ({self.kind}) <b>{self.target_text}</b>{label} · "
                f"network output here <b>{self.output_text}</b>")

    def short_text(self) -> str:
        """For a narrow panel: 'Hovered point: target (one-hot) [0 1 0] · output [...]'."""
        if self.index is None:
            return SHORT_HINT
        kind = self.kind.replace("-", "\u2011")   # a narrow panel does not break "one-hot"
        target, output = (v.replace(" ", "&nbsp;") for v in (self.target_text, self.output_text))
        return (f"Hovered point ({self.name} {self.index + 1}): target ({kind}) "
                f"<b>{target}</b> · output <b>{output}</b>")


class PointReadout(QLabel):
    """A label row that follows the hovered data point of an output view's plot; every new
    reading also goes out as ``reading_changed(PointReading)``."""

    reading_changed = Signal(object)

    def __init__(self, plot: pg.PlotItem):
        super().__init__(HINT)
        self.plot = plot
        self.setObjectName("muted")
        self.setToolTip(TIP)
        self.setWordWrap(True)
        self.setTextFormat(Qt.RichText)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.ds = None
        self.point = None                  # (set name, index) of the point shown
        self.reading = PointReading(False)
        self.grid = None                   # the last map: (k, R, R) outputs
        self.extent = 6.0
        self.test_visible = lambda: False
        self.shown: dict[str, np.ndarray | None] = {}   # per set: the indices drawn (None: all)
        plot.scene().sigMouseMoved.connect(self._on_moved)

    def set_session(self, session, active: bool) -> None:
        """Points on the plane (2-D data) only; forget the point of an earlier dataset."""
        ds = session.dataset if session is not None else None
        self.ds = ds if active and ds is not None and ds.kind == "2d" else None
        self.n_outputs = int(session.network.output_shape[-1]) if self.ds is not None else 0
        self.extent = float(session.extent) if session is not None else 6.0
        self.point, self.grid = None, None
        self.reading = PointReading(self.ds is not None)
        self.setVisible(self.ds is not None)
        self.setText(HINT)
        self.reading_changed.emit(self.reading)

    def show_outputs(self, grid: np.ndarray | None) -> None:
        """The map just drawn (k, R, R); refreshes the numbers of the point shown."""
        self.grid = grid
        if self.point is not None:
            self._show()

    def _on_moved(self, pos) -> None:
        if self.ds is None:
            return
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(pos):
            return
        found = self.nearest(vb.mapSceneToView(pos), vb.viewPixelSize())
        if found is not None and found != self.point:
            self.point = found
            self._show()

    def nearest(self, at, pixel) -> tuple[str, int] | None:
        """The data point within PICK_PIXELS of ``at`` (view coordinates), nearest first."""
        sets = [("training", self.ds.x_train)]
        if self.test_visible():
            sets.append(("test", self.ds.x_test))
        best, best_d = None, PICK_PIXELS ** 2
        for name, x in sets:
            drawn = self.shown.get(name)           # a big data set: only the points drawn
            x = np.asarray(x) if drawn is None else np.asarray(x)[drawn]
            if not len(x):
                continue
            d = ((x[:, 0] - at.x()) / pixel[0]) ** 2 + ((x[:, 1] - at.y()) / pixel[1]) ** 2
            i = int(np.argmin(d))
            if d[i] <= best_d:
                best, best_d = (name, i if drawn is None else int(drawn[i])), float(d[i])
        return best

    def output_at(self, x1: float, x2: float) -> np.ndarray | None:
        """The map's values at the pixel containing (x1, x2) (grid row 0 is the top)."""
        if self.grid is None:
            return None
        k, r, _ = self.grid.shape
        step = 2 * self.extent / r
        col = int(np.clip((x1 + self.extent) // step, 0, r - 1))
        row = int(np.clip((self.extent - x2) // step, 0, r - 1))
        return np.asarray(self.grid[:, row, col], dtype=np.float64)

    def read(self) -> PointReading:
        """The reading of the point shown: its target row and the outputs under it."""
        name, i = self.point
        ds = self.ds
        x = np.asarray(ds.x_train if name == "training" else ds.x_test)[i]
        y = np.asarray(ds.y_train if name == "training" else ds.y_test)[i]
        kind = {"classification": "one-hot" if self.n_outputs > 1 else "class",
                "multilabel": "multi-hot"}.get(ds.task, "value")
        label = ""
        if ds.task == "classification" and ds.class_names:
            label = ds.class_names[int(np.asarray(y).reshape(-1)[0])]
        return PointReading(True, name, i, (float(x[0]), float(x[1])),
                            target_row(y, ds.task, self.n_outputs),
                            self.output_at(float(x[0]), float(x[1])), kind, label)

    def _show(self) -> None:
        self.reading = self.read()
        self.setText(self.reading.full_text())
        self.reading_changed.emit(self.reading)
