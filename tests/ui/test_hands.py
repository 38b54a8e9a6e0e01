"""Hands on the network (issue 11, section 3) through the real window: weight edits on the canvas,
a notes' kernel in a filter, Freeze, and painting the probe image."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from ui_threads import app_threads

WAIT = 60_000


@pytest.fixture
def window(quiet_dialogs, make_main_window):
    return make_main_window()


def settled(window, qtbot):
    """The snapshot drawn on the canvas after every command sent so far."""
    sent = window.bridge.commands_sent
    scene = window.parts.editor.scene
    qtbot.waitUntil(lambda: scene.snapshot is not None
                    and scene.snapshot.commands_done >= sent, timeout=WAIT)
    return scene.snapshot


def worker_weights(window):
    return window.bridge.call(lambda t: t.net.get_weights()).result(30)


def test_dragging_a_link_edits_the_weight_moves_the_map_and_undoes(window, qtbot):
    window.files.open_example("xor")
    before = settled(window, qtbot)
    map_before = before.grid_outputs["output"].copy()
    w_before = before.weights["dense2.weight"].copy()
    editor, view = window.parts.weight_editor, window.parts.editor.view
    line = window.parts.editor.scene.weights["dense2"]._line_list()[2]      # hidden 3 -> output
    at = view.mapFromScene(line.pointAt(0.5))
    port = view.viewport()
    QTest.mousePress(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    assert editor.target is not None and editor.target.key == "dense2.weight"
    assert editor.target.index == (0, 2) and editor.field.isVisible()
    QTest.mouseMove(port, at - QPoint(0, 40))
    QTest.mouseMove(port, at - QPoint(0, 80))
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       at - QPoint(0, 80))
    after = settled(window, qtbot)
    assert after.step == before.step                          # no training: an evaluation only
    assert after.weights["dense2.weight"][0, 2] == pytest.approx(w_before[0, 2] + 0.8, abs=1e-3)
    assert worker_weights(window)["dense2.weight"][0, 2] == pytest.approx(w_before[0, 2] + 0.8,
                                                                          abs=1e-3)
    assert np.abs(after.grid_outputs["output"] - map_before).max() > 1e-3
    assert window.undo_stack.count() == 1                     # the whole drag: one entry
    window.undo_stack.undo()
    undone = settled(window, qtbot)
    np.testing.assert_array_equal(undone.weights["dense2.weight"], w_before)
    np.testing.assert_allclose(undone.grid_outputs["output"], map_before, atol=1e-6)


def test_typing_a_bias_edits_it(window, qtbot):
    window.files.open_example("xor")
    before = settled(window, qtbot)
    editor, view = window.parts.weight_editor, window.parts.editor.view
    block = window.parts.editor.scene.blocks["dense1"]
    mark = editor.marks["dense1"]
    at = view.mapFromScene(block.mapRectToScene(mark.rects()[1]).center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    assert editor.target.key == "dense1.bias" and editor.target.index == (1,)
    editor.field.spin.setValue(1.5)                   # as Enter in the field does
    after = settled(window, qtbot)
    assert after.weights["dense1.bias"][1] == pytest.approx(1.5)
    assert np.abs(after.grid_outputs["dense1"][1] - before.grid_outputs["dense1"][1]).max() > 1e-3
    window.undo_stack.undo()
    assert settled(window, qtbot).weights["dense1.bias"][1] == before.weights["dense1.bias"][1]


def correlate_same(image: np.ndarray, kernel: np.ndarray, pad: int) -> np.ndarray:
    """Cross-correlation with zero padding, as the engine's conv2d (notes 3.1)."""
    padded = np.pad(image, pad)
    kh, kw = kernel.shape
    h, w = padded.shape[0] - kh + 1, padded.shape[1] - kw + 1
    return np.array([[np.sum(padded[r:r + kh, c:c + kw] * kernel) for c in range(w)]
                     for r in range(h)])


def test_a_notes_kernel_loads_into_a_filter_and_its_feature_map_shows_at_once(window, qtbot):
    from playground.labs.kernels import KERNELS, fit_kernel
    window.files.open_example("lenet_digits")
    window.docks["filters"].raise_()
    before = settled(window, qtbot)
    view = window.parts.image_docks.views["filters"]
    bar = view.hands_bar
    bar.choose_filter(1)
    bar.kernel_combo.setCurrentText("Edge detection: horizontal")
    QTest.mouseClick(bar.load_button, Qt.MouseButton.LeftButton)
    after = settled(window, qtbot)
    kernel = fit_kernel(KERNELS["Edge detection: horizontal"], (5, 5))
    np.testing.assert_allclose(after.weights["conv1.weight"][1, 0], kernel, atol=1e-6)
    assert after.weights["conv1.bias"][1] == 0
    np.testing.assert_array_equal(after.weights["conv1.weight"][0], before.weights["conv1.weight"][0])
    # the feature map the view shows is the kernel slid over the probe image, through ReLU
    qtbot.waitUntil(lambda: view.snapshot is after or view.snapshot.commands_done
                    >= after.commands_done, timeout=WAIT)
    probe = after.probe_inputs[view.probe, 0]
    expected = np.maximum(correlate_same(probe, kernel, 2), 0)
    np.testing.assert_allclose(bar.result.cells[2].image, expected, atol=1e-4)
    window.undo_stack.undo()
    undone = settled(window, qtbot)
    np.testing.assert_array_equal(undone.weights["conv1.weight"], before.weights["conv1.weight"])
    np.testing.assert_array_equal(undone.weights["conv1.bias"], before.weights["conv1.bias"])


def test_a_frozen_layer_does_not_change_in_training(window, qtbot):
    window.files.open_example("lenet_digits")
    window.docks["filters"].raise_()
    settled(window, qtbot)
    bar = window.parts.image_docks.views["filters"].hands_bar
    QTest.mouseClick(bar.freeze_box, Qt.MouseButton.LeftButton)
    assert window.parts.document.layer("conv1")["trainable"] is False
    qtbot.waitUntil(lambda: window.project.network["layers"][0].get("trainable") is False,
                    timeout=WAIT)                       # saved in the spec the project keeps
    qtbot.waitUntil(lambda: window.bridge.call(lambda t: t.net.layer("conv1").trainable)
                    .result(30) is False, timeout=WAIT)  # the worker trains the frozen network
    before = worker_weights(window)
    for _ in range(3):
        window.actions_["step"].trigger()
    after = settled(window, qtbot)
    assert after.step >= 3
    for key in ("conv1.weight", "conv1.bias"):
        np.testing.assert_array_equal(after.weights[key], before[key])
    assert not np.array_equal(after.weights["conv2.weight"], before["conv2.weight"])
    assert bar.freeze_box.isChecked()
    window.undo_stack.undo()                            # unfreeze: it trains again
    qtbot.waitUntil(lambda: window.bridge.call(lambda t: t.net.layer("conv1").trainable)
                    .result(30) is True, timeout=WAIT)
    assert not bar.freeze_box.isChecked()


def test_painting_the_probe_changes_the_feature_maps_and_the_prediction(window, qtbot):
    window.files.open_example("lenet_digits")
    window.docks["feature_maps"].raise_()
    view = window.parts.image_docks.views["feature_maps"]
    QTest.mouseClick(view.paint_box, Qt.MouseButton.LeftButton)
    before = settled(window, qtbot)
    painter = view.painter
    qtbot.waitUntil(lambda: painter.image is not None, timeout=WAIT)
    assert "Network reads" in painter.prediction.text()
    QTest.mouseClick(painter.clear_button, Qt.MouseButton.LeftButton)
    blank = settled(window, qtbot)
    index = painter.index
    assert np.all(blank.probe_inputs[index] == blank.probe_inputs[index].min())
    canvas = painter.canvas
    rect = canvas.image_rect()

    def at(row, col):
        return QPoint(int(rect.left() + (col + 0.5) / 28 * rect.width()),
                      int(rect.top() + (row + 0.5) / 28 * rect.height()))

    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(5, 14))
    for row in range(6, 23):                             # a vertical stroke: a "1"
        QTest.mouseMove(canvas, at(row, 14))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       at(22, 14))
    painted = settled(window, qtbot)
    image = painted.probe_inputs[index, 0]
    assert painted.step == before.step                   # no training
    assert image[14, 14] == image.max() > blank.probe_inputs[index].max() - 1e-6
    assert image[14, 3] == image.min()                   # far from the stroke: still paper
    assert image[5:23, 14].min() > image.min()           # the whole stroke is ink
    assert not np.allclose(painted.probe_activations["conv1"][index],
                           blank.probe_activations["conv1"][index])
    np.testing.assert_allclose(view._maps(), painted.probe_activations["conv1"][index])
    # the eraser (right button) rubs the middle out again
    QTest.mousePress(canvas, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, at(14, 14))
    QTest.mouseRelease(canvas, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                       at(14, 14))
    erased = settled(window, qtbot).probe_inputs[index, 0]
    assert erased[14, 14] == erased.min() and erased[6, 14] == image[6, 14]
    QTest.mouseClick(painter.restore_button, Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(settled(window, qtbot).probe_inputs[index],
                                  before.probe_inputs[index])


def test_a_wide_dense_layer_is_edited_on_its_weight_heatmap(window, qtbot):
    window.files.open_example("lenet_digits")
    before = settled(window, qtbot)
    scene, view = window.parts.editor.scene, window.parts.editor.view
    block = scene.blocks["dense3"]
    assert block.live_kind == "heatmap"
    view.ensureVisible(block)
    qtbot.wait(50)
    from playground.ui.canvas.weight_edit import heatmap_rect
    rect = block.mapRectToScene(heatmap_rect(block))
    outs, ins = before.weights["dense3.weight"].shape
    centre = rect.topLeft() + type(rect.topLeft())((7.5 / ins) * rect.width(),
                                                   (4.5 / outs) * rect.height())
    editor = window.parts.weight_editor
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.mapFromScene(centre))
    assert editor.target.key == "dense3.weight" and editor.target.index == (4, 7)
    editor.field.spin.setValue(3.0)
    after = settled(window, qtbot)
    assert after.weights["dense3.weight"][4, 7] == 3.0
    changed = after.weights["dense3.weight"] != before.weights["dense3.weight"]
    assert changed.sum() == 1


def test_undo_puts_back_the_value_the_worker_held_when_the_edit_was_applied(qtbot):
    """While training runs, the snapshot an edit starts from is a few steps old: undo must write
    back the worker's own value at the moment the edit replaced it, through the bridge."""
    from PySide6.QtGui import QUndoStack
    from test_bridge import xor_trainer
    from playground.ui.bridge import TrainingBridge
    from playground.ui.hands import Hands, new_session

    before = app_threads()
    bridge = TrainingBridge(xor_trainer(lr=0.5)).start()
    key, index = "dense2.weight", (0, 3)

    def held() -> float:
        return bridge.call(lambda t: float(t.net.parameters()[key][index])).result(WAIT / 1000)

    try:
        stack = QUndoStack()
        hands = Hands(stack, None)
        hands.bridge = bridge
        drawn = held()                        # what the canvas showed ...
        bridge.step()
        bridge.step()                         # ... while training went on in the worker
        at_edit = held()
        assert at_edit != drawn
        hands.edit_weights([(key, index, 2.5)], [(key, index, drawn)], "Set w")
        assert held() == 2.5
        bridge.step()                         # training after the edit moves it on
        assert held() != 2.5
        stack.undo()
        assert held() == at_edit              # exactly the value the edit replaced
        stack.redo()
        assert held() == 2.5
        # a drag is one entry: undo puts back the value from before its first edit
        bridge.step()
        start = held()
        session = new_session()
        hands.edit_weights([(key, index, -1.0)], [(key, index, drawn)], "Set w", session)
        bridge.step()
        hands.edit_weights([(key, index, -1.5)], [(key, index, -1.0)], "Set w", session)
        assert held() == -1.5 and stack.count() == 2
        stack.undo()
        assert held() == start
    finally:
        bridge.stop()
    assert app_threads() == before


def test_the_painted_probe_survives_a_rebuild_while_the_input_shape_fits(window, qtbot):
    window.files.open_example("lenet_digits")
    window.docks["feature_maps"].raise_()
    view = window.parts.image_docks.views["feature_maps"]
    QTest.mouseClick(view.paint_box, Qt.MouseButton.LeftButton)
    settled(window, qtbot)
    painter = view.painter
    qtbot.waitUntil(lambda: painter.image is not None, timeout=WAIT)
    test_image = painter.original.copy()
    QTest.mouseClick(painter.clear_button, Qt.MouseButton.LeftButton)
    painter.dab(10.0, 14.0, erase=False)                 # a dab of ink on the blank page
    painter.send_now()
    painted, index = painter.image.copy(), painter.index
    assert np.array_equal(settled(window, qtbot).probe_inputs[index], painted.astype(np.float32))

    def still_painted(session_before):
        qtbot.waitUntil(lambda: window.session is not session_before, timeout=WAIT)
        snap = settled(window, qtbot)
        np.testing.assert_array_equal(snap.probe_inputs[index], painted.astype(np.float32))
        np.testing.assert_array_equal(painter.image, painted)
        np.testing.assert_array_equal(painter.original, test_image)   # Restore still works

    # the same data loaded again
    session = window.session
    window.on_dataset_changed(dict(window.project.dataset), list(window.project.features))
    still_painted(session)
    # a layer added (a new network, the same input)
    session = window.session
    doc = window.parts.document
    at = doc.index_of("dense2")
    doc.insert_layer(at, doc.new_layer_config("dropout", at))
    still_painted(session)
    QTest.mouseClick(painter.restore_button, Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(settled(window, qtbot).probe_inputs[index],
                                  test_image.astype(np.float32))
    # painted again, then smaller images: the painting cannot be kept, and the user hears why
    QTest.mouseClick(painter.clear_button, Qt.MouseButton.LeftButton)
    settled(window, qtbot)
    session = window.session
    window.on_dataset_changed(dict(window.project.dataset, size=20), [])
    qtbot.waitUntil(lambda: window.session is not session, timeout=WAIT)
    snap = settled(window, qtbot)
    assert snap.probe_inputs.shape[1:] == (1, 20, 20)
    assert "painted probe image was dropped" in window.statusBar().currentMessage()
    assert painter.image is None or painter.image.shape == (1, 20, 20)
