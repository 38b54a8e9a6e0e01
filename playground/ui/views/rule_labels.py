"""Weights & gradients for a network trained by a classic rule (perceptron, ADALINE): the rules
have no gradient, so the plots show what the rule did instead, the update delta w of the last
step (``engine.rules.apply`` leaves it in the gradient buffers), and say so in their titles,
axis labels and tooltips. Backprop gets its own labels back.
"""
from __future__ import annotations

RULE_NAMES = {"perceptron": "perceptron", "adaline": "ADALINE",
              "adaline_normalized": "unit-norm ADALINE"}

RULE_NORM_TIP = ("The {rule} rule has no gradient: it moves the weights by Δw = η e x for each "
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
    _put(view, {"title": f"update size ‖Δw‖ per step (log): the {name} rule has no gradient",
                "left": "‖Δw‖",
                "norm_tip": RULE_NORM_TIP.format(rule=name, extra=extra),
                "grad": "Δw (last step)",
                "grad_tip": RULE_GRAD_TIP.format(rule=name),
                "tab_tip": f"The layer's weights, the last update Δw of the {name} rule and its "
                           f"size per step"})
