"""The 1-D fit broken down into its hidden units (notes 1.7.2, universal approximation).

With a last dense layer of one linear unit, f(x) = Σ_k w_k·h_k(x) + b: the fitted curve is a
weighted sum of the hidden units' curves. With "Show the sum of hidden units" on, the output view
draws every term w_k·h_k(x) as a thin curve (blue for w_k > 0, orange for w_k < 0) under the fit.
The terms come from the same snapshot as the fit, so adding them up (plus b) gives the blue curve.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox

from .. import theme

TIP = ("Break the fit down: with one linear output unit, f(x) = Σ w_k·h_k(x) + b, so the curve is "
       "a weighted sum of the hidden units' curves. Each thin curve is one term w_k·h_k(x) (blue "
       "when w_k > 0, orange when w_k < 0); added up with the bias b they give the fit.")
UNAVAILABLE = ("Needs 1-D data and a last dense layer of one linear unit: then the fit is a "
               "weighted sum of the previous layer's curves.")
MAX_TERMS = 64


def fit_terms(snapshot, layer_id: str, source_id: str) -> tuple[np.ndarray, float, np.ndarray] | None:
    """(terms (units, n) = w_k·h_k(x) over the curve's x, bias b, weights w) from ``snapshot``,
    or None."""
    weight = snapshot.weights.get(f"{layer_id}.weight")
    bias = snapshot.weights.get(f"{layer_id}.bias")
    hidden = snapshot.grid_outputs.get(source_id)
    if weight is None or hidden is None or weight.ndim != 2 or weight.shape[0] != 1:
        return None
    h = np.asarray(hidden, dtype=np.float64).reshape(hidden.shape[0], -1)
    if h.shape[0] != weight.shape[1]:
        return None
    w = weight[0].astype(np.float64)
    return w[:, None] * h, (0.0 if bias is None else float(np.asarray(bias).reshape(-1)[0])), w


class FitBreakdown:
    """The toggle and the term curves in an output view's plot."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.toggle = QCheckBox("Sum of hidden units")
        self.toggle.setToolTip(TIP)
        self.toggle.setVisible(False)
        self.items: list[pg.PlotDataItem] = []
        self.layer_id = self.source_id = None
        self.last_terms: np.ndarray | None = None      # what is drawn (for tests)
        self.last_bias = 0.0

    def set_session(self, session, curve_mode: bool) -> None:
        """Decide whether this session's fit can be broken down, and by which layers."""
        self.layer_id = self.source_id = None
        layers = session.network.layers if session is not None else []
        last = layers[-1] if layers else None
        if (curve_mode and len(layers) >= 2 and last.type_name == "dense"
                and last.config.get("units") == 1
                and last.config.get("activation", "identity") == "identity"):
            self.layer_id, self.source_id = last.id, layers[-2].id
        self.toggle.setVisible(curve_mode)
        self.toggle.setEnabled(self.layer_id is not None)
        self.toggle.setToolTip(TIP if self.layer_id is not None else UNAVAILABLE)
        self.clear()

    def clear(self) -> None:
        for item in self.items:
            item.setData([], [])
            item.setVisible(False)
        self.last_terms = None

    def show(self, snapshot, x: np.ndarray) -> None:
        """Draw the terms of ``snapshot`` over ``x`` (or nothing when the toggle is off)."""
        if not self.toggle.isChecked() or self.layer_id is None or snapshot is None:
            self.clear()
            return
        found = fit_terms(snapshot, self.layer_id, self.source_id)
        if found is None or found[0].shape[1] != len(x):
            self.clear()
            return
        terms, self.last_bias, w = found[0][:MAX_TERMS], found[1], found[2]
        self.last_terms = terms
        while len(self.items) < len(terms):
            item = self.plot.plot(pen=None)
            item.setZValue(-1)                 # under the fit and the data
            self.items.append(item)
        for k, item in enumerate(self.items):
            if k < len(terms):
                colour = pg.mkColor(theme.BLUE if w[k] >= 0 else theme.ORANGE)
                colour.setAlpha(170)
                item.setPen(pg.mkPen(colour, width=1.2))
                item.setData(x, terms[k])
                item.setVisible(True)
            else:
                item.setVisible(False)
