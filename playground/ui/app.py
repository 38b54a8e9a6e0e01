"""Starting the app: ``run(options) -> exit code``.

``options`` has ``screenshot`` (a PNG path: open, train, save a picture of the window, exit),
``example`` (open this example instead of the default project), ``train_steps`` (steps before the
screenshot), ``self_test`` (the bundle's smoke test, see selftest.py) and ``project`` (a file).
"""
from __future__ import annotations

import os
import sys
import tempfile

from PySide6.QtWidgets import QApplication

from . import theme  # noqa: F401 (tests and callers reach the theme through this module)
from .qtapp import APP, ORG, application, scratch_settings, wait_until  # noqa: F401 (re-exported)


def _option(options, name: str, default=None):
    return getattr(options, name, default) if options is not None else default


def _initial_project(options):
    """The project to open: a file, an example, or the default spiral; raises ProjectError."""
    from ..project.examples import default_project, load_example
    from ..project.projectfile import load_project
    if _option(options, "project"):
        return load_project(_option(options, "project"))
    if _option(options, "example") and not _lab_tab(options):
        return load_example(_option(options, "example"))
    return default_project()


def _lab_tab(options) -> str | None:
    """The Labs tab an ``--example`` opens (``optimizer_race``), or None for a project example."""
    from .labs import LAB_EXAMPLES
    return LAB_EXAMPLES.get(_option(options, "example") or "")


def run(options=None) -> int:
    """Open the main window (or take a screenshot, or run the self-test); returns the exit code."""
    if _option(options, "self_test"):
        from .selftest import run_self_test
        return run_self_test()
    if _option(options, "screenshot"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    from ..project.project import ProjectError
    from .main_window import MainWindow
    try:
        project = _initial_project(options)
    except ProjectError as exc:
        print(f"playground: {exc}", file=sys.stderr)
        return 2
    if _option(options, "screenshot"):
        # a fresh layout, and nothing of the user's settings touched
        with tempfile.TemporaryDirectory(prefix="playground-") as folder:
            window = MainWindow(project, settings=scratch_settings(folder))
            if _lab_tab(options):
                from .labs.shots import screenshot_lab
                return screenshot_lab(window, _lab_tab(options), _option(options, "screenshot"),
                                      int(_option(options, "train_steps", 0) or 0))
            return take_screenshot(window, _option(options, "screenshot"),
                                   int(_option(options, "train_steps", 0) or 0))
    path = _option(options, "project")
    # a file is opened like File > Open: built off the UI thread, its download offered, never run
    window = MainWindow(None if path else project)
    window.show()
    if path:
        window.files.switch_to(project, str(path), os.path.basename(str(path)))
    if _lab_tab(options):
        from .labs import open_labs
        open_labs(window, _lab_tab(options))
    window.files.offer_recovery()
    app.aboutToQuit.connect(window.shutdown)
    code = app.exec()
    window.files.closed_cleanly()
    return code


def _run_recording_every_epoch(trainer, steps: int) -> None:
    """``steps`` steps in one go with a history record per epoch (the live pace would keep one)."""
    interval, trainer.record_interval = trainer.record_interval, 0.0
    try:
        trainer.run(steps)
    finally:
        trainer.record_interval = interval


def train_synchronously(window, steps: int) -> None:
    """Train ``steps`` steps in the worker (the UI waits) and draw the result once."""
    window.pump.stop()                          # so the snapshot below is drawn here, not taken early
    if steps > 0 and window.session is not None:
        window.bridge.call(lambda t: _run_recording_every_epoch(t, steps)).result(600)
        window.bridge.pause().wait(10)          # publishes a snapshot of the trained state
    wait_until(lambda: window.pump.pull_now() or False, timeout=5)
    # predictions and autoencoder codes are computed in the worker: show them too
    if window.parts.image_docks.wait_for_evaluation(120):
        QApplication.processEvents()


def take_screenshot(window, path: str, steps: int) -> int:
    window.resize(1280, 800)
    window.show()
    if not wait_until(lambda: window.ready):
        print("playground: the engine did not get ready", file=sys.stderr)
        return 1
    train_synchronously(window, steps)
    QApplication.processEvents()
    ok = window.grab().save(str(path))
    window.files.mark_clean()
    window.close()
    if not ok:
        print(f"playground: could not write {path}", file=sys.stderr)
        return 1
    return 0
