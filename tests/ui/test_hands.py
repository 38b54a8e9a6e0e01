"""Hands on the network (issue 11, section 3) through the real window: weight edits on the canvas,
a notes' kernel in a filter, Freeze, and painting the probe image."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from playground.ui import app as app_module
from playground.ui.main_window import MainWindow

WAIT = 60_000


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Discard))
    app_module.application()
    threads_before = threading.active_count()
    w = MainWindow(settings=QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.ready, timeout=WAIT)
    yield w
    w.close()
    assert threading.active_count() == threads_before


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
