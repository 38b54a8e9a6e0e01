"""Weights & gradients for the perceptron and ADALINE: the rules have no gradient, so the norm
plot draws the size of each step's update ‖Δw‖ (titled so) and the histogram the last Δw: no
empty plot."""
import numpy as np
import pytest

from playground.project.examples import load_example
from playground.project.session import build_session
from playground.ui import theme
from playground.ui.views.weights_view import WeightsView


@pytest.fixture(autouse=True)
def _theme(qapp):
    theme.apply(qapp, dark=False)


@pytest.mark.parametrize("example", ["perceptron", "adaline"])
def test_a_rule_draws_its_update_sizes_not_an_empty_gradient_plot(qtbot, example):
    trainer = build_session(load_example(example)).trainer
    view = WeightsView()
    qtbot.addWidget(view)
    view.resize(800, 700)
    view.show()
    w = trainer.net.flat_params.copy()
    trainer.step()
    delta = trainer.net.flat_params - w
    snap = trainer.snapshot()
    layer = trainer.net.layers[0].id
    # the gradient buffers hold the step's update
    np.testing.assert_allclose(snap.gradients[f"{layer}.weight"].reshape(-1),
                               delta[:snap.gradients[f"{layer}.weight"].size], rtol=1e-6)
    view.show_snapshot(snap)
    for _ in range(20):
        trainer.step()
        view.show_snapshot(trainer.snapshot())
    x, y = view.norm_lines[layer].getData()
    assert len(x) >= 2 and np.all(np.isfinite(y))
    assert "‖Δw‖" in view.norm_plot.titleLabel.text and "no gradient" in view.norm_plot.toolTip()
    assert view.norm_plot.getAxis("left").labelText == "‖Δw‖"
    assert view.grad_hist_plot.getAxis("bottom").labelText.startswith("Δw")


def test_backprop_keeps_its_gradient_labels(qtbot):
    trainer = build_session(load_example("perceptron")).trainer
    view = WeightsView()
    qtbot.addWidget(view)
    trainer.step()
    view.show_snapshot(trainer.snapshot())
    xor = build_session(load_example("xor")).trainer
    xor.step()
    snap = xor.snapshot()
    snap.step = 0                                   # another run
    view.show_snapshot(snap)
    assert view.norm_plot.titleLabel.text == "gradient norm per layer (log)"
    assert view.norm_plot.getAxis("left").labelText == "‖dL/dW‖"


def test_a_perceptron_past_its_last_mistake_says_its_update_is_zero(qtbot):
    trainer = build_session(load_example("perceptron")).trainer
    view = WeightsView()
    qtbot.addWidget(view)
    for _ in range(400):                            # separable data: the mistakes stop
        trainer.step()
    snap = trainer.snapshot()
    assert all(v == 0 for v in snap.grad_norms.values())
    view.show_snapshot(snap)
    assert view._zero_note.isVisible() and "Δw = 0" in view._zero_note.textItem.toPlainText()
