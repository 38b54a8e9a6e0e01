"""Reading the user's own CSV file or image folder off the UI thread, with a progress dialog and
Cancel.

``OwnDataLoad(parent, recipe, on_done)`` starts a ``threading.Thread`` that runs
``make_dataset(recipe, progress=...)``; the thread never touches a widget: it emits the signals of
this QObject, connected with queued connections, so the progress bar and ``on_done(dataset,
error)`` run in the UI thread. Cancel sets a ``threading.Event`` that the progress callback turns
into ``LoadCancelled`` between blocks of lines or images. The dialog appears only when the load
takes longer than a moment.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from playground.data import DatasetError, make_dataset

STEPS = 1000
SHOW_AFTER_MS = 300


class OwnDataLoad(QObject):
    """One load in a worker thread; ``on_done(dataset or None, error or None)`` in the UI thread."""

    progressed = Signal(int)
    finished = Signal(object, object)

    def __init__(self, parent, recipe: dict, on_done: Callable, loader=None):
        super().__init__(parent)
        self.recipe, self._on_done = dict(recipe), on_done
        self._loader = loader or make_dataset
        self.cancel_event = threading.Event()
        self._last = -1
        name = Path(str(recipe.get("path", ""))).name or "your data"
        self.dialog = QProgressDialog(f"Reading {name}…", "Cancel", 0, STEPS, parent)
        self.dialog.setWindowTitle("Loading your data")
        self.dialog.setMinimumWidth(380)
        self.dialog.setWindowModality(Qt.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        self.dialog.canceled.connect(self.cancel)
        self.progressed.connect(self._on_progress, Qt.QueuedConnection)
        self.finished.connect(self._on_finished, Qt.QueuedConnection)
        self.thread = threading.Thread(target=self._run, name="own-data-load", daemon=True)
        self.thread.start()

    def cancel(self) -> None:
        self.cancel_event.set()
        self.dialog.setLabelText("Cancelling…")

    @property
    def running(self) -> bool:
        return self.thread.is_alive() or self.dialog is not None

    # -- the worker thread ---------------------------------------------------------------------
    def _progress(self, done: float, total: float) -> bool:
        value = int(STEPS * done / total) if total else 0
        if value != self._last:
            self._last = value
            self._emit(self.progressed, value)
        return not self.cancel_event.is_set()

    def _run(self) -> None:
        try:
            dataset, error = self._loader(self.recipe, progress=self._progress), None
        except DatasetError as exc:
            dataset, error = None, exc
        except MemoryError:
            dataset, error = None, DatasetError("the data does not fit in this computer's memory")
        except Exception as exc:  # noqa: BLE001 - the user hears about it; the app keeps running
            dataset, error = None, DatasetError(f"the data could not be read ({type(exc).__name__}: "
                                                f"{exc})")
        self._emit(self.finished, dataset, error)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:            # the panel (and this object) has gone: nobody is waiting
            pass

    # -- the UI thread -------------------------------------------------------------------------
    def _on_progress(self, value: int) -> None:
        if self.dialog is not None:
            self.dialog.setValue(value)

    def _on_finished(self, dataset, error) -> None:
        self.thread.join()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self._on_done(dataset, error)
        self.deleteLater()
