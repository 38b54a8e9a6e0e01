"""The Data panel reads the user's CSV or image folder off the UI thread, with a progress dialog
whose Cancel stops the read; a failure is a message box, a success changes the dataset once."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtWidgets import QPushButton

from playground.data import user
from playground.ui.panels import data_panel as data_panel_module
from playground.ui.panels.data_panel import DataPanel

WAIT = 20_000                   # ms: a bound on event-driven waits, never a timing assertion


@pytest.fixture
def panel(qtbot, monkeypatch):
    user._CACHE.clear()
    widget = DataPanel()
    qtbot.addWidget(widget)
    widget.set_dataset({"name": "xor", "noise": 0.1}, ["x1", "x2"])
    widget.warnings = []
    monkeypatch.setattr(data_panel_module.QMessageBox, "warning",
                        lambda parent, title, text: widget.warnings.append(text))
    return widget


def _choose(monkeypatch, path):
    monkeypatch.setattr(data_panel_module.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_a_big_csv_is_read_off_the_ui_thread_with_progress(panel, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "many.csv"
    path.write_text("".join(f"{i % 97 * 0.01:.2f},{i % 89 * 0.01:.2f},{i % 2}\n" for i in range(120_000)))
    _choose(monkeypatch, path)
    threads, values = [], []
    real = data_panel_module.make_dataset

    def spy(recipe, progress=None):
        threads.append(threading.current_thread())
        return real(recipe, progress=progress)
    monkeypatch.setattr(data_panel_module, "make_dataset", spy)
    changed = []
    panel.dataset_changed.connect(lambda *a: changed.append(a))
    panel.load_csv.click()
    load = panel.own_load
    load.progressed.connect(values.append)
    assert changed == []                                   # the click returned before the read
    qtbot.waitUntil(lambda: panel.own_load is None, timeout=WAIT)
    assert threads and threads[0] is not threading.main_thread()
    assert changed == [({"name": "csv", "path": str(path)}, ["x1", "x2"])] and panel.warnings == []
    assert values and values == sorted(values) and values[-1] == 1000


def test_cancel_stops_the_read_and_changes_nothing(panel, qtbot, tmp_path, monkeypatch):
    _choose(monkeypatch, tmp_path / "any.csv")
    started, reads = threading.Event(), []

    def endless(recipe, progress=None):
        """A read that goes on until its progress callback says stop (as the real ones do)."""
        started.set()
        while progress(len(reads) % 1000, 1000) is not False:
            reads.append(1)
            threading.Event().wait(0.005)
        from playground.data import LoadCancelled
        raise LoadCancelled("the loading was cancelled")
    monkeypatch.setattr(data_panel_module, "make_dataset", endless)
    changed = []
    panel.dataset_changed.connect(lambda *a: changed.append(a))
    panel.load_csv.click()
    assert started.wait(WAIT / 1000)
    dialog = panel.own_load.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)        # a read that lasts shows the dialog
    assert dialog.labelText().startswith("Reading any.csv")
    dialog.findChild(QPushButton).click()                  # the dialog's Cancel button
    qtbot.waitUntil(lambda: panel.own_load is None, timeout=WAIT)
    assert changed == [] and panel.warnings == []


def test_a_device_path_is_a_message_not_a_hang(panel, qtbot, monkeypatch):
    _choose(monkeypatch, "/dev/zero")
    panel.load_csv.click()
    qtbot.waitUntil(lambda: panel.own_load is None, timeout=WAIT)
    assert panel.warnings == ["/dev/zero is a device, not a CSV file: only regular files are read"]


def test_a_crash_inside_the_reader_is_a_message(panel, qtbot, tmp_path, monkeypatch):
    _choose(monkeypatch, tmp_path / "x.csv")

    def broken(recipe, progress=None):
        raise MemoryError()
    monkeypatch.setattr(data_panel_module, "make_dataset", broken)
    panel.load_csv.click()
    qtbot.waitUntil(lambda: panel.own_load is None, timeout=WAIT)
    assert panel.warnings == ["the data does not fit in this computer's memory"]
