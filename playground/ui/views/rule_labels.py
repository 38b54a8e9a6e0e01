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


def label_for_rule(view, rule: str) -> None:
    """Titles, labels and tooltips of ``view`` (a WeightsView) for ``rule``; cheap when unchanged."""
    if getattr(view, "_labelled_rule", "backprop") == rule:
        return
    view._labelled_rule = rule
    from .weights_view import GRAD_TIP, NORM_TIP
    name = RULE_NAMES.get(rule)
    if name is None:                                    # backprop
        view.norm_plot.setTitle("gradient norm per layer (log)")
        view.norm_plot.setLabel("left", "‖dL/dW‖")
        view.norm_plot.setToolTip(NORM_TIP)
        view.grad_hist_plot.setLabel("bottom", "dL/dW")
        view.grad_hist_plot.setToolTip(GRAD_TIP)
        view.tabs.setTabToolTip(0, "The chosen layer's weights and gradients, every layer's "
                                   "gradient norm")
        return
    extra = PERCEPTRON_EXTRA if rule == "perceptron" else ""
    view.norm_plot.setTitle(f"update size ‖Δw‖ per step (log): the {name} rule has no gradient")
    view.norm_plot.setLabel("left", "‖Δw‖")
    view.norm_plot.setToolTip(RULE_NORM_TIP.format(rule=name, extra=extra))
    view.grad_hist_plot.setLabel("bottom", "Δw (last step)")
    view.grad_hist_plot.setToolTip(RULE_GRAD_TIP.format(rule=name))
    view.tabs.setTabToolTip(0, f"The layer's weights, the last update Δw of the {name} rule and "
                               f"its size per step")
