"""Curves show each classic rule's own numbers: the perceptron's mistakes per epoch, ADALINE's MSE
of z, and the ||x|| the unit-norm variant divides its steps by."""
import numpy as np
import pytest

from playground.project.examples import load_example
from playground.project.session import build_session
from playground.ui import theme
from playground.ui.views.curves_view import CurvesView


@pytest.fixture(autouse=True)
def _theme(qapp):
    theme.apply(qapp, dark=False)


def drawn(qtbot, example, rule=None, epochs=6):
    project = load_example(example)
    if rule:
        project.training.rule = rule
    trainer = build_session(project).trainer
    view = CurvesView()
    qtbot.addWidget(view)
    for _ in range(epochs):
        trainer.run_epoch()
        view.show_snapshot(trainer.snapshot())
    return view, trainer


def test_perceptron_curve_is_its_mistakes_per_epoch(qtbot):
    view, trainer = drawn(qtbot, "perceptron")
    x, y = view.lines["mistakes"].getData()
    assert list(x) == [r["epoch"] for r in trainer.history]
    assert list(y) == [r["mistakes"] for r in trainer.history] and y[0] > 0
    assert view.lines["mistakes"].isVisible() and not view.lines["train_loss"].isVisible()
    assert view.loss_plot.getAxis("left").labelText == "mistakes"
    assert f"mistakes {trainer.history[-1]['mistakes']} in the last epoch" in view.legend.text()


@pytest.mark.parametrize("rule", ["adaline", "adaline_normalized"])
def test_adaline_curve_is_the_mse_of_z_and_the_unit_norm_shows_x_norms(qtbot, rule):
    view, trainer = drawn(qtbot, "adaline", rule)
    x, y = view.lines["train_loss"].getData()
    np.testing.assert_allclose(y, [r["train_loss"] for r in trainer.history])
    assert y.min() > 0.01                                    # not the thresholded 0.0000
    assert view.loss_plot.getAxis("left").labelText == "MSE of z"
    title = view.loss_plot.titleLabel.text
    if rule == "adaline_normalized":
        assert "‖x‖" in title and f"{trainer.history[-1]['x_norm_mean']:.2f}" in title
    else:
        assert "‖x‖" not in title
    view.show_snapshot(build_session(load_example("spiral")).trainer.snapshot())   # back to backprop
    assert view.loss_plot.getAxis("left").labelText == "loss" and "‖x‖" not in view.loss_plot.titleLabel.text
