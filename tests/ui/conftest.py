"""The UI tests' shared fixtures: main windows opened as a student meets them (shown, engine warm)
and closed again with no thread left behind, and the application's look put back afterwards."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from playground.ui import collector
from ui_threads import app_threads

WINDOW_WAIT = 300_000   # ms: generous, the first window may compile numba kernels on a busy machine


@pytest.fixture
def app_look(qapp):
    """The application's style sheet, palette and font as they were: the window themes the whole
    application (classroom mode scales its font), and other test files style widgets one by one,
    which an application-wide style sheet would override."""
    sheet, palette, font = qapp.styleSheet(), qapp.palette(), QApplication.font()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    QApplication.setFont(font)


@pytest.fixture
def quiet_dialogs(monkeypatch):
    """No dialog blocks a test: questions (save changes?) are answered Discard, warnings OK, and
    a download offer is declined."""
    from playground.ui.download_dialog import DownloadDialog
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Discard))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.Ok))
    monkeypatch.setattr(DownloadDialog, "exec", lambda self: QDialog.Rejected)


@pytest.fixture
def make_main_window(qtbot, tmp_path, monkeypatch, app_look):
    """``make(project=None)``: a main window on ``project`` (the default project without one),
    1280x800, shown and ready to train, with its own throw-away settings and data folder.

    At the end every window made is closed, and its training thread, engine warm-up, snapshot
    pump and autosave timer are stopped: no thread outlives its window."""
    from playground.ui import app as app_module
    from playground.ui.main_window import MainWindow
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "data"))
    app_module.application()
    threads_before = app_threads()
    made = []

    def make(project=None) -> MainWindow:
        settings = QSettings(str(tmp_path / f"settings{len(made)}.ini"), QSettings.IniFormat)
        w = MainWindow(project=project, settings=settings)
        # closed here, not by qtbot: the window deletes itself once closed (WA_DeleteOnClose)
        w.resize(1280, 800)
        made.append(w)
        w.show()
        qtbot.waitUntil(lambda: w.ready, timeout=WINDOW_WAIT)
        return w

    yield make
    for w in made:
        if getattr(w, "_labs_window", None) is not None:
            w._labs_window.close()
        w.files.mark_clean()
        w.close()
    for w in made:
        assert not w.bridge.thread.is_alive()
        assert not w.warmup.thread.is_alive()
        assert not w.pump.active and not w.files.autosave_timer.isActive()
    assert app_threads() == threads_before
    if made:            # the windows' deletion and their garbage, here on the UI thread
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        collector.settle()
