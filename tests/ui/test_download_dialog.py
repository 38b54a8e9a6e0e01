"""The download dialog and the Data panel's download step, end-to-end against a loopback HTTP server
that serves the real MNIST test files from ../shared/data/mnist.

Only the t10k files exist on this machine, and the downloader checks every file against the
official md5, so the training files are copied into the data folder beforehand (under their own
names, as a student who copied them by hand would) and the t10k files are what is downloaded: the
bytes served are exactly the official ones. Modal ``exec`` is replaced by ``open`` plus a bounded
wait, so nothing blocks.
"""
from __future__ import annotations

import hashlib
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QLabel

from playground.data import dataset_folder, missing_files
from playground.data.sources import SOURCES
from playground.ui.download_dialog import DownloadDialog, download_events, ensure_downloaded
from playground.ui.panels import gallery as gallery_module
from playground.ui.panels.data_panel import DataPanel

T10K = [f for f in SOURCES["mnist"].files if f.name.startswith("t10k")]
WAIT = 20_000                                      # ms: a generous bound, never a timing assertion


class _Handler(BaseHTTPRequestHandler):
    """Routes: /good/<file> at once, /slow/<file> in 16 KB pieces 10 ms apart."""

    def do_GET(self):
        mode, _, name = self.path.strip("/").partition("/")
        data = self.server.files.get(name)
        self.server.requests.append(self.path)
        if data is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        step = 16 * 1024 if mode == "slow" else len(data)
        try:
            for start in range(0, len(data), step):
                if self.server.stopping.is_set():
                    return
                self.wfile.write(data[start:start + step])
                if mode == "slow":
                    time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):   # the client cancelled
            pass

    def log_message(self, *args):
        pass


def _serve(port: int, mnist_dir):
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    httpd.files = {f.name: (mnist_dir / f.name).read_bytes() for f in T10K}
    httpd.requests, httpd.stopping = [], threading.Event()
    httpd.thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    httpd.thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    return httpd


def _stop(httpd) -> None:
    httpd.stopping.set()
    httpd.shutdown()
    httpd.server_close()
    httpd.thread.join()


@pytest.fixture
def servers(mnist_dir):
    """Starts loopback servers on request (port 0: an ephemeral one) and stops them all."""
    started = []

    def start(port: int = 0):
        started.append(_serve(port, mnist_dir))
        return started[-1]
    yield start
    for httpd in started:
        _stop(httpd)


@pytest.fixture
def data_home(tmp_path, monkeypatch, mnist_dir):
    """A fresh app data folder whose MNIST lacks only the t10k files."""
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    folder = tmp_path / "datasets" / "mnist"
    folder.mkdir(parents=True)
    for f in T10K:
        shutil.copy(mnist_dir / f.name, folder / f.name.replace("t10k", "train"))
    assert sorted(missing_files("mnist")) == sorted(f.name for f in T10K)
    return folder


@pytest.fixture(autouse=True)
def no_download_thread_survives():
    yield
    alive = [t.name for t in threading.enumerate() if t.name.startswith("download-")]
    assert alive == [], f"download threads still running: {alive}"


@pytest.fixture
def modal(monkeypatch, qtbot):
    """Replace ``exec`` by ``open`` and a bounded wait; ``act(dialog)`` plays the user."""
    def install(act=lambda dialog: None):
        def exec_(dialog):
            dialog.open()
            act(dialog)
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
            return dialog.result()
        monkeypatch.setattr(DownloadDialog, "exec", exec_)
    return install


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _md5(path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def _texts(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def _cancel_mid_download(qtbot, dialog, press) -> None:
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=WAIT)
    assert dialog.is_running()
    press()
    # until the worker confirms, the dialog stays open and says so
    assert dialog.status.text() == "Cancelling…" or not dialog.isVisible()


# -- the dialog on its own -----------------------------------------------------------------------
def test_the_dialog_says_what_where_and_how_big(qtbot, data_home):
    dialog = DownloadDialog("mnist")
    qtbot.addWidget(dialog)
    text = _texts(dialog)
    assert dialog.windowTitle() == "Download MNIST"
    assert all(f.name in text for f in T10K) and "train-images" not in text   # only what is missing
    assert "1.7 MB</b> in all" in text                     # 1,648,877 + 4,542 bytes
    assert str(data_home) in text and "Copy the official files" in text and "4.5 KB" in text
    assert dialog._thread is None                          # nothing starts before it is shown


def test_success_fills_the_bar_and_accepts(qtbot, data_home, servers):
    server = servers()
    dialog = DownloadDialog("mnist", mirrors=f"{server.url}/good")
    qtbot.addWidget(dialog)
    seen, threads = [], set()

    def on_value(v):                                    # runs in whichever thread set the value
        seen.append((v, dialog.status.text()))
        threads.add(threading.current_thread())
    dialog.bar.valueChanged.connect(on_value)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.open()
    assert dialog.result() == QDialog.Accepted and dialog.bar.text() == "100 %"
    assert threads == {threading.main_thread()}          # the worker never touched a widget
    assert [v for v, _ in seen] == sorted(v for v, _ in seen)
    assert any(f"{T10K[0].name} (file 1 of 2), " in status and "MB of 1.7 MB" in status
               for _, status in seen)
    assert missing_files("mnist") == [] and not list(data_home.glob("*.part"))
    assert all(_md5(data_home / f.name) == f.md5 for f in T10K)
    assert sorted(r.rsplit("/", 1)[1] for r in server.requests) == sorted(f.name for f in T10K)


@pytest.mark.parametrize("press", ["cancel button", "window close"])
def test_cancel_mid_download_stops_and_removes_the_partial_file(qtbot, data_home, servers, press):
    server = servers()
    dialog = DownloadDialog("mnist", mirrors=f"{server.url}/slow")
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT):
        _cancel_mid_download(qtbot, dialog, dialog.cancel_button.click if press == "cancel button"
                             else dialog.close)
    assert dialog.result() == QDialog.Rejected and not dialog.isVisible()
    assert dialog._thread is None                           # joined before it closed
    assert list(data_home.glob("*.part")) == []
    assert sorted(missing_files("mnist")) == sorted(f.name for f in T10K)
    assert dialog.bar.value() < dialog.bar.maximum()


def test_failure_shows_the_message_and_retry_tries_again(qtbot, data_home, servers):
    port = _free_port()                                     # nobody listens here yet
    dialog = DownloadDialog("mnist", mirrors=f"http://127.0.0.1:{port}/good", timeout=5)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT)
    message = dialog.error.text()
    assert T10K[0].name in message and "could not connect" in message
    assert f"copy the files into {data_home}" in message
    assert dialog.isVisible() and dialog.retry_button.isVisible()
    assert dialog.close_button.isVisible()
    assert not dialog.cancel_button.isVisible() and dialog._thread is None
    servers(port)                                           # the connection is back
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.retry_button.click()
    assert missing_files("mnist") == [] and not dialog.error.isVisible()


def test_close_after_a_failure_rejects(qtbot, data_home):
    dialog = DownloadDialog("mnist", mirrors=f"http://127.0.0.1:{_free_port()}/", timeout=5)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT)
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT):
        dialog.close_button.click()
    assert dialog.result() == QDialog.Rejected


def test_a_dialog_destroyed_mid_download_stops_its_worker(qtbot, data_home, servers):
    import shiboken6
    dialog = DownloadDialog("mnist", mirrors=f"{servers().url}/slow")
    dialog.open()
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=WAIT)
    worker = dialog._thread
    shiboken6.delete(dialog)                                # e.g. its parent window went away
    worker.join(timeout=WAIT / 1000)
    assert not worker.is_alive() and list(data_home.glob("*.part")) == []


# -- ensure_downloaded ---------------------------------------------------------------------------
def test_ensure_downloaded_needs_no_dialog_when_the_files_are_there(tmp_path, monkeypatch,
                                                                    mnist_dir):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(DownloadDialog, "exec", lambda self: pytest.fail("no dialog was needed"))
    assert ensure_downloaded("spiral", None)                # generated, nothing to download
    folder = tmp_path / "datasets" / "mnist"
    folder.mkdir(parents=True)
    for f in T10K:
        for name in (f.name, f.name.replace("t10k", "train")):
            shutil.copy(mnist_dir / f.name, folder / name)
    assert ensure_downloaded("mnist", None)


def test_ensure_downloaded_downloads_and_tells_the_galleries(qtbot, data_home, servers, modal,
                                                             monkeypatch):
    monkeypatch.setenv("PLAYGROUND_MIRRORS_MNIST", f"{servers().url}/good")
    modal()
    told = []
    download_events().dataset_downloaded.connect(told.append)
    try:
        assert ensure_downloaded("mnist", None) is True
    finally:
        download_events().dataset_downloaded.disconnect(told.append)
    assert told == ["mnist"] and missing_files("mnist") == []


# -- the Data panel ------------------------------------------------------------------------------
@pytest.fixture
def panel(qtbot, data_home):
    panel = DataPanel()
    qtbot.addWidget(panel)
    panel.set_dataset({"name": "xor", "noise": 0.1}, ["x1", "x2"])
    return panel


def _pick(panel, name: str) -> None:
    names = [panel.gallery.item(i).data(Qt.UserRole) for i in range(panel.gallery.count())]
    panel.gallery.setCurrentRow(names.index(name))


def _card_says(panel, name: str, state: str) -> bool:
    item = panel.gallery.item([panel.gallery.item(i).data(Qt.UserRole)
                               for i in range(panel.gallery.count())].index(name))
    shown = item.icon().pixmap(gallery_module.ICON).toImage().convertToFormat(QImage.Format_RGB32)
    card = gallery_module._card(SOURCES[name].title, state).toImage().convertToFormat(
        QImage.Format_RGB32)
    return shown == card


def test_picking_a_missing_classic_downloads_it_then_switches(panel, servers, modal, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_MIRRORS_MNIST", f"{servers().url}/good")
    modal()
    assert _card_says(panel, "mnist", "download")
    changed = []
    panel.dataset_changed.connect(lambda *args: changed.append(args))
    _pick(panel, "mnist")
    assert changed == [({"name": "mnist"}, [])]
    assert panel.gallery.current_name() == "mnist" and missing_files("mnist") == []
    assert _card_says(panel, "mnist", "downloaded") and not _card_says(panel, "mnist", "download")
    assert "Downloaded" in panel.gallery.item(panel.gallery.currentRow()).toolTip()


def test_cancelling_the_download_keeps_the_previous_dataset(qtbot, panel, servers, modal,
                                                           monkeypatch):
    monkeypatch.setenv("PLAYGROUND_MIRRORS_MNIST", f"{servers().url}/slow")
    modal(lambda dialog: _cancel_mid_download(qtbot, dialog, dialog.cancel_button.click))
    changed = []
    panel.dataset_changed.connect(lambda *args: changed.append(args))
    _pick(panel, "mnist")
    assert changed == [] and panel.gallery.current_name() == "xor"
    assert panel.recipe() == {"name": "xor", "noise": 0.1} and panel.features() == ["x1", "x2"]
    assert _card_says(panel, "mnist", "download")
    assert not list(dataset_folder("mnist").glob("*.part"))


def test_a_failed_download_keeps_the_previous_dataset(qtbot, panel, modal, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_MIRRORS_MNIST", f"http://127.0.0.1:{_free_port()}/")
    messages = []

    def user(dialog):
        qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT)
        messages.append(dialog.error.text())
        dialog.close_button.click()
    modal(user)
    changed = []
    panel.dataset_changed.connect(lambda *args: changed.append(args))
    _pick(panel, "mnist")
    assert changed == [] and panel.gallery.current_name() == "xor"
    assert "copy the files into" in messages[0] and _card_says(panel, "mnist", "download")
