"""The main window end to end: play, pause, step, reset, divergence, files, examples, screenshot."""
from __future__ import annotations

from ui_threads import app_threads
import types

import numpy as np
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from playground.project.examples import example_names, load_example
from playground.ui import app as app_module
from playground.ui.download_dialog import DownloadDialog

WAIT = 60_000      # ms: generous, the first run may compile numba kernels


@pytest.fixture
def dialogs(monkeypatch):
    """No dialog ever blocks: record warnings, answer questions with Discard."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda parent, title, text, *a: shown.append((title, text)) or QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: QMessageBox.Discard))
    # a download offer is declined (the user presses Cancel before anything is fetched)
    monkeypatch.setattr(DownloadDialog, "exec", lambda self: shown.append(
        ("download", self.windowTitle())) or QDialog.Rejected)
    return shown


# every test here leaves the app's style sheet and palette as it found them (conftest.app_look)
pytestmark = pytest.mark.usefixtures("app_look")


@pytest.fixture
def window(dialogs, make_main_window):
    return make_main_window()


def trainer_state(w):
    return w.bridge.call(lambda t: (t.step_count, t.net.get_weights(), list(t.history))).result(30)


def test_opens_on_the_default_project_ready_to_play(window):
    assert window.session is not None and window.session.dataset.name == "spiral"
    assert window.actions_["play"].isEnabled()
    assert window.toolbar.step.text() == "0"


def test_play_lowers_the_loss_then_pause_stops(window, qtbot):
    window.actions_["play"].trigger()
    qtbot.waitUntil(lambda: len(window.parts.curves_view.series["train_loss"]) >= 8, timeout=WAIT)
    window.actions_["play"].trigger()                      # pause
    qtbot.waitUntil(lambda: window.bridge.call(lambda t: None).result(5) is None and
                    not window.bridge.running, timeout=WAIT)
    losses = window.parts.curves_view.series["train_loss"].y
    assert losses[-1] < losses[0]
    steps = trainer_state(window)[0]
    qtbot.wait(100)
    assert trainer_state(window)[0] == steps
    assert window.actions_["play"].text() == "&Play"


def test_step_advances_exactly_one_batch(window, qtbot):
    window.actions_["step"].trigger()
    qtbot.waitUntil(lambda: window.toolbar.step.text() == "1", timeout=WAIT)
    assert trainer_state(window)[0] == 1


def test_reset_returns_to_step_zero_with_fresh_weights(window, qtbot):
    initial = trainer_state(window)[1]
    window.actions_["step_epoch"].trigger()
    qtbot.waitUntil(lambda: window.toolbar.epoch.text() == "1", timeout=WAIT)
    trained = trainer_state(window)[1]
    assert any(not np.array_equal(initial[k], trained[k]) for k in initial)
    window.actions_["reset"].trigger()
    qtbot.waitUntil(lambda: window.toolbar.step.text() == "0", timeout=WAIT)
    steps, weights, history = trainer_state(window)
    assert steps == 0 and history == []
    assert all(np.array_equal(initial[k], weights[k]) for k in initial)
    assert len(window.parts.curves_view.series["train_loss"]) == 0


def test_divergence_shows_the_banner_and_lowering_the_rate_works(window, qtbot):
    spec = {"format": "playground-network", "version": 1, "input_shape": [2],
            "layers": [{"type": "dense", "units": 8, "activation": "relu"},
                       {"type": "dense", "units": 1, "activation": "identity"}]}
    project = window.project.copy()
    project.network = spec
    project.training.loss = "mse"
    project.training.optimizer = {"type": "sgd", "lr": 1e6}
    window.load_project(project)
    window.actions_["play"].trigger()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT)
    assert "infinite or NaN" in window.banner.label.text()
    assert window.actions_["play"].text() == "&Play"
    window.banner.action.click()
    assert window.project.training.lr == pytest.approx(1e5)
    assert window.bridge.call(lambda t: t.optimizer.lr).result(5) == pytest.approx(1e5)
    assert not window.banner.isVisible()


def test_learning_rate_box_applies_live(window, qtbot):
    window.actions_["play"].trigger()
    window.toolbar.lr.setValue(0.003)
    assert window.bridge.call(lambda t: t.optimizer.lr).result(5) == pytest.approx(0.003)
    assert window.bridge.running


def test_save_then_open_restores_weights_and_history(window, qtbot, tmp_path):
    window.bridge.call(lambda t: t.run(3 * t.steps_per_epoch)).result(30)
    _, weights, history = trainer_state(window)
    path = str(tmp_path / "run.nnplay")
    assert window.files.save_to(path)
    window.actions_["reset"].trigger()
    qtbot.waitUntil(lambda: trainer_state(window)[0] == 0, timeout=WAIT)
    assert window.files.open_path(path)
    steps, reopened, rehistory = trainer_state(window)
    assert all(np.array_equal(weights[k], reopened[k]) for k in weights)
    assert history and rehistory == history   # records are paced in the app: 1 to 3 of them
    assert rehistory[-1]["train_loss"] == pytest.approx(history[-1]["train_loss"])
    assert window.files.recent()[0] == path


def test_a_broken_file_shows_why_and_changes_nothing(window, dialogs, tmp_path):
    bad = tmp_path / "broken.nnplay"
    bad.write_bytes(b"this is not a zip file")
    before = window.project
    trainer_before = window.session.trainer
    assert not window.files.open_path(str(bad))
    assert len(dialogs) == 1 and "broken.nnplay" in dialogs[0][1]
    assert window.project is before and window.session.trainer is trainer_before


def test_autosave_writes_the_project_while_dirty(window, tmp_path):
    from playground.project.paths import load_autosave
    assert not window.files.autosave()                   # nothing changed yet
    lr = window.project.training.lr * 0.5         # a change, whatever the example starts with
    window.set_learning_rate(lr)
    assert window.files.autosave()
    path = window.files.autosaver.path                   # this window's own autosave
    assert path.is_file()
    assert load_autosave(path).training.lr == pytest.approx(lr)


@pytest.mark.parametrize("name", example_names())
def test_every_example_opens_and_trains(window, qtbot, dialogs, name):
    before = window.project
    window.files.open_example(name)
    offers = [title for kind, title in dialogs if kind == "download"]
    if offers:
        # its dataset is not on this computer: the download is offered, and declining it keeps
        # the open project as it was
        assert load_example(name).dataset["name"] in offers[0].lower().replace("-", "_")
        assert window.project is before and window.session is not None
        return
    window.actions_["step"].trigger()
    window.actions_["step"].trigger()
    qtbot.waitUntil(lambda: window.toolbar.step.text() == "2", timeout=WAIT)


def test_screenshot_shows_a_decision_map(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "data"))
    before = app_threads()
    path = tmp_path / "shot.png"
    code = app_module.run(types.SimpleNamespace(screenshot=str(path), example="xor", train_steps=300,
                                                self_test=False, project=None))
    assert code == 0 and path.is_file()
    from PySide6.QtGui import QImage
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800)
    # the Output dock's map: sample its region and demand colour variety
    pixels = np.array([[image.pixelColor(x, y).red() for x in range(560, 860, 6)]
                       for y in range(130, 430, 6)], dtype=float)
    assert pixels.std() > 20
    assert app_threads() == before


def visible_docks(w):
    return {name for name, dock in w.docks.items() if not dock.isHidden()}


def test_image_data_brings_the_image_views_and_back(window, qtbot):
    assert "output" in visible_docks(window) and "feature_maps" not in visible_docks(window)
    window.files.open_example("lenet_digits")
    shown = visible_docks(window)
    assert {"feature_maps", "filters", "pooling", "conv_mechanics", "predictions"} <= shown
    assert "output" not in shown and "autoencoder" not in shown
    window.files.open_example("spiral")
    shown = visible_docks(window)
    assert "output" in shown and not shown & {"feature_maps", "predictions", "autoencoder"}
    # the tab bars Qt leaves behind where the image docks' group was are hidden once it settles
    qtbot.wait(200)
    from PySide6.QtWidgets import QTabBar
    painted = [[bar.tabText(i) for i in range(bar.count())] for bar in window.findChildren(QTabBar)
               if bar.parent() is window and bar.isVisible()]
    assert not any("Feature maps" in titles for titles in painted), painted


def test_predictions_come_from_the_worker_after_a_step(window, qtbot):
    window.files.open_example("lenet_digits")
    window.docks["predictions"].raise_()
    view = window.parts.image_docks.views["predictions"]
    window.actions_["step"].trigger()
    qtbot.waitUntil(lambda: view._data is not None, timeout=WAIT)
    images, labels, _, names = view._data
    n = min(200, len(window.session.dataset.x_test))
    assert len(images) == len(labels) == n and names == window.session.dataset.class_names
    assert view.confusion.matrix.sum() == n
    np.testing.assert_array_equal(labels, window.session.dataset.y_test[:n])


def test_selecting_a_block_selects_the_layer_in_the_image_views(window, qtbot):
    window.files.open_example("lenet_digits")
    feature_maps = window.parts.image_docks.views["feature_maps"]
    assert feature_maps.layer_id == "conv1"
    window.parts.editor.scene.select_layer("pool2")
    assert feature_maps.layer_id == "pool2"
    assert window.parts.image_docks.views["pooling"].layer_id == "pool2"


def test_an_autoencoder_is_compared_with_pca(window, qtbot):
    window.files.open_example("dense_autoencoder")
    assert "autoencoder" in visible_docks(window) and "predictions" not in visible_docks(window)
    view = window.parts.image_docks.views["autoencoder"]
    window.actions_["step"].trigger()
    qtbot.waitUntil(lambda: view.pca is not None, timeout=WAIT)
    assert np.isfinite(view.autoencoder_mse) and np.isfinite(view.pca_mse)
    assert "PCA with" in view.errors.text()


def test_dark_mode_recolours_the_plots_at_once(window):
    plot = window.parts.output_view.plot_widget
    light = plot.backgroundBrush().color().name()
    window.actions_["dark"].setChecked(True)
    try:
        dark = plot.backgroundBrush().color().name()
        axis = window.parts.curves_view.loss_plot.getAxis("left")
        assert dark != light and dark == app_module.theme.colors()["plot_bg"]
        assert axis.textPen().color().name() == app_module.theme.colors()["plot_fg"]
    finally:
        window.actions_["dark"].setChecked(False)
    assert plot.backgroundBrush().color().name() == light


def test_the_batch_size_box_in_the_data_panel_reaches_the_trainer(window):
    panel = window.parts.data_panel
    settings = window.project.training
    settings.batch_size = 50
    panel.settings_changed.emit(settings, False)
    assert window.project.training.batch_size == 50
    assert window.bridge.call(lambda t: t.batch_size).result(10) == 50
