"""Classroom mode in the window: a teacher's project opens with its controls hidden, F11 scales
the text and plots, Ctrl+number maximises one view, and Export for class writes the settings."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from playground.project.examples import load_example
from playground.project.projectfile import load_project, save_project

TEACHER = {"presentation": False, "scale": 1.5,
           "hidden": ["reset", "learning_rate", "layers", "inspector"],
           "views": ["output", "curves"]}


@pytest.fixture
def window(quiet_dialogs, make_main_window):
    """The window; afterwards the application's font (scaled by presentation mode) is put back."""
    return make_main_window()


def teacher_file(tmp_path, settings=TEACHER):
    project = load_example("xor")
    project.classroom = dict(settings)
    path = tmp_path / "lesson.nnplay"
    save_project(project, path)
    return str(path)


def test_a_classroom_project_opens_with_its_controls_hidden(window, tmp_path, qtbot):
    assert window.files.open_path(teacher_file(tmp_path))
    toolbar = window.toolbar
    qtbot.wait(50)                                         # the toolbar lays itself out again
    assert not toolbar.widgetForAction(window.actions_["reset"]).isVisible()
    assert toolbar.widgetForAction(window.actions_["play"]).isVisible()
    assert not toolbar.lr.isVisible() and toolbar.pace.isVisible()
    for name in ("layers", "inspector", "weights"):          # weights: not among the views
        assert not window.docks[name].isVisible(), name
    for name in ("output", "curves", "data", "training"):
        assert window.docks[name].isVisible(), name
    assert set(window.classroom.hidden_controls()) == {"reset", "learning_rate", "layers",
                                                      "inspector"}
    # another project, without classroom settings, gets every control back
    window.files.open_example("spiral")
    qtbot.wait(50)
    assert toolbar.widgetForAction(window.actions_["reset"]).isVisible() and toolbar.lr.isVisible()
    assert window.docks["layers"].isVisible() and window.docks["weights"].isVisible()


def test_presentation_mode_scales_the_text_and_plots_and_f11_puts_them_back(window, tmp_path,
                                                                            qtbot):
    settings = dict(TEACHER, presentation=True, scale=2.0)
    size = QApplication.font().pointSizeF()
    axis = window.parts.curves_view.loss_plot.getAxis("bottom")
    tick = axis.style["tickFont"].pointSizeF() if axis.style.get("tickFont") else size
    assert window.files.open_path(teacher_file(tmp_path, settings))
    assert window.classroom.presenting and window.isFullScreen()
    assert QApplication.font().pointSizeF() == pytest.approx(2 * size)
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(2 * size)
    window.classroom.present_action.trigger()                # F11
    assert not window.classroom.presenting and not window.isFullScreen()
    assert QApplication.font().pointSizeF() == pytest.approx(size)
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(tick)


def title_ink(dock) -> int:
    """How many pixel rows of the dock's title bar hold text: the title's drawn height."""
    top = dock.widget().geometry().top()                 # the content starts under the title
    image = dock.grab(QRect(0, 0, dock.width() - 60, top)).toImage()   # not the buttons
    background = image.pixelColor(2, top // 2).lightness()
    return sum(1 for y in range(image.height())
               if any(abs(image.pixelColor(x, y).lightness() - background) > 90
                      for x in range(image.width())))


def test_presentation_mode_scales_the_dock_titles_and_f11_gives_them_back(window, tmp_path,
                                                                          qtbot):
    window.files.open_example("xor")
    dock = window.docks["output"]
    qtbot.waitUntil(lambda: dock.isVisible() and dock.widget().geometry().top() > 0)
    normal = title_ink(dock)
    assert normal >= 5
    window.classroom.settings["scale"] = 2.0
    window.classroom.present_action.trigger()                # F11
    qtbot.waitUntil(lambda: title_ink(dock) >= 1.6 * normal, timeout=5000)
    legend = window.parts.curves_view.legend                 # cut short normally: wraps now
    assert legend.wordWrap()
    window.classroom.present_action.trigger()                # F11 again
    qtbot.waitUntil(lambda: title_ink(dock) == normal, timeout=5000)
    assert not legend.wordWrap()
    assert dock.font() == QApplication.font()                # the dock follows the app again


def test_ctrl_number_maximises_one_view_and_again_restores(window, qtbot):
    window.files.open_example("xor")
    shown = [d for d in window.docks.values() if d.isVisible()]
    titles = [title for title, _ in window.classroom.views()]
    number = titles.index("Curves") + 1
    window.classroom.view_actions[number - 1].trigger()
    assert window.docks["curves"].isVisible()
    assert [d for d in window.docks.values() if d.isVisible()] == [window.docks["curves"]]
    assert not window.centralWidget().isVisible()
    window.classroom.view_actions[number - 1].trigger()
    assert window.centralWidget().isVisible()
    assert [d for d in window.docks.values() if d.isVisible()] == shown
    window.classroom.view_actions[0].trigger()              # Ctrl+1: the network alone
    assert window.centralWidget().isVisible() and not any(d.isVisible()
                                                          for d in window.docks.values())


def test_export_for_class_writes_the_chosen_settings(window, tmp_path, qtbot):
    from playground.ui.classroom import ExportForClassDialog
    window.files.open_example("xor")
    dialog = ExportForClassDialog(window.classroom.settings, window)
    dialog.hide_boxes["step_epoch"].setChecked(True)
    dialog.view_boxes["weights"].setChecked(False)
    dialog.scale.setValue(1.25)
    path = tmp_path / "for class.nnplay"
    assert window.classroom.export(str(path), dialog.settings())
    saved = load_project(path)
    assert saved.classroom["hidden"] == ["step_epoch"] and saved.classroom["scale"] == 1.25
    assert "weights" not in saved.classroom["views"] and "curves" in saved.classroom["views"]
    assert saved.network == window.project.network
