"""The download dialog: fetch the missing files of a classic dataset (MNIST, Fashion-MNIST, KMNIST,
CIFAR-10) with a progress bar, Cancel, and Retry after a failure.

The transfer runs in a worker thread (``threading.Thread``) over ``playground.data``'s
``download_file``, one missing file after another. The worker never touches a widget: it emits the
signals of a small relay object, connected with queued connections, so every widget update happens
in the UI thread. Cancel sets the ``threading.Event`` the downloader checks at least every quarter
second, even while a slow server sends nothing (its socket reads wait at most that long); the
downloader then removes the ``.part`` file. The thread is joined before the dialog closes.

``ensure_downloaded(name, parent)`` is the one call the rest of the app needs: it returns True at
once when the files are there, otherwise shows the dialog and returns True only after a download
that succeeded (and tells every dataset gallery through ``download_events()``).
"""
from __future__ import annotations

import threading
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout, QLabel, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from playground.data import (DatasetError, DownloadCancelled, dataset_folder, download_file,
                             missing_files)
from playground.data.sources import SOURCES, mirrors_for

from .theme import colors, is_dark

MB = 1_000_000                   # decimal megabytes, as the mirrors and file managers count them
STEPS = 1000                     # the progress bar counts in tenths of a percent


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / MB:.1f} MB"


def _size(n_bytes: int) -> str:
    """A file's size for the list: the label files are a few KB, the images megabytes."""
    return _mb(n_bytes) if n_bytes >= 100_000 else f"{max(n_bytes / 1000, 0.1):.1f} KB"


class _Relay(QObject):
    """The worker's news, carried to the UI thread by queued signals. Byte counts travel as
    ``object`` because a C++ int would overflow past 2 GB."""

    progressed = Signal(object, object, str)      # bytes done, bytes in all, current file
    succeeded = Signal()
    failed = Signal(str)
    cancelled = Signal()


class _Events(QObject):
    """App-wide news about downloads, so every gallery can redraw a card that changed."""

    dataset_downloaded = Signal(str)


_events: _Events | None = None


def download_events() -> _Events:
    """The app's one ``_Events`` object (made on first use, after the QApplication)."""
    global _events
    if _events is None:
        _events = _Events()
    return _events


def _say(signal, *args) -> bool:
    """Emit from the worker; False when the dialog (and so the relay) is already gone."""
    try:
        signal.emit(*args)
    except RuntimeError:                          # the C++ relay was deleted with its dialog
        return False
    return True


def _transfer(name: str, root, mirrors, timeout: float, cancel: threading.Event,
              relay: _Relay) -> None:
    """The worker thread's body: download each missing file in turn, reporting as it goes."""
    source = SOURCES[name]
    folder = dataset_folder(name, root)
    missing = set(missing_files(name, root))
    todo = [f for f in source.files if f.name in missing]
    total, finished = sum(f.size for f in todo), 0
    try:
        for file in todo:
            def on_bytes(done, _length, _file=file, _start=finished):
                # returning False cancels: the dialog that would show the progress has gone
                return _say(relay.progressed, _start + done, total, _file.name)
            download_file(file, folder, mirrors_for(name, mirrors), progress=on_bytes,
                          cancel=cancel, timeout=timeout, source=source)
            finished += (folder / file.name).stat().st_size
    except DownloadCancelled:
        _say(relay.cancelled)
        return
    except DatasetError as exc:                   # DatasetUnavailable: names the file and remedy
        _say(relay.failed, str(exc))
        return
    except Exception as exc:                      # never leave the dialog waiting on a dead thread
        _say(relay.failed, f"The download of {source.title} stopped unexpectedly: {exc}")
        return
    _say(relay.progressed, finished, max(finished, 1), "")
    _say(relay.succeeded)


class DownloadDialog(QDialog):
    """The "Download MNIST" dialog: lists the files still missing and their size, the folder they
    go to (and that an offline computer can copy the official files there instead), then downloads
    them with a progress bar. Cancel stops the transfer and closes (``reject``); a failure shows the
    downloader's message with Retry and Close; success closes with ``accept``. The download starts
    when the dialog is first shown, or with ``start()``."""

    def __init__(self, name: str, parent: QWidget | None = None, *, root=None, mirrors=None,
                 timeout: float = 30.0):
        super().__init__(parent)
        self.name, self.source = name, SOURCES[name]
        self._root, self._mirrors, self._timeout = root, mirrors, timeout
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._closing = False
        self.folder = dataset_folder(name, root)
        self.files = [f for f in self.source.files if f.name in set(missing_files(name, root))]
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._on_progressed, Qt.QueuedConnection)
        self._relay.succeeded.connect(self._on_succeeded, Qt.QueuedConnection)
        self._relay.failed.connect(self._on_failed, Qt.QueuedConnection)
        self._relay.cancelled.connect(self._on_cancelled, Qt.QueuedConnection)
        self.setWindowTitle(f"Download {self.source.title}")
        self.setMinimumWidth(560)
        self._build()

    # -- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        title = QLabel(f"Download {self.source.title}")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        intro = QLabel(f"{self.source.title} is not on this computer yet. Playground downloads "
                       f"these files once, from {urlsplit(self._first_mirror()).netloc}:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._file_table())
        layout.addWidget(self._folder_box())
        layout.addSpacing(6)
        self.status = QLabel("Connecting…")
        self.bar = QProgressBar()
        self.bar.setRange(0, STEPS)
        self.bar.setFormat("%p %")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextSelectableByMouse)
        red = ("#ffb4ab", "#3b1f1f", "#8c1d18") if is_dark() else ("#b3261e", "#fdecea", "#f2b8b5")
        self.error.setStyleSheet(f"QLabel {{ color: {red[0]}; background: {red[1]}; padding: 6px; "
                                 f"border: 1px solid {red[2]}; border-radius: 3px; }}")
        self.error.hide()
        for widget in (self.status, self.bar, self.error):
            layout.addWidget(widget)
        layout.addWidget(self._buttons())

    def _first_mirror(self) -> str:
        return mirrors_for(self.name, self._mirrors)[0]

    def _file_table(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setContentsMargins(12, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        for row, file in enumerate(self.files):
            grid.addWidget(QLabel(file.name), row, 0)
            grid.addWidget(QLabel(_size(file.size)), row, 1, Qt.AlignRight)
        total = QLabel(f"<b>{_mb(self.total_bytes())}</b> in all")
        grid.addWidget(total, len(self.files), 1, Qt.AlignRight)
        grid.setColumnStretch(2, 1)
        return grid

    def _folder_box(self) -> QWidget:
        home = self.source.homepage
        link = (f"<a href='{home}' style='color:{colors()['highlight']}'>"
                f"{home.split('://', 1)[-1].rstrip('/')}</a>")
        muted = colors()["muted"]
        box = QLabel(f"They go into <b>{self.folder}</b><br><span style='color:{muted}'>"
                     f"No internet on this computer? Copy the official files (from {link}) into "
                     f"this folder instead, then choose {self.source.title} again.</span>")
        box.setWordWrap(True)
        box.setTextInteractionFlags(Qt.TextBrowserInteraction)
        box.setOpenExternalLinks(True)
        return box

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.retry_button = QPushButton("Retry")
        self.close_button = QPushButton("Close")
        self.cancel_button = QPushButton("Cancel")
        buttons.addButton(self.retry_button, QDialogButtonBox.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.RejectRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.RejectRole)
        # the buttons are wired by hand: the box's own accepted() would close the dialog on Retry
        self.retry_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        self.cancel_button.clicked.connect(self.reject)
        self.retry_button.hide()
        self.close_button.hide()
        return buttons

    def _fit(self) -> None:
        """Just tall enough for the wrapped text at the current width (no stretched gaps)."""
        width = max(self.width(), self.minimumWidth())
        self.resize(width, self.layout().totalHeightForWidth(width))

    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    # -- the transfer ----------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start (or, after a failure, restart) the download in a worker thread."""
        if self.is_running():
            return
        self._join()
        self._cancel = threading.Event()
        self.error.hide()
        self.bar.show()
        self.retry_button.hide()
        self.close_button.hide()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.status.setText("Connecting…")
        self._fit()
        self._thread = threading.Thread(
            target=_transfer, name=f"download-{self.name}", daemon=True,
            args=(self.name, self._root, self._mirrors, self._timeout, self._cancel, self._relay))
        self._thread.start()

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._thread is None and not self.error.isVisible() and not self._closing:
            self.start()

    def reject(self) -> None:
        """Cancel, Close, Escape or the window's close button. While the transfer runs this only
        asks it to stop; the dialog closes when the worker says it has (``_on_cancelled``)."""
        if self.is_running():
            self._closing = True
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.is_running():                     # closed by code, not by the user: stop first
            self._cancel.set()
        self._join()
        super().done(result)

    # -- the worker's news (UI thread) -----------------------------------------------------------
    def _on_progressed(self, done: int, total: int, file_name: str) -> None:
        if self._closing:
            return
        self.bar.setValue(min(STEPS, round(STEPS * done / total)) if total else 0)
        names = [f.name for f in self.files]
        where = (f"{file_name} (file {names.index(file_name) + 1} of {len(names)}), "
                 if file_name in names else "")
        self.status.setText(f"Downloading {where}{_mb(done)} of {_mb(total)}")

    def _on_succeeded(self) -> None:
        self._join()
        self.bar.setValue(STEPS)
        self.status.setText(f"{self.source.title} is ready.")
        self.accept()

    def _on_cancelled(self) -> None:
        self._join()
        self.status.setText("Cancelled.")
        super().reject()

    def _on_failed(self, message: str) -> None:
        self._join()
        if self._closing:                         # the user had already asked to close
            super().reject()
            return
        self.status.setText("The download failed.")
        self.error.setText(message)
        self.error.show()
        self.bar.hide()
        self._fit()                               # make room for the message
        self.cancel_button.hide()
        self.retry_button.show()
        self.close_button.show()
        self.retry_button.setDefault(True)


def ensure_downloaded(name: str, parent: QWidget | None = None, **options) -> bool:
    """True when the classic dataset ``name`` is on this computer, downloading it first (with the
    dialog) if files are missing; False when the user cancelled or the download failed. Names
    that need no download are always there. ``options`` go to ``DownloadDialog`` (root, mirrors,
    timeout)."""
    if name not in SOURCES or not missing_files(name, options.get("root")):
        return True
    dialog = DownloadDialog(name, parent, **options)
    try:
        accepted = dialog.exec() == QDialog.Accepted
    finally:
        dialog.deleteLater()
    if accepted:
        download_events().dataset_downloaded.emit(name)
    return accepted
