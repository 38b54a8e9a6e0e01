"""The input follows the data, as a new student meets it: the Data panel's own buttons (feature
check boxes, gallery picks) change the data, the network's input follows in one undoable edit,
the project trains each time, and Ctrl+Z brings the previous input (and weights) back. Where the
data and the network disagree, the banner's fix makes it train; while it cannot, the views are
greyed and the status bar says why. Settings edits keep the weights and the counters."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from playground.project.examples import load_example
from playground.ui.widgets.banner import StaleOverlay

WAIT = 300_000     # ms: the first window may compile numba kernels on a busy machine


@pytest.fixture
def make_window(quiet_dialogs, make_main_window):
    """``make_window(example)``: a window on that example (closed and checked by the conftest)."""
    return lambda example: make_main_window(load_example(example))


def state(w):
    """(step, epoch, weights, last loss) of the worker's trainer, or None without one."""
    return w.bridge.call(lambda t: None if t is None else (
        t.step_count, t.epoch, t.net.get_weights(), float(t.last_loss))).result(30)


def history(w) -> list:
    return w.bridge.call(lambda t: [dict(r) for r in t.history]).result(30)


def trains(w, steps: int = 5) -> bool:
    """Step the way the user does (the S key's action) and see the loss change."""
    if not w.actions_["step"].isEnabled():
        return False
    losses = []
    for _ in range(steps):
        w.actions_["step"].trigger()
        losses.append(state(w)[3])
    return all(np.isfinite(losses)) and len(set(losses)) > 1


def stale(view) -> bool:
    """Whether the view is veiled as showing nothing current."""
    overlay = view.findChild(StaleOverlay, "stale_overlay")
    return overlay is not None and overlay.isVisible() and overlay.geometry() == view.rect()


def toggle_feature(w, feature: str) -> None:
    w.parts.data_panel.feature_buttons[feature].click()


def pick(w, qtbot, name: str) -> None:
    """Click a dataset's thumbnail in the gallery."""
    gallery = w.parts.data_panel.gallery
    for i in range(gallery.count()):
        item = gallery.item(i)
        if item.data(Qt.UserRole) == name:
            gallery.scrollToItem(item)
            rect = gallery.visualItemRect(item)
            qtbot.mouseClick(gallery.viewport(), Qt.LeftButton, pos=rect.center())
            assert w.project.dataset["name"] == name
            return
    raise AssertionError(f"{name} is not in the gallery")


def undo(w, qtbot) -> None:
    """Ctrl+Z as the user presses it, on the canvas."""
    qtbot.keyClick(w.parts.canvas, Qt.Key_Z, Qt.ControlModifier)


@pytest.mark.parametrize("example, clicks", [
    ("xor", ["x1^2"]),
    ("xor", ["x1x2", "x1", "x2"]),                # down to the one feature the text suggests
    ("spiral", ["sin_x1", "sin_x2", "x1^2"]),
    ("regression_plane", ["x1x2"]),
    ("multilabel", ["x2^2"]),
])
def test_features_change_the_input_and_it_trains_each_time(make_window, qtbot, example, clicks):
    w = make_window(example)
    for feature in clicks:
        before = list(w.parts.document.input_shape)
        step_before, epoch_before, weights_before, _ = state(w)
        toggle_feature(w, feature)
        features = w.project.features
        assert w.parts.document.input_shape == [len(features)]
        assert w.session is not None and not w.banner.isVisible()
        assert trains(w), f"does not train after toggling {feature}: {features}"
        step, epoch, weights, _ = state(w)
        assert step >= step_before and epoch >= epoch_before
        # one Ctrl+Z: the previous features and input, with the weights they had
        undo(w, qtbot)
        assert w.parts.document.input_shape == before
        assert w.project.features != features
        restored = state(w)[2]
        for key, value in weights_before.items():
            np.testing.assert_array_equal(restored[key], value)
        assert state(w)[0] >= step                       # the counters never go backwards
        w.undo_stack.redo()
        assert w.project.features == features and trains(w)


def test_a_new_feature_keeps_the_other_layers_weights(make_window):
    w = make_window("xor")
    assert trains(w, 20)
    _, _, before, _ = state(w)
    toggle_feature(w, "x1x2")
    _, _, after, _ = state(w)
    assert after["dense1.weight"].shape == (4, 3)
    # X1 and X2 keep their trained columns; X1X2's starts from the fresh initialisation
    np.testing.assert_array_equal(after["dense1.weight"][:, :2], before["dense1.weight"])
    for key in ("dense1.bias", "dense2.weight", "dense2.bias"):
        np.testing.assert_array_equal(after[key], before[key])
    assert "X1X2" in w.statusBar().currentMessage()


def test_gallery_picks_spiral_digits_spiral3_each_fixed_by_one_click(make_window, qtbot):
    w = make_window("spiral")
    w.actions_["step_epoch"].trigger()
    qtbot.waitUntil(lambda: len(history(w)) >= 1, timeout=WAIT)
    assert trains(w, 20)
    step_before, spiral_history = state(w)[0], history(w)
    data_width = w.docks["data"].width()
    pick(w, qtbot, "stroke_digits")
    # the banner fits the canvas's width: it neither squeezes the docks nor eats the canvas
    for _ in range(3):                                    # the layouts settle
        QApplication.processEvents()
    assert w.docks["data"].width() == data_width
    assert w.banner.height() < 0.25 * w.parts.canvas.parentWidget().height()
    assert w.parts.document.input_shape == [1, 28, 28]
    # dense layers meet images: the banner offers flatten (+ 10 softmax outputs) or LeNet
    assert w.session is None and w.banner.isVisible()
    labels = [b.text() for b in w.banner.fix_buttons]
    assert labels[0] == "Add flatten and use 10 outputs with softmax"
    assert "Start from the LeNet template" in labels
    assert "Cannot train" in w._why.text() and w._why.isVisible()
    # the reason is not drawn over an older temporary message ("Weights kept: ...")
    assert w.statusBar().currentMessage() == ""
    assert stale(w.parts.output_view) and stale(w.parts.weights_view)   # veiled, not frozen
    assert not w.actions_["play"].isEnabled()
    w.banner.fix_buttons[labels.index("Start from the LeNet template")].click()
    assert w.session is not None and not w.banner.isVisible() and not w._why.isVisible()
    assert [c["type"] for c in w.parts.document.layers()][:2] == ["conv2d", "maxpool2d"]
    assert trains(w, 3)
    assert state(w)[0] >= step_before                          # counters go on
    assert history(w) == []                      # but the spiral's curves are not the digits' 
    undo(w, qtbot)                                             # the fix, undone
    assert w.session is None and w.banner.isVisible()
    pick(w, qtbot, "spiral3")                                  # a new edit drops the redo
    assert w.parts.document.input_shape == [2]
    assert w.banner.fix_buttons[0].text() == "Use 3 outputs with softmax"
    w.banner.fix_buttons[0].click()
    assert w.session is not None and w.session.network.output_shape == (3,)
    assert not stale(w.parts.output_view) and not stale(w.parts.weights_view) and trains(w)
    undo(w, qtbot)                                             # back to 1 sigmoid output
    assert w.session is None and w.parts.document.layers()[-1]["units"] == 1
    undo(w, qtbot)                                             # back to the digits
    assert w.parts.document.input_shape == [1, 28, 28] and w.project.dataset["name"] == \
        "stroke_digits"
    undo(w, qtbot)                                             # back to the spiral, as trained
    assert w.project.dataset["name"] == "spiral" and w.session is not None
    assert history(w) == spiral_history          # its own curves, with the weights it had
    assert trains(w) and state(w)[0] >= step_before


def test_the_reverse_two_classes_and_regression_fixes(make_window, qtbot):
    w = make_window("spiral3")
    pick(w, qtbot, "circle")
    assert w.banner.fix_buttons[0].text() == "Use 1 output with sigmoid"
    w.banner.fix_buttons[0].click()
    assert trains(w)
    w = make_window("spiral3")
    pick(w, qtbot, "plane")
    assert w.banner.isVisible()
    assert w.banner.fix_buttons[0].text() == "Use 1 output with no activation"
    w.banner.fix_buttons[0].click()
    assert w.session.network.output_activation == "identity" and trains(w)


def test_the_input_block_is_selectable_and_the_inspector_describes_it(make_window, qtbot):
    w = make_window("xor")
    toggle_feature(w, "x1^2")
    scene = w.parts.editor.scene
    view = w.parts.editor.view
    block = scene.input_block
    point = view.mapFromScene(block.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point)
    inspector = w.parts.editor.inspector
    assert scene.input_selected() and inspector.showing_input
    assert not w.docks["inspector"].visibleRegion().isEmpty()    # brought to the front
    texts = {name: inspector.findChild(type(inspector.title), f"input_{name}").text()
             for name in ("shape", "features", "normalisation")}
    assert texts["shape"] == "3 values"
    assert texts["features"] == "X1, X2, X1²"
    assert "none" in texts["normalisation"]
    assert block.labels == ["X1", "X2", "X1²"]          # the feature chips on the block
    pick(w, qtbot, "stroke_digits")
    w.banner.fix_buttons[0].click()
    assert inspector.findChild(type(inspector.title), "input_shape").text() == "1x28x28"
    assert "[0, 1]" in inspector.findChild(type(inspector.title), "input_normalisation").text()


def test_optimizer_changes_keep_the_weights_and_counters(make_window):
    w = make_window("spiral")
    assert trains(w, 10)
    step, epoch, weights, _ = state(w)
    panel = w.parts.training_panel
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("momentum"))
    step2, epoch2, weights2, _ = state(w)
    assert (step2, epoch2) == (step, epoch)
    for key, value in weights.items():
        np.testing.assert_array_equal(weights2[key], value)
    optimizer = w.bridge.call(lambda t: t.optimizer).result(10)
    assert type(optimizer).__name__.lower().startswith("momentum") or \
        getattr(optimizer, "rho", None) is not None
    # its hyperparameter too; and the learning rate applies live, without a reset
    panel.numbers["rho"].setValue(0.5)
    panel.numbers["lr"].setValue(0.002)
    step3, _, weights3, _ = state(w)
    assert step3 == step
    for key, value in weights.items():
        np.testing.assert_array_equal(weights3[key], value)
    assert w.bridge.call(lambda t: t.optimizer.lr).result(10) == pytest.approx(0.002)
    assert trains(w)


def test_network_edits_never_send_the_counters_back(make_window, qtbot):
    w = make_window("xor")
    assert trains(w, 12)
    step = state(w)[0]
    # a structural edit (a layer's units): fresh weights, but the counters go on
    w.parts.editor.inspector.show_layer("dense1")
    w.parts.editor.inspector.editors["units"].set_value(6)
    from playground.ui.canvas.commands import SetFieldCommand
    w.undo_stack.push(SetFieldCommand(w.parts.document, "dense1", "units", 6))
    qtbot.waitUntil(lambda: w.session is not None and w.session.network.parameters()[
        "dense1.weight"].shape == (6, 2), timeout=WAIT)
    assert state(w)[0] >= step
    # an activation (the weights still fit): the counters go on
    w.undo_stack.push(SetFieldCommand(w.parts.document, "dense1", "activation", "relu"))
    qtbot.waitUntil(lambda: w.session is not None and w.session.project.network["layers"][0][
        "activation"] == "relu", timeout=WAIT)
    assert state(w)[0] >= step


def test_new_data_that_fits_keeps_the_weights_and_counters_but_not_the_curves(make_window, qtbot):
    w = make_window("spiral")
    w.actions_["step_epoch"].trigger()
    qtbot.waitUntil(lambda: len(history(w)) >= 1, timeout=WAIT)
    step, epoch, weights, _ = state(w)
    pick(w, qtbot, "moons")
    assert w.session is not None and not w.banner.isVisible()
    step2, epoch2, weights2, _ = state(w)
    assert (step2, epoch2) == (step, epoch)
    for key, value in weights.items():                    # the same network goes on learning
        np.testing.assert_array_equal(weights2[key], value)
    assert history(w) == []                               # the spiral's curves are not the moons'
    assert trains(w)


def test_a_run_goes_on_through_edits_that_keep_the_weights(make_window, qtbot):
    w = make_window("xor")
    w.actions_["play"].trigger()
    qtbot.waitUntil(lambda: state(w)[0] > 50, timeout=WAIT)
    toggle_feature(w, "x1x2")                           # new features while training
    w.bridge.call(lambda t: None).result(30)            # the worker has taken the new trainer
    assert w.bridge.running and w.actions_["play"].text() == "&Pause"
    step = state(w)[0]
    qtbot.waitUntil(lambda: state(w)[0] > step + 50, timeout=WAIT)
    panel = w.parts.training_panel                      # a new optimizer while training
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("adam"))
    # the worker gets the rebuilt trainer (paused) and then Play: wait for both, as above
    qtbot.waitUntil(lambda: w.bridge.call(
        lambda t: t.settings.optimizer["type"]).result(30) == "adam", timeout=WAIT)
    w.bridge.call(lambda t: None).result(30)
    assert w.bridge.running
    step = state(w)[0]
    qtbot.waitUntil(lambda: state(w)[0] > step + 50, timeout=WAIT)
    w.actions_["play"].trigger()
    qtbot.waitUntil(lambda: not w.bridge.running, timeout=WAIT)
