"""Runs side by side in the window: Pin run keeps a labelled baseline drawn over the current
curves and beside its map, saved with the project; a comparison example draws one line and one
map per configuration; the x axis can be epochs, steps, examples seen or seconds."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from playground.engine import TrainingSettings, optimizer_config
from playground.project.examples import load_example
from playground.ui.app import train_synchronously


@pytest.fixture
def window(quiet_dialogs, make_main_window):
    return make_main_window()


def overlay_lines(window):
    """(label, number of points) of every overlay line with data in the loss plot."""
    overlay = window.parts.curves_view.overlay
    out = []
    for run, (loss, _score) in zip(overlay.runs, overlay._lines):
        x, _y = loss.getData()
        if x is not None and len(x):
            out.append((run.label, len(x)))
    return out


def settle():
    for _ in range(5):
        QApplication.processEvents()


def test_pin_run_labels_saves_and_unpins(window, qtbot, tmp_path):
    window.load_project(load_example("xor"))
    train_synchronously(window, 300)
    window.actions_["pin"].trigger()
    project = window.project
    assert len(project.pinned) == 1 and project.pinned[0].map is not None
    assert window.docks["compare"].isVisible()
    # another batch size: the pinned run's label says what it had
    settings = TrainingSettings.from_dict({**project.training.to_dict(), "batch_size": 1})
    window.on_settings_changed(settings, False)
    settle()
    assert overlay_lines(window)[0][0] == "batch 10"
    assert window.parts.compare_view._pinned_labels == ["batch 10"]
    train_synchronously(window, 300)
    settings = TrainingSettings.from_dict({**settings.to_dict(),
                                           "optimizer": optimizer_config("adam", lr=0.01)})
    window.on_settings_changed(settings, False)
    window.actions_["pin"].trigger()
    settle()
    labels = [label for label, n in overlay_lines(window)]
    assert labels == ["SGD lr 0.1, batch 10", "run 2: same settings"], labels
    assert all(n > 1 for _label, n in overlay_lines(window))
    path = str(tmp_path / "pinned.nnplay")
    assert window.files.save_to(path)
    window.actions_["unpin_all"].trigger()
    settle()
    assert window.project.pinned == [] and overlay_lines(window) == []
    assert window.files.open_path(path)
    settle()
    assert [r.name for r in window.project.pinned] == ["run 1", "run 2"]
    assert len(overlay_lines(window)) == 2
    window.parts.compare_view.unpin_requested.emit(0)
    settle()
    assert [r.name for r in window.project.pinned] == ["run 2"]


def test_at_most_six_runs_are_pinned(window):
    window.load_project(load_example("xor"))
    train_synchronously(window, 100)
    for _ in range(8):
        window.actions_["pin"].trigger()
    assert len(window.project.pinned) == 6
    assert "At most 6" in window.statusBar().currentMessage()


@pytest.mark.parametrize("name, count", [("optimizers", 5), ("batch_sizes", 4)])
def test_a_comparison_draws_one_line_and_one_map_per_configuration(window, name, count):
    window.load_project(load_example(name))
    train_synchronously(window, 300)            # batch 1 ends its first epoch (250 points)
    settle()
    lines = overlay_lines(window)
    assert len(lines) == count and all(n >= 1 for _l, n in lines)
    curves = window.parts.curves_view
    assert not curves.lines["train_loss"].isVisible()          # the configurations say it all
    assert window.docks["compare"].isVisible()
    window.docks["compare"].raise_()
    settle()
    window.parts.compare.draw(window.parts._last_snap)
    tiles = window.parts.compare_view._tiles
    assert len(tiles) == count
    images = [t.image.image for t in tiles]
    assert all(img is not None for img in images)
    assert len({img.tobytes() for img in images}) == count      # each its own map
    assert all(t.image.smooth for t in tiles)      # blended pixels, as the Output's map


def test_the_x_axis_switches_between_epochs_steps_examples_and_seconds(window):
    window.load_project(load_example("batch_sizes"))
    train_synchronously(window, 250)
    curves = window.parts.curves_view
    assert curves.x_key == "examples"                           # the comparison's own choice
    ends = {}
    for key in ("epoch", "step", "examples", "seconds"):
        curves.set_x_axis(key)
        settle()
        overlay = curves.overlay
        ends[key] = [float(line.xData[-1]) for line, _s in overlay._lines[:4]]   # not log10
        assert curves.loss_plot.getAxis("bottom").labelText in ("epoch", "step", "examples seen",
                                                               "seconds")
    # 250 points, 250 steps each: batch 1 did one epoch, the full batch 250
    assert ends["epoch"][0] == 1 and ends["epoch"][3] == 250
    assert ends["examples"][0] == 250 and ends["examples"][3] == 250 * 250
    assert all(0 < s < 60 for s in ends["seconds"])


def test_a_saved_comparison_reopens_where_every_configuration_was(window, tmp_path):
    """Save, then open the file: each configuration goes on from its own weights and steps."""
    from playground.project.projectfile import save_project
    window.load_project(load_example("optimizers"))
    train_synchronously(window, 200)
    weights = window.bridge.call(lambda t: [s.trainer.net.flat_params.copy() for s in t.slots]
                                 ).result(30)
    path = tmp_path / "optimizers.nnplay"
    save_project(window.current_project(), path)
    assert window.files.open_path(str(path))
    steps, again = window.bridge.call(
        lambda t: ([s.trainer.step_count for s in t.slots],
                   [s.trainer.net.flat_params.copy() for s in t.slots])).result(30)
    assert steps == [200] * 5
    for before, after in zip(weights, again):
        np.testing.assert_array_equal(before, after)
    window.bridge.step().wait(30)           # and training goes on from there
    assert window.bridge.call(lambda t: t.slots[4].trainer.step_count).result(30) == 201


def test_batch_one_gets_room_on_a_log_x_axis_with_whole_number_ticks(window, qtbot):
    """Per example seen, batch 1 ends 250 times before the full batch: the axis turns log by
    itself (a moment after the frame that found it due), so batch 1's line spans a fair part of
    the plot, and no tick is a fraction."""
    window.load_project(load_example("batch_sizes"))
    train_synchronously(window, 500)
    curves = window.parts.curves_view
    qtbot.waitUntil(curves.log_x.isChecked, timeout=5000)
    settle()
    assert curves.x_key == "examples"
    x0, x1 = curves.loss_plot.getViewBox().viewRange()[0]
    loss_line = curves.overlay._lines[0][0]                 # SGD, batch 1
    x, _y = loss_line.getData()                             # log10 of examples seen
    # 250 to 500 examples: 0.2 % of a linear axis to 125,000; on the log axis 7 %
    assert x0 <= x.min() and (x.max() - x.min()) / (x1 - x0) > 0.05
    major, minor = curves.loss_plot.getAxis("bottom")._tickLevels
    labels = [text for _v, text in major + minor]
    assert "1,000" in labels or "10k" in labels
    for _v, text in major + minor:
        number = float(text.replace(",", "").replace("k", "e3").replace("M", "e6"))
        assert number >= 1 and number == int(number)
    # the user's choice wins: off stays off, and the axis is linear again
    curves.log_x.click()
    settle()
    assert not curves.log_x.isChecked()
    train_synchronously(window, 10)
    settle()
    assert not curves.log_x.isChecked()
    x0, x1 = curves.loss_plot.getViewBox().viewRange()[0]
    assert x1 > 10_000                                       # examples, not their log
