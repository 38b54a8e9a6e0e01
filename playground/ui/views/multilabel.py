"""Multi-label data in the output view (notes 1.6.1): a point may carry any number of labels.

- Every point is a small pie with one fixed slice per label: the slice is filled with the label's
  colour when the point carries it and left white when it does not, so a point with no label is
  an empty (white) pie, never mistaken for the first label.
- The map tints the plane once per label: white where no output says yes, a label's colour where
  its sigmoid is near 1, and where labels overlap their tints combine as overlapping colour
  filters would. The legend (the caption row) shows each label's colour and every overlap.
"""
from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath

from .. import theme
from .sampling import shown_points, take

POINT_SIZE = 11
STRENGTH = 0.85           # how far a sure label (p = 1) tints white towards its colour


def slice_symbol(k: int, n: int) -> QPainterPath:
    """Slice ``k`` of ``n`` of a unit pie (pyqtgraph symbols live in [-0.5, 0.5]^2)."""
    path = QPainterPath()
    path.moveTo(0, 0)
    path.arcTo(QRectF(-0.5, -0.5, 1, 1), 90 - k * 360 / n, -360 / n)
    path.closeSubpath()
    return path


def label_colours(n: int) -> np.ndarray:
    """(n, 3) colours of the labels (the class colours)."""
    return theme.class_rgb(max(n, 2))[:n]


def tint(probabilities: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """(k, R, R) label probabilities -> (R, R, 3) uint8: white tinted by every label in turn,
    each as a colour filter of strength STRENGTH·p_k (multiplied, so overlaps combine)."""
    p = np.clip(np.asarray(probabilities, dtype=np.float32), 0.0, 1.0)
    filters = 1.0 - STRENGTH * (1.0 - colours / 255.0)          # (k, 3): a sure label's filter
    rgb = np.ones(p.shape[1:] + (3,), np.float32)
    for pk, f in zip(p, filters):
        rgb *= 1.0 - pk[..., None] * (1.0 - f)
    return np.clip(np.rint(rgb * 255.0), 0, 255).astype(np.ubyte)


def _hex(rgb) -> str:
    return "#%02x%02x%02x" % tuple(int(v) for v in rgb)


LEGEND_TIP = ("Each point is a pie with one slice per label, filled with the label's colour when "
              "the point carries it; an empty white pie has no label. The map is white where no "
              "output says yes and takes a label's colour where its sigmoid is near 1; where "
              "labels overlap their colours mix as shown.")


def _entry(colour: str | None, text: str, mark: str = "■") -> str:
    """One legend entry that never breaks inside: its mark and its words held together."""
    style = f"color: {colour}; " if colour else ""
    words = _escape(text).replace(" ", "&nbsp;")
    return f'<span style="{style}font-size: 14px">{mark}</span>&nbsp;{words}'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def legend_html(names: list[str]) -> str:
    """Each label's colour and 'no label' on the first line, the overlaps' colours on the second.
    A line breaks only between entries (never inside "C above the line"), so a narrow Output
    dock reads as whole entries on more lines."""
    n = len(names)
    colours = label_colours(n)
    short = [chr(ord("A") + k) if n <= 26 else str(k + 1) for k in range(n)]
    gap = " &nbsp;"                 # a space to break at, and a little more room between entries
    labels = [_entry(_hex(c), f"{s} {name}") for c, s, name in zip(colours, short, names)]
    labels.append(_entry(None, "no label", "□"))
    combos = []
    for size in range(2, min(n, 3) + 1):
        for combo in itertools.combinations(range(n), size):
            p = np.zeros((n, 1, 1), np.float32)
            p[list(combo)] = 1.0
            combos.append(_entry(_hex(tint(p, colours)[0, 0]), "+".join(short[k] for k in combo)))
    rows = [gap.join(labels)]
    if combos:
        rows.append("overlaps:&nbsp; " + gap.join(combos))
    return "<br>".join(rows)


class MultilabelPoints:
    """The pies of the train and test points in ``plot``; inactive for other tasks."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.active = False
        self.n_labels = 0
        self.items: dict[str, list[pg.ScatterPlotItem]] = {"train": [], "test": []}
        self.counts: dict[str, np.ndarray] = {}      # labels per point, for tests and the legend

    def set_session(self, session) -> bool:
        ds = session.dataset if session is not None else None
        self.active = ds is not None and ds.kind == "2d" and ds.task == "multilabel"
        if not self.active:
            self.clear()
        return self.active

    def clear(self) -> None:
        for items in self.items.values():
            for item in items:
                item.setData([], [])

    def _ensure(self, n: int) -> None:
        if self.n_labels == n:
            return
        for items in self.items.values():
            for item in items:
                self.plot.removeItem(item)
            items.clear()
        self.n_labels = n
        colours = label_colours(n)
        for which, items in self.items.items():
            alpha = 255 if which == "train" else 150
            outline = pg.mkPen(60, 60, 60, 230, width=1.0 if which == "train" else 1.8)
            # the empty pie (white: no label) with its outline, then one slice per label
            items.append(pg.ScatterPlotItem(symbol="o", pen=outline, brush=pg.mkBrush(255, 255, 255, alpha),
                                            size=POINT_SIZE))
            for k in range(n):
                items.append(pg.ScatterPlotItem(symbol=slice_symbol(k, n), pen=None,
                                                brush=pg.mkBrush(*colours[k].astype(int), alpha),
                                                size=POINT_SIZE - 1))
            for z, item in enumerate(items):
                item.setZValue(10 + z)
                self.plot.addItem(item)

    def set_points(self, ds, show_test: bool) -> str:
        """Draw the data's pies; returns the legend (HTML) for the caption."""
        y_train, y_test = np.asarray(ds.y_train), np.asarray(ds.y_test)
        self._ensure(y_train.shape[1])
        for which, x, y in (("train", ds.x_train, y_train), ("test", ds.x_test, y_test)):
            drawn = shown_points(len(x))            # a big data set: a sample of its points
            x, y = take(x, drawn), take(y, drawn)
            items = self.items[which]
            items[0].setData(x[:, 0], x[:, 1])
            for k in range(self.n_labels):
                has = y[:, k] > 0.5
                items[1 + k].setData(x[has, 0], x[has, 1])
            self.counts[which] = (y > 0.5).sum(axis=1)
        self.set_test_visible(show_test)
        return legend_html(list(ds.class_names)[:self.n_labels])

    def set_test_visible(self, visible: bool) -> None:
        for item in self.items["test"]:
            item.setVisible(visible and self.active)

    def map_image(self, probabilities: np.ndarray, discretize: bool) -> np.ndarray:
        """The mixed map (R, R, 3) of the sigmoid outputs (each thresholded at 0.5 if asked)."""
        p = (probabilities >= 0.5).astype(np.float32) if discretize else probabilities
        return tint(p, label_colours(len(p)))
