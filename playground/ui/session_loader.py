"""Build a project's session off the UI thread, with a progress dialog when it takes a while.

Opening a project reads its dataset (MNIST is tens of megabytes, a folder of images many files)
and builds the network; done in the UI thread, the window would freeze. ``build_in_background``
runs ``prepare_session`` in a thread and waits in a local event loop (the window keeps painting);
past ``DIALOG_AFTER`` seconds a progress dialog shows, whose Cancel leaves everything as it was
(the thread finishes on its own and its result is dropped). Nothing is swapped here: the caller
installs the finished session in one go.
"""
from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..project.project import Project, ProjectError
from ..project.session import Session, build_session

DIALOG_AFTER = 0.3      # seconds: quicker builds never flash a dialog
POLL_MS = 30


class BuildCancelled(Exception):
    """The user pressed Cancel while the project was being prepared."""


class BuildFailed(Exception):
    """The project does not build: ``message`` in words, ``details`` the traceback (empty for a
    ProjectError, whose message says it all)."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.message, self.details = message, details


def restore_progress(session: Session, history: list[dict]) -> None:
    """Carry a saved run's history into a fresh trainer so the curves and counters continue."""
    trainer = session.trainer
    trainer.history = [dict(r) for r in history]
    last = history[-1]
    trainer.epoch = int(last.get("epoch", len(history)))
    trainer.step_count = int(last.get("step", trainer.epoch * trainer.steps_per_epoch))


def without_download(project: Project) -> Project:
    """A copy whose dataset recipe never downloads: the download is offered by a dialog first."""
    copy = project.copy()
    if copy.dataset.get("download"):
        copy.dataset = {**copy.dataset, "download": False}
    return copy


def prepare_session(project: Project) -> Session:
    """The session ``MainWindow.rebuild(keep_progress=True)`` would build, weights and history
    restored; raises ``BuildFailed`` with the reason."""
    try:
        session = build_session(without_download(project))
        if project.comparison is not None:      # its saved configurations went on: a later
            project.comparison.saved = None     # rebuild (a new structure, Reset) starts fresh
        if project.history and not getattr(session.trainer, "resumed", 0):
            restore_progress(session, project.history)
        return session
    except ProjectError as exc:
        raise BuildFailed(str(exc)) from None
    except Exception as exc:   # noqa: BLE001 - anything else is a bug or a hostile file: say so
        text = str(exc).strip()
        raise BuildFailed(f"{type(exc).__name__}: {text}" if text else type(exc).__name__,
                          traceback.format_exc()) from None


def build_in_background(project: Project, parent: QWidget | None = None,
                        label: str = "Opening the project…") -> Session:
    """``prepare_session(project)`` in a worker thread; raises BuildFailed or BuildCancelled."""
    result: dict = {}

    def work() -> None:
        try:
            result["session"] = prepare_session(project)
        except BuildFailed as exc:
            result["error"] = exc
        except BaseException as exc:   # noqa: BLE001 - MemoryError and the like: never lost
            result["error"] = BuildFailed(f"{type(exc).__name__}: {exc}", traceback.format_exc())

    thread = threading.Thread(target=work, name="playground-open", daemon=True)
    thread.start()
    thread.join(DIALOG_AFTER)
    if thread.is_alive() and not _wait_with_dialog(thread, parent, label):
        raise BuildCancelled()
    if "error" in result:
        raise result["error"]
    return result["session"]


def _wait_with_dialog(thread: threading.Thread, parent: QWidget | None, label: str) -> bool:
    """Spin a local event loop until ``thread`` ends; False when the user cancelled."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Playground")
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(lambda: loop.quit() if not thread.is_alive() else None)
    dialog.canceled.connect(loop.quit)
    timer.start()
    dialog.show()
    loop.exec()
    timer.stop()
    cancelled = dialog.wasCanceled() and thread.is_alive()
    dialog.close()
    dialog.deleteLater()
    return not cancelled
