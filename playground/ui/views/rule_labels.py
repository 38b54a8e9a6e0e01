"""Weights & gradients for a network trained by a classic rule (perceptron, ADALINE): the rules
have no gradient, so the plots show what the rule did instead, the update delta w of the last
step (``engine.rules.apply`` leaves it in the gradient buffers), and say so in their titles,
axis labels and tooltips. Backprop gets its own labels back.
"""
from __future__ import annotations

import pyqtgraph as pg

RULE_NAMES = {"perceptron": "perceptron", "adaline": "ADALINE",
              "adaline_normalized": "unit-norm ADALINE"}

RULE_NORM_TIP = ("The size of each step's update, not a gradient: the {rule} rule has no gradient: it moves the weights by Δw = η e x for each "
                 "example (e = y − ŷ for the perceptron, y − z for ADALINE). This is the L2 norm "
                 "‖Δw‖ of what one step (one batch) changed, per layer, on a log axis.{extra}")
PERCEPTRON_EXTRA = (" A step whose examples are all classified right changes nothing and has no "
                    "point: once the classes are separated the line stops.")
RULE_GRAD_TIP = ("How the last step's update Δw (w after − w before) is spread over the weights. "
                 "The {rule} rule has no gradient dL/dW; this is what it did instead.")


def _labels(view) -> dict:
    """The view's own (backprop) titles, labels and tooltips, read before a rule changes them."""
    return {"title": view.norm_plot.titleLabel.text,
            "left": view.norm_plot.getAxis("left").labelText,
            "norm_tip": view.norm_plot.toolTip(),
            "grad": view.grad_hist_plot.getAxis("bottom").labelText,
            "grad_tip": view.grad_hist_plot.toolTip(),
            "tab_tip": view.tabs.tabToolTip(0)}


def _put(view, labels: dict) -> None:
    view.norm_plot.setTitle(labels["title"])
    view.norm_plot.setLabel("left", labels["left"])
    view.norm_plot.setToolTip(labels["norm_tip"])
    view.grad_hist_plot.setLabel("bottom", labels["grad"])
    view.grad_hist_plot.setToolTip(labels["grad_tip"])
    view.tabs.setTabToolTip(0, labels["tab_tip"])


def label_for_rule(view, rule: str) -> None:
    """Titles, labels and tooltips of ``view`` (a WeightsView) for ``rule``; cheap when unchanged."""
    if getattr(view, "_labelled_rule", "backprop") == rule:
        return
    if getattr(view, "_labelled_rule", "backprop") == "backprop":
        view._backprop_labels = _labels(view)
    view._labelled_rule = rule
    name = RULE_NAMES.get(rule)
    if name is None:                                    # backprop: its own labels back
        _put(view, view._backprop_labels)
        return
    extra = PERCEPTRON_EXTRA if rule == "perceptron" else ""
    # short: a long title would widen the dock (the rule's name and why are in the tooltip)
    _put(view, {"title": "update size ‖Δw‖ per step (log)",
                "left": "‖Δw‖",
                "norm_tip": RULE_NORM_TIP.format(rule=name, extra=extra),
                "grad": "Δw (last step)",
                "grad_tip": RULE_GRAD_TIP.format(rule=name),
                "tab_tip": f"The layer's weights, the last update Δw of the {name} rule and its "
                           f"size per step"})


ZERO_NOTE = "last step: Δw = 0\n(its batch had no mistake)"


def note_zero_update(view, snap) -> None:
    """A note in the middle of the update plot while a rule's last step moved no weight (a
    perceptron past its last mistake: log ‖Δw‖ has no point for 0), so the plot is never blank
    without a word."""
    note = getattr(view, "_zero_note", None)
    norms = getattr(snap, "grad_norms", {}) or {}
    zero = getattr(snap, "rule", "backprop") in RULE_NAMES and snap.step > 0 and bool(norms) \
        and all(v == 0 for v in norms.values())
    if note is None:
        if not zero:
            return
        box = view.norm_plot.getViewBox()
        note = view._zero_note = pg.TextItem(ZERO_NOTE, color=(110, 110, 110), anchor=(0.5, 0.5))
        note.setParentItem(box)

        def centre(*_args):
            rect = box.boundingRect()
            note.setPos(rect.center())
        box.sigResized.connect(centre)
        centre()
    note.setVisible(zero)
