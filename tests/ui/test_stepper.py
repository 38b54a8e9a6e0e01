"""Step through, as a student uses it: Ctrl+T pauses and shows one example's walk; Next/Back (and
N/B) go through example, forward, loss, backward, gradient and update; the panel writes the traced
numbers of the network the trainer holds; a click on the Output map picks the nearest point; the
canvas colours the links by the layer's gradient; Play leaves the mode."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.engine import make_loss
from playground.labs.backprop_steps import float64_copy
from playground.project.examples import load_example
from playground.ui.stepper.numbers import number
from playground.ui.stepper.overlay import GradientLinesItem, HaloItem
from playground.ui.stepper.wide_links import (FilterNormsItem, GradientHeatmapItem,
                                              StrongLinksItem)

WAIT = 60_000                  # ms: the longest a test waits for the worker or a view


@pytest.fixture
def make_window(quiet_dialogs, make_main_window):
    """``make_window(example)``: a window on that example (closed and checked by the conftest)."""
    return lambda example: make_main_window(load_example(example))


def trained(w, steps=30):
    for _ in range(steps):
        w.actions_["step"].trigger()
    return w.bridge.call(lambda t: (t.net.flat_params.copy(), t.step_count)).result(30)


def expected_gradients(w, index):
    """Network.backward on one example, on a float64 copy of the trainer's weights."""
    t = w.session.trainer
    flat = w.bridge.call(lambda tr: tr.net.flat_params.copy()).result(30)
    net = float64_copy(w.session.network.spec, flat.astype(np.float64))
    loss = make_loss(t.loss_name)
    loss.forward(net.forward(t.x_train[index:index + 1].astype(np.float64)),
                 t.y_train[index:index + 1])
    net.backward(loss.backward())
    return {k: g.copy() for k, g in net.gradients().items()}


def test_next_and_back_walk_the_steps_with_the_engines_numbers(make_window, qtbot):
    w = make_window("xor")
    trained(w)
    w.actions_["step_through"].trigger()
    s, panel = w.stepper, w.stepper.panel
    assert s.active and s.dock.isVisible() and not w.run_state.running
    kinds = []
    while True:
        kinds.append((panel.step.kind, panel.step.layer_id))
        if not panel.next.isEnabled():
            break
        qtbot.mouseClick(panel.next, Qt.LeftButton)
    ids = w.session.network.layer_ids() if hasattr(w.session.network, "layer_ids") else \
        [layer.id for layer in w.session.network.layers]
    assert kinds == ([("example", None)] + [("forward", i) for i in ids] + [("loss", None)]
                     + [("backward", i) for i in reversed(ids)] + [("gradient", i) for i in ids]
                     + [("update", i) for i in ids])
    qtbot.mouseClick(panel.back, Qt.LeftButton)
    assert panel.step.kind == "update" and panel.step.layer_id == ids[-2]
    # every gradient the panel holds is Network.backward's for that example
    grads = expected_gradients(w, s.example_index)
    for step in panel.steps:
        if step.kind == "gradient":
            np.testing.assert_allclose(step.arrays[step.roles["grad_w"]],
                                       grads[f"{step.layer_id}.weight"], atol=1e-6, rtol=0)
    # the δ step's text holds the traced δ, each number as formatted, and its filled-in formula
    panel.index = next(k for k, st in enumerate(panel.steps)
                       if st.kind == "backward" and st.layer_id == ids[0])
    panel.neuron.setValue(1)
    panel.go_next()
    panel.go_back()
    text = panel.text()
    delta = s.trace.layers[0].delta
    assert "δ⁽¹⁾ = (W⁽²⁾ᵀ δ⁽²⁾) ⊙ g′(z⁽¹⁾)" in text
    for value in delta[:8]:
        assert number(value) in text
    assert f"= {number(delta[1])}" in text          # the neuron's chain rule ends in its δ


def test_keys_map_click_and_canvas(make_window, qtbot):
    w = make_window("xor")
    trained(w, 10)
    w.actions_["play"].trigger()
    assert w.run_state.running
    w.actions_["step_through"].trigger()
    assert not w.run_state.running                   # entering pauses training
    s, panel = w.stepper, w.stepper.panel
    s.actions["next"].trigger()
    s.actions["next"].trigger()
    assert panel.index == 2 and panel.step.kind == "forward"
    s.actions["back"].trigger()
    assert panel.index == 1
    # a click on the map picks the nearest training point
    ds = w.session.dataset
    target = 17
    x1, x2 = ds.x_train[target][:2]
    s._on_map_clicked(float(x1) + 1e-3, float(x2) - 1e-3, int(Qt.LeftButton.value))
    assert s.example_index == target and panel.example.value() == target + 1
    np.testing.assert_allclose(s.trace.x, w.session.trainer.x_train[target])
    assert s.marker.isVisible()
    # backward on a dense layer: its links coloured by ∂L/∂W, the weight lines hidden
    scene = w.parts.editor.scene
    last = w.session.network.layers[-1].id
    panel.index = next(k for k, st in enumerate(panel.steps)
                       if st.kind == "backward" and st.layer_id == last)
    panel.go_next()
    panel.go_back()
    halos = [i for i in scene.items() if isinstance(i, HaloItem)]
    assert len(halos) == 1 and halos[0].block is scene.blocks[last]
    lines = [i for i in scene.items()
             if isinstance(i, GradientLinesItem) and i.matrix is not None]
    if last in scene.weights:
        assert len(lines) == 1
        np.testing.assert_array_equal(lines[0].matrix, s.trace.gradients[f"{last}.weight"])
        assert not scene.weights[last].isVisible()
        assert "On the canvas: the links into" in panel.text()
    # Play leaves the mode and gives the canvas back
    w.actions_["play"].trigger()
    assert not s.active and not s.dock.isVisible()
    assert not [i for i in scene.items() if isinstance(i, (HaloItem, GradientLinesItem))]
    assert all(item.isVisible() for item in scene.weights.values())
    w.actions_["play"].trigger()


def test_a_conv_network_shows_feature_map_gradients(make_window, qtbot, monkeypatch):
    w = make_window("lenet_digits")
    if w.session is None:
        pytest.skip("the digits data are not available here")
    w.actions_["step_through"].trigger()
    s, panel = w.stepper, w.stepper.panel
    conv = w.session.network.layers[0].id
    panel.index = next(k for k, st in enumerate(panel.steps)
                       if st.kind == "backward" and st.layer_id == conv)
    panel.go_next()
    panel.go_back()
    assert panel.maps.isVisibleTo(panel) and panel.maps.cells
    # the conv block: one link per filter, by the norm of that filter's gradient
    scene = w.parts.editor.scene
    grad = s.trace.gradients[f"{conv}.weight"]
    links = [i for i in scene.items() if isinstance(i, FilterNormsItem) and not i.frames]
    assert len(links) == 1 and links[0].target is scene.blocks[conv]
    np.testing.assert_allclose(links[0].norms, np.sqrt((grad ** 2).reshape(len(grad), -1).sum(1)))
    assert f"filter {int(np.argmax(links[0].norms))}:" in links[0].toolTip()
    assert f"one link per filter into {conv} ({len(grad)} filters)" in panel.text()
    # a probe image picked in the image views is traced: the test image the canvas shows
    w.parts.image_docks._on_probe_changed(2)
    np.testing.assert_array_equal(s.trace.x, w.session.trainer.x_test[2])
    assert "test image 3" in panel.steps[0].title
    panel.example.setValue(5)                        # the number box goes back to training data
    np.testing.assert_array_equal(s.trace.x, w.session.trainer.x_train[4])
    delta = s.trace.layers[0].delta
    drawn = [c.image for c in panel.maps.cells if c.image is not None]
    assert any(np.array_equal(img, delta[0]) for img in drawn)
    grads = expected_gradients(w, s.example_index)
    g = next(st for st in panel.steps if st.kind == "gradient" and st.layer_id == conv)
    np.testing.assert_allclose(g.arrays[g.roles["grad_w"]], grads[f"{conv}.weight"], atol=1e-6,
                               rtol=0)


def test_a_click_in_the_predictions_grid_picks_that_test_image(make_window, qtbot):
    w = make_window("lenet_digits")
    if w.session is None:
        pytest.skip("the digits data are not available here")
    w.docks["predictions"].raise_()
    view = w.parts.image_docks.views["predictions"]
    w.actions_["step"].trigger()
    qtbot.waitUntil(lambda: len(view.grid.cells) > 3, timeout=WAIT)
    w.actions_["step_through"].trigger()
    s = w.stepper
    w.docks["predictions"].raise_()            # the stepper's tab may have covered it
    qtbot.waitUntil(lambda: view.grid.isVisible() and view.grid.width() > 50, timeout=WAIT)
    # a cell whose test image is not the one traced now (mistakes come first: not 0, 1, 2 ...)
    cell = next(k for k in range(len(view.shown)) if view.shown[k] not in (0, s.example_index))
    index = int(view.shown[cell])
    at = view.grid.image_rect(cell).center().toPoint()
    qtbot.mouseClick(view.grid, Qt.LeftButton, pos=at)
    assert s.source == "test" and s.example_index == index
    np.testing.assert_array_equal(s.trace.x, w.session.trainer.x_test[index])
    assert f"test image {index + 1}" in s.panel.steps[0].title
    assert f"test image {index + 1}" in w.statusBar().currentMessage()
    # after leaving, a click in the grid picks nothing
    s.leave()
    other = next(k for k in range(len(view.shown)) if view.shown[k] != index)
    qtbot.mouseClick(view.grid, Qt.LeftButton, pos=view.grid.image_rect(other).center().toPoint())
    assert s.example_index == index


def show_step(panel, kind, layer_id):
    panel.index = next(k for k, st in enumerate(panel.steps)
                       if st.kind == kind and st.layer_id == layer_id)
    panel.go_next()
    panel.go_back()
    return panel.step


def test_a_wide_dense_layer_shows_its_gradient_in_the_heatmap_and_its_strongest_links(
        make_window, qtbot):
    w = make_window("lenet_digits")
    if w.session is None:
        pytest.skip("the digits data are not available here")
    w.actions_["step"].trigger()
    scene = w.parts.editor.scene
    qtbot.waitUntil(lambda: scene.blocks["dense1"].live_kind == "heatmap", timeout=WAIT)
    w.actions_["step_through"].trigger()
    s, panel = w.stepper, w.stepper.panel
    show_step(panel, "backward", "dense1")
    grad = s.trace.gradients["dense1.weight"]
    heat = [i for i in scene.items() if isinstance(i, GradientHeatmapItem)]
    links = [i for i in scene.items() if isinstance(i, StrongLinksItem)]
    assert len(heat) == 1 and len(links) == 1 and heat[0].block is scene.blocks["dense1"]
    np.testing.assert_array_equal(heat[0].matrix, grad)
    # the links drawn are the 12 largest |∂L/∂w|: none left out is larger than one drawn
    marked = np.zeros(grad.size, bool)
    marked[links[0].marked] = True
    assert marked.sum() == 12
    assert np.abs(grad).ravel()[marked].min() >= np.abs(grad).ravel()[~marked].max()
    text = panel.text()
    assert "Its heatmap shows ∂L/∂W of every weight" in text
    assert "Drawn as links: the 12 with the largest |∂L/∂w|" in text
    # the update: ΔW = −η ∂L/∂W in the same places
    step = show_step(panel, "update", "dense1")
    heat = [i for i in scene.items() if isinstance(i, GradientHeatmapItem)]
    np.testing.assert_array_equal(heat[0].matrix, step.arrays[step.roles["dw"]])
    assert "Its heatmap shows ΔW of every weight" in panel.text()
    # a layer without weights: no links, no words about them
    show_step(panel, "backward", "flatten1")
    assert not [i for i in scene.items()
                if isinstance(i, (GradientHeatmapItem, StrongLinksItem, FilterNormsItem))]
    assert "On the canvas" not in panel.text()
    show_step(panel, "gradient", "dense1")
    s.leave()
    assert not [i for i in scene.items() if isinstance(i, (GradientHeatmapItem, StrongLinksItem))]
