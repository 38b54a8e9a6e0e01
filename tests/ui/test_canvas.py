"""The network editor with real widgets: drops from the palette, reordering, Delete, undo/redo,
invalid networks, the inspector (pytest-qt, offscreen)."""
from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from playground.project.document import NetworkDocument
from playground.ui.canvas import LAYER_MIME, EditorController
from playground.ui.canvas.palette import TYPE_ROLE

MLP = {"format": "playground-network", "version": 1, "input_shape": [2],
       "layers": [{"id": "dense1", "type": "dense", "units": 8, "activation": "tanh"},
                  {"id": "dense2", "type": "dense", "units": 8, "activation": "tanh"},
                  {"id": "dense3", "type": "dense", "units": 1, "activation": "sigmoid"}]}


@pytest.fixture
def editor(qtbot):
    document = NetworkDocument(copy.deepcopy(MLP), input_labels=["X1", "X2"])
    controller = EditorController(document, QUndoStack())
    for widget in (controller.view, controller.palette, controller.inspector):
        qtbot.addWidget(widget)
    controller.view.resize(700, 760)
    controller.view.show()
    qtbot.waitExposed(controller.view)
    return controller


def viewport_point(controller, scene_point: QPointF) -> QPoint:
    return controller.view.mapFromScene(scene_point)


def between(controller, above: str | None, below: str | None) -> QPoint:
    """A viewport point in the gap between two blocks (None: the input / below the last)."""
    scene = controller.scene
    top = scene.input_block if above is None else scene.blocks[above]
    y = top.y() + top.height() + 20
    return viewport_point(controller, QPointF(0, y))


def palette_mime(controller, layer_type: str) -> QMimeData:
    """The MIME data Qt's drag machinery asks the palette for (the real drag path)."""
    item = controller.palette.item_for(layer_type)
    return controller.palette.model().mimeData([controller.palette.indexFromItem(item)])


def drop(controller, layer_type: str, pos: QPoint) -> None:
    viewport = controller.view.viewport()
    data = palette_mime(controller, layer_type)
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, action, data, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos, action, data, buttons, mods)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    assert controller.scene.marker.isVisible()  # the insertion marker shows while dragging
    drop_event = QDropEvent(QPointF(pos), Qt.DropAction.MoveAction | action, data, buttons, mods)
    QApplication.sendEvent(viewport, drop_event)
    assert drop_event.isAccepted()
    # a copy, so Qt's drag code does not remove the entry from the palette
    assert drop_event.dropAction() == Qt.DropAction.CopyAction
    assert not controller.scene.marker.isVisible()


def test_palette_lists_every_layer_type_in_groups_with_icons(editor):
    palette = editor.palette
    groups = [palette.topLevelItem(i).text(0) for i in range(palette.topLevelItemCount())]
    assert groups == ["Dense", "Convolution", "Pooling", "Shape", "Regularization"]
    for kind in ("dense", "conv2d", "maxpool2d", "maxunpool2d", "conv_transpose2d", "flatten",
                 "reshape", "activation", "dropout", "avgpool2d"):
        item = palette.item_for(kind)
        assert item.data(0, TYPE_ROLE) == kind
        assert not item.icon(0).isNull() and item.toolTip(0)
        assert bytes(palette_mime(editor, kind).data(LAYER_MIME)).decode() == kind


def test_drop_from_the_palette_inserts_between_two_blocks(editor):
    drop(editor, "dropout", between(editor, "dense1", "dense2"))
    assert editor.document.layer_ids() == ["dense1", "dropout1", "dense2", "dense3"]
    assert editor.selected_layer_id() == "dropout1"   # the new block is selected...
    assert editor.inspector.layer_id == "dropout1"    # ...and shown in the inspector
    assert editor.undo_stack.count() == 1
    assert "dropout" in editor.scene.blocks["dropout1"].toolTip()
    drop(editor, "dense", between(editor, None, "dense1"))
    assert editor.document.layer_ids()[0] == "dense4"
    drop(editor, "activation", between(editor, "dense3", None))
    assert editor.document.layer_ids()[-1] == "act1"


def test_drop_ignores_foreign_mime_data(editor):
    data = QMimeData()
    data.setText("dense")
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(editor.view.viewport(), enter)
    assert not enter.isAccepted()
    assert editor.undo_stack.count() == 0


def test_drag_a_block_to_reorder_is_one_undo_entry(editor, qtbot):
    viewport = editor.view.viewport()
    block = editor.scene.blocks["dense1"]
    start = viewport_point(editor, block.mapToScene(QPointF(150, 20)))
    end = between(editor, "dense2", "dense3")
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for k in range(1, 9):  # a real drag passes through many positions
        QTest.mouseMove(viewport, start + (end - start) * (k / 8))
    assert editor.scene.marker.isVisible()
    assert editor.document.layer_ids() == ["dense1", "dense2", "dense3"]  # nothing until release
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert editor.document.layer_ids() == ["dense2", "dense1", "dense3"]
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert editor.document.spec() == MLP


def test_a_click_without_moving_only_selects(editor):
    viewport = editor.view.viewport()
    pos = viewport_point(editor, editor.scene.blocks["dense2"].mapToScene(QPointF(150, 20)))
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    assert editor.selected_layer_id() == "dense2"
    assert editor.inspector.layer_id == "dense2"
    assert editor.undo_stack.count() == 0


def test_delete_removes_the_selected_block_and_undo_restores_it(editor):
    editor.scene.select_layer("dense2")
    editor.view.setFocus()
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    assert editor.document.layer_ids() == ["dense1", "dense3"]
    assert "dense2" not in editor.scene.blocks
    editor.undo_stack.undo()
    assert editor.document.spec() == MLP
    editor.undo_stack.redo()
    assert editor.document.layer_ids() == ["dense1", "dense3"]


def test_undo_and_redo_restore_every_spec_exactly(editor):
    doc, stack = editor.document, editor.undo_stack
    specs = [doc.spec()]
    drop(editor, "dense", between(editor, "dense1", "dense2"))
    specs.append(doc.spec())
    editor.move_layer(0, 2)
    specs.append(doc.spec())
    editor.scene.select_layer("dense2")
    editor.inspector.editors["activation"].combo.activated.emit(4)  # relu
    specs.append(doc.spec())
    editor.delete_layer("dense3")
    specs.append(doc.spec())
    assert stack.count() == 4 and len({str(s) for s in specs}) == 5
    for expected in reversed(specs[:-1]):
        stack.undo()
        assert doc.spec() == expected
    for expected in specs[1:]:
        stack.redo()
        assert doc.spec() == expected


def test_undo_shortcuts(editor, qtbot):
    editor.delete_layer("dense1")
    editor.view.activateWindow()
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    QTest.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.document.spec() == MLP
    QTest.keyClick(editor.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.document.layer_ids() == ["dense2", "dense3"]


def test_a_dense_layer_after_an_image_input_turns_red(editor, qtbot):
    assert editor.is_valid
    with qtbot.waitSignal(editor.validity_changed) as blocker:
        editor.document.set_input([1, 28, 28])
    ok, message = blocker.args
    assert not ok and "dense1" in message and "flat" in message
    assert editor.scene.blocks["dense1"].error == message
    assert not editor.scene.blocks["dense2"].error
    assert not editor.is_valid and editor.error_message == message
    image = editor.view.grab().toImage()
    centre = viewport_point(editor, editor.scene.blocks["dense1"].mapToScene(QPointF(150, 1)))
    border = image.pixelColor(centre)
    assert border.red() > 180 and border.green() < 110  # the red outline
    with qtbot.waitSignal(editor.validity_changed) as blocker:
        drop(editor, "flatten", between(editor, None, "dense1"))
    assert blocker.args == [True, ""]
    assert not editor.scene.blocks["dense1"].error


def test_a_kernel_larger_than_its_input_names_the_conv(qtbot):
    document = NetworkDocument({"input_shape": [1, 4, 4],
                                "layers": [{"type": "conv2d", "filters": 2, "kernel_size": 3}]})
    controller = EditorController(document, QUndoStack())
    qtbot.addWidget(controller.view)
    with qtbot.waitSignal(controller.validity_changed) as blocker:
        controller.document.set_field("conv1", "kernel_size", 5)
    assert blocker.args[0] is False and "conv1" in blocker.args[1]
    assert "larger" in controller.scene.blocks["conv1"].error


def test_blocks_explain_themselves_in_tooltips(editor):
    tip = editor.scene.blocks["dense1"].toolTip()
    assert "z = W x + b" in tip and "input 2 → output 8" in tip and "24 parameters" in tip
    editor.document.set_input([1, 8, 8])
    editor.insert_layer("conv2d", 0)
    assert "floor((n + 2p − f) / s) + 1" in editor.scene.blocks["conv1"].toolTip()
    assert "6 filters" not in editor.scene.blocks["conv1"].subtitle
    assert editor.scene.blocks["conv1"].subtitle == "8 filters 3x3 · pad 1 · relu"


def test_the_editor_leaves_no_timer_or_thread_behind(editor):
    from PySide6.QtCore import QThread, QTimer
    for owner in (editor, editor.view, editor.palette, editor.inspector, editor.scene):
        assert not owner.findChildren(QTimer) and not owner.findChildren(QThread)


def test_total_parameters_follow_the_edits(editor):
    assert editor.total_params == (2 * 8 + 8) + (8 * 8 + 8) + (8 + 1)
    editor.document.set_field("dense2", "units", 4)
    assert editor.total_params == (2 * 8 + 8) + (8 * 4 + 4) + (4 + 1)
    assert editor.scene.blocks["dense2"].params == "36 params"
    assert editor.scene.blocks["dense2"].subtitle == "4 units · tanh"


def test_structure_changed_only_when_weights_no_longer_fit(editor, qtbot):
    specs = []
    editor.spec_changed.connect(specs.append)
    with qtbot.assertNotEmitted(editor.structure_changed):
        editor.document.set_field("dense1", "activation", "relu")
    assert specs[-1]["layers"][0]["activation"] == "relu"
    with qtbot.waitSignal(editor.structure_changed):
        editor.document.set_field("dense1", "units", 3)
    with qtbot.waitSignal(editor.structure_changed):
        editor.move_layer(0, 1)


def test_inspector_edits_a_field_through_the_undo_stack(editor):
    editor.scene.select_layer("dense1")
    spin = editor.inspector.editors["units"].spin
    assert spin.value() == 8
    for _ in range(4):  # four clicks on the up arrow: one undo entry
        spin.stepUp()
    assert editor.document.layer("dense1")["units"] == 12
    assert editor.undo_stack.count() == 1
    spin.editingFinished.emit()  # the run ends; the next step is a new entry
    spin.stepUp()
    assert editor.undo_stack.count() == 2
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert editor.document.spec() == MLP
    assert spin.value() == 8  # the form follows the document


def test_inspector_follows_outside_changes_without_echo(editor):
    editor.scene.select_layer("dense1")
    editor.document.set_field("dense1", "activation", "leaky_relu")
    inspector = editor.inspector
    assert inspector.editors["activation"].combo.currentText() == "leaky_relu"
    assert inspector.form.isRowVisible(inspector.editors["alpha"])
    assert editor.undo_stack.count() == 0
    editor.document.set_field("dense1", "units", 5)
    assert inspector.editors["units"].spin.value() == 5
    assert "Output 5" in inspector.footer.text() and "15 params" in inspector.footer.text()
    assert editor.undo_stack.count() == 0


def test_inspector_pair_and_padding_fields(qtbot):
    document = NetworkDocument({"input_shape": [1, 8, 8], "layers": []})
    controller = EditorController(document, QUndoStack())
    qtbot.addWidget(controller.view)
    qtbot.addWidget(controller.inspector)
    controller.insert_layer("conv2d", 0)
    editors = controller.inspector.editors
    editors["kernel_size"].w.setValue(4)
    assert document.layer("conv1")["kernel_size"] == [3, 4]
    editors["padding"].mode.activated.emit(1)  # same
    assert document.layer("conv1")["padding"] == "same"
    assert not controller.is_valid and "odd" in controller.error_message
    assert "odd" in controller.inspector.error.text()
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert document.layer("conv1")["kernel_size"] == 3 and document.layer("conv1")["padding"] == 1


def test_double_click_in_the_palette_adds_after_the_selection(editor):
    editor.scene.select_layer("dense1")
    item = editor.palette.item_for("dropout")
    editor.palette.itemDoubleClicked.emit(item, 0)
    assert editor.document.layer_ids() == ["dense1", "dropout1", "dense2", "dense3"]
