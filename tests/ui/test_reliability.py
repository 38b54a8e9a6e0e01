"""Nothing lost, nothing hangs, in the window: an error in training is shown and Save still works,
a failed Open changes nothing, autosaves belong to their window, Play/Pause follows the run state.

Waits are event-driven (qtbot.waitUntil on a condition); nothing passes or fails on timing."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from playground.project.examples import default_project, load_example
from playground.project.paths import orphaned_autosaves
from playground.project.projectfile import load_project, save_project
from playground.ui import session_loader
from playground.ui.download_dialog import DownloadDialog

WAIT = 60_000      # ms: generous, the first run may compile numba kernels


class Shown(list):
    """The dialogs shown, as (title, text[, details]); ``answer[0]`` answers every question."""


@pytest.fixture
def dialogs(monkeypatch):
    """No dialog ever blocks: record what they said; questions are answered with ``answer[0]``."""
    shown = Shown()
    answer = [QMessageBox.Discard]
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda parent, title, text, *a: shown.append((title, text)) or QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: answer[0]))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(
        (self.windowTitle(), self.text(), self.detailedText())) or QMessageBox.Ok)
    monkeypatch.setattr(DownloadDialog, "exec", lambda self: shown.append(
        ("download", self.windowTitle())) or QDialog.Rejected)
    shown.answer = answer
    return shown


@pytest.fixture
def window(dialogs, make_main_window):
    return make_main_window()


def plant_failure(window) -> None:
    """The trainer's next step scribbles NaN into the weights and raises, like Adam with eps 0."""
    def broken(*_args):
        raise ZeroDivisionError("float division by zero")

    def scribble_then_fail(t):
        def failing(*_a):
            t.net.flat_params[:5] = np.nan
            broken()
        t.step = failing
        t.run = failing
    window.bridge.call(scribble_then_fail).result(30)


def worker_weights(window):
    return window.bridge.call(lambda t: t.net.flat_params.copy()).result(30)


def test_an_error_in_training_is_shown_and_save_still_works(window, qtbot, dialogs, tmp_path):
    window.step_batch()
    qtbot.waitUntil(lambda: window.toolbar.step.text() == "1", timeout=WAIT)
    plant_failure(window)
    window.toggle_play()
    qtbot.waitUntil(lambda: getattr(window, "error_box", None) is not None, timeout=WAIT)
    box = window.error_box
    assert "ZeroDivisionError" in box.text() and "weights" in box.text()
    assert "Traceback" in box.detailedText() and "float division by zero" in box.detailedText()
    assert window.banner.isVisible() and "error" in window.banner.label.text()
    # the run shows as paused, and the worker is alive with good weights
    qtbot.waitUntil(lambda: not window.run_state.running, timeout=WAIT)
    assert window.actions_["play"].text() == "&Play"
    assert window.bridge.alive and np.isfinite(worker_weights(window)).all()
    # Save writes them, and the file opens
    path = tmp_path / "after_error.nnplay"
    assert window.files.save_to(str(path))
    saved = load_project(path)
    assert saved.weights is not None
    assert all(np.isfinite(w).all() for w in saved.weights.values())
    assert window.state_note is None                  # the worker answered: no stand-in


def test_save_and_close_do_not_wait_on_a_busy_worker(window, qtbot, dialogs, tmp_path):
    for _ in range(3):
        window.step_batch()
    qtbot.waitUntil(lambda: window.toolbar.step.text() == "3", timeout=WAIT)
    shown = window.bridge.latest_snapshot_of(window.session.network)
    assert shown is not None and shown.step == 3
    gate = threading.Event()
    window.bridge.call(lambda t: gate.wait(60))       # the worker is stuck (a very long step)
    try:
        path = tmp_path / "while_busy.nnplay"
        assert window.files.save_to(str(path))
        assert "did not answer" in window.statusBar().currentMessage()
        saved = load_project(path)
        for key, value in shown.weights.items():
            np.testing.assert_array_equal(saved.weights[key], value)
        assert saved.history == shown.history
        # closing with "Save" really saves, through the same stand-in
        window.files.path = str(tmp_path / "on_close.nnplay")
        window.set_learning_rate(window.project.training.lr * 0.5)
        dialogs.answer[0] = QMessageBox.Save
        assert window.files.confirm_close()
        assert load_project(tmp_path / "on_close.nnplay").training.lr == window.project.training.lr
    finally:
        gate.set()


def test_a_dead_worker_does_not_stop_saving(window, qtbot, tmp_path):
    window.step_batch()
    qtbot.waitUntil(lambda: window.toolbar.step.text() == "1", timeout=WAIT)
    window.bridge.stop()
    assert not window.bridge.alive
    path = tmp_path / "dead.nnplay"
    assert window.files.save_to(str(path))
    assert load_project(path).weights is not None


def lenet_file(tmp_path, seed=0):
    project = load_example("lenet_digits")
    project.training.seed = seed
    path = tmp_path / "lenet.nnplay"
    save_project(project, path)
    return path


def window_state(window):
    return (window.files.path, window.project, window.session, window.session.trainer,
            window.windowTitle(), window.parts.document.spec())


def test_an_open_that_fails_after_parsing_changes_nothing(window, dialogs, tmp_path, monkeypatch):
    mine = tmp_path / "my_spiral.nnplay"
    assert window.files.save_to(str(mine))
    before = window_state(window)
    path = lenet_file(tmp_path)

    def fails(project):
        raise ValueError("high is out of bounds for int64")   # what default_rng(-1) said
    monkeypatch.setattr(session_loader, "build_session", fails)
    assert not window.files.open_path(str(path))
    assert window_state(window) == before
    title, text, details = dialogs[-1]
    assert "lenet.nnplay" in text and "out of bounds" in text and "Traceback" in details
    # Ctrl+S still writes the spiral, which opens as the spiral
    assert window.files.save()
    reopened = load_project(mine)
    assert reopened.network == before[1].network and reopened.dataset == before[1].dataset


def test_a_seed_out_of_range_is_refused_when_the_file_is_read(window, dialogs, tmp_path):
    before = window_state(window)
    path = lenet_file(tmp_path)
    import json
    import zipfile
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    doc = json.loads(members["project.json"])
    doc["training"]["seed"] = -1
    members["project.json"] = json.dumps(doc).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert not window.files.open_path(str(path))
    assert window_state(window) == before
    assert "seed" in dialogs[-1][1]


def test_a_good_open_swaps_everything_together(window, tmp_path):
    path = lenet_file(tmp_path)
    assert window.files.open_path(str(path))
    assert window.files.path == str(path) and "lenet" in window.windowTitle()
    assert window.session.dataset.kind == "image"
    assert window.bridge.call(lambda t: t is window.session.trainer).result(30)


def test_opening_a_project_offers_the_download_and_never_downloads(window, dialogs, tmp_path):
    project = load_example("lenet_mnist")
    project.dataset = {**project.dataset, "download": True}
    path = tmp_path / "mnist.nnplay"
    save_project(project, path)
    before = window_state(window)
    assert not window.files.open_path(str(path))
    assert dialogs[-1][0] == "download"               # offered, and the user declined
    assert window_state(window) == before


def test_explicit_save_supersedes_the_autosave(window, tmp_path):
    window.set_learning_rate(window.project.training.lr * 0.5)
    assert window.files.autosave()
    own = window.files.autosaver.path
    assert own.is_file()
    assert orphaned_autosaves() == []                 # a live window's: never offered
    assert window.files.save_to(str(tmp_path / "saved.nnplay"))
    assert not own.exists()


def test_recovery_offers_a_crashed_windows_autosave_and_clears_stale_temp_files(
        window, dialogs, tmp_path):
    from playground.project.paths import autosave_folder
    folder = autosave_folder()
    folder.mkdir(parents=True, exist_ok=True)
    crashed = default_project()
    crashed.title = "crashed work"
    orphan = folder / "autosave-999999999-1.nnplay"   # no such process
    save_project(crashed, orphan)
    temp = tmp_path / "data" / ".autosave-1-1.nnplay.x1y2z3.tmp"
    temp.write_bytes(b"half a save")
    dialogs.answer[0] = QMessageBox.Open
    assert window.files.offer_recovery()
    assert window.project.title == "crashed work" and window.files.dirty
    assert not orphan.exists() and window.files.autosaver.path.is_file()
    assert not temp.exists()


def test_play_pause_follows_the_run_state_not_the_button(window, qtbot):
    window.toggle_play()
    assert window.run_state.running and window.actions_["play"].text() == "&Pause"
    qtbot.waitUntil(lambda: window.bridge.running, timeout=WAIT)
    window.actions_["play"].setText("&Play")     # a stale label: Play/Pause reads the state
    window.toggle_play()
    assert not window.run_state.running and window.actions_["play"].text() == "&Play"
    qtbot.waitUntil(lambda: not window.bridge.running, timeout=WAIT)


def test_settings_have_one_owner_the_views_follow(window):
    seen = []
    window.run_state.on_settings(lambda s: seen.append(s.lr))
    window.set_learning_rate(0.0123)
    assert seen == [0.0123] and window.run_state.settings.lr == 0.0123
    assert window.toolbar.lr.value() == pytest.approx(0.0123)


def test_a_project_that_cannot_train_opens_only_when_asked(window, dialogs, tmp_path):
    project = default_project()
    project.title = "misfit"
    project.network = {**project.network, "input_shape": [3]}     # 2 features are chosen
    path = tmp_path / "misfit.nnplay"
    save_project(project, path)
    before = window_state(window)
    dialogs.answer[0] = QMessageBox.Cancel
    assert not window.files.open_path(str(path))
    assert window_state(window) == before
    dialogs.answer[0] = QMessageBox.Open                         # "Open it anyway, to fix it"
    assert window.files.open_path(str(path))
    assert window.files.path == str(path) and window.project.title == "misfit"
    assert window.session is None and "cannot train" in window.banner.label.text().lower()
    assert window.bridge.call(lambda t: t is None).result(30)    # nothing of the old run trains
    assert window.files.save()
    assert load_project(path).network == project.network
