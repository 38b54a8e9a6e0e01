"""Other runs drawn over the Curves view: pinned baselines, or a comparison's configurations.

Each run is one line in the loss plot (its training loss) and one in the accuracy plot, in a
colour of its own, named in a legend row under the plots. A line is redrawn only when its
history gained a record (its last record is another object) or the x axis changed, and never
with more than MAX_POINTS points: eight runs cost about what the main curves cost.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg

#: a comparison's configurations (the main curves are hidden then, so blue and orange are free)
VARIANT_COLORS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
                  (140, 86, 75), (227, 119, 194), (23, 190, 207)]
#: pinned runs, beside the current run's blue and orange
PINNED_COLORS = [(44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75), (227, 119, 194),
                 (23, 190, 207)]
MAX_POINTS = 600
X_KEYS = {"epoch": "epoch", "step": "step", "examples": "examples seen", "seconds": "seconds"}


@dataclass
class Run:
    """One line's data: ``label`` for the legend, ``color``, the run's ``history`` records and
    ``score_key`` ("train_accuracy" or "train_r2")."""

    label: str
    color: tuple
    history: list
    diverged: str | None = None


def columns(history: list, x_key: str, y_key: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of the records that have both, thinned to MAX_POINTS (the last one kept)."""
    rows = [(r[x_key], r[y_key]) for r in history
            if x_key in r and y_key in r and math.isfinite(r[y_key])]
    if not rows:
        return np.zeros(0), np.zeros(0)
    data = np.asarray(rows, dtype=np.float64)
    if len(data) > MAX_POINTS:
        keep = np.unique(np.r_[np.linspace(0, len(data) - 1, MAX_POINTS).astype(int), len(data) - 1])
        data = data[keep]
    return data[:, 0], data[:, 1]


def score_key(history: list) -> str | None:
    for row in history[:1] + history[-1:]:
        for key in ("train_accuracy", "train_r2"):
            if key in row:
                return key
    return None


class RunOverlay:
    """Lines of other runs over ``loss_plot`` and ``score_plot``; ``legend`` is a QLabel."""

    def __init__(self, loss_plot, score_plot, legend):
        self.loss_plot, self.score_plot, self.legend = loss_plot, score_plot, legend
        self._lines: list[tuple] = []          # (loss line, score line)
        self._drawn: list[tuple] = []          # (id of last record, x key, colour) per line
        self._legend_text = None
        self.x_key = "epoch"
        self.runs: list[Run] = []

    def show(self, runs: list[Run], x_key: str) -> bool:
        """Draw ``runs``; True when a line changed (the caller may refit its ranges)."""
        self.runs = runs
        changed = x_key != self.x_key
        self.x_key = x_key
        while len(self._lines) < len(runs):
            loss = self.loss_plot.plot()
            score = self.score_plot.plot()
            self._lines.append((loss, score))
            self._drawn.append(None)
        for i, (loss, score) in enumerate(self._lines):
            if i >= len(runs):
                if self._drawn[i] is not None:
                    loss.setData([], [])
                    score.setData([], [])
                    self._drawn[i] = None
                    changed = True
                continue
            run = runs[i]
            key = (id(run.history[-1]) if run.history else None, len(run.history), x_key, run.color)
            if key == self._drawn[i]:
                continue
            if self._drawn[i] is None or self._drawn[i][3] != run.color:
                pen = pg.mkPen(run.color, width=1.8)      # a new pen re-renders the line: only
                loss.setPen(pen)                          # when the colour changes
                score.setPen(pen)
            self._drawn[i] = key
            changed = True
            loss.setData(*columns(run.history, x_key, "train_loss"))
            sk = score_key(run.history)
            score.setData(*(columns(run.history, x_key, sk) if sk else ([], [])))
        self._show_legend()
        return changed

    def clear(self) -> None:
        self.show([], self.x_key)

    def last_x(self) -> float:
        """The largest x of every line drawn (0 if none)."""
        best = 0.0
        for run in self.runs:
            for row in reversed(run.history):
                if self.x_key in row:
                    best = max(best, float(row[self.x_key]))
                    break
        return best

    def loss_values(self) -> list[np.ndarray]:
        return [columns(run.history, self.x_key, "train_loss")[1] for run in self.runs]

    def _show_legend(self) -> None:
        parts = []
        for run in self.runs:
            r, g, b = run.color
            last = next((row["train_loss"] for row in reversed(run.history)
                         if "train_loss" in row), None)
            value = f" {last:.4f}" if last is not None and math.isfinite(last) else ""
            mark = " (diverged)" if run.diverged else ""
            # an entry breaks only between entries: no-break spaces, and no-break hyphens (at
            # 1280 px "mini-batch 32" broke after "mini-")
            entry = f"{_escape(run.label)}{value}{mark}"
            entry = entry.replace(" ", "&nbsp;").replace("-", "\u2011")
            parts.append(f'<span style="color: rgb({r},{g},{b})">━</span>&nbsp;{entry}')
        text = "&nbsp;&nbsp; ".join(parts)
        if text != self._legend_text:
            self._legend_text = text
            self.legend.setText(text)
            self.legend.setVisible(True)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def variant_runs(variants: list) -> list[Run]:
    """A comparison snapshot's configurations as lines."""
    return [Run(v.label, VARIANT_COLORS[i % len(VARIANT_COLORS)], v.history, v.diverged)
            for i, v in enumerate(variants)]


def pinned_runs(pinned: list, labels: list[str]) -> list[Run]:
    return [Run(label, PINNED_COLORS[i % len(PINNED_COLORS)], run.history)
            for i, (run, label) in enumerate(zip(pinned, labels))]

