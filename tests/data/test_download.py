"""The downloader end-to-end against a loopback HTTP server serving the real MNIST test files."""
from __future__ import annotations

import hashlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from playground.data import (DatasetUnavailable, DownloadCancelled, download_file, ensure_files,
                             make_dataset)
from playground.data.sources import SOURCES, mirrors_for

T10K = [f for f in SOURCES["mnist"].files if f.name.startswith("t10k")]


class _Handler(BaseHTTPRequestHandler):
    """Routes: /good/<file>, /missing/<file> (404), /drop/<file> (half, then hang up),
    /bad/<file> (one byte changed)."""

    def do_GET(self):
        mode, _, name = self.path.strip("/").partition("/")
        data = self.server.files.get(name)
        self.server.requests.append(self.path)
        if mode == "missing" or data is None:
            self.send_error(404, "Not Found")
            return
        if mode == "bad":
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        if mode in ("trickle", "endless", "silent"):
            self._stream(mode, data)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[:len(data) // 2] if mode == "drop" else data)

    def _stream(self, mode, data):
        """trickle: the right length announced, then one byte every 2 s; endless: zeros without
        end and without a length; silent: headers, then nothing."""
        self.send_response(200)
        if mode != "endless":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            for i in range(10**9):
                if self.server.stopping.is_set():
                    return
                if mode == "trickle":
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                    self.server.stopping.wait(2)
                elif mode == "endless":
                    self.wfile.write(bytes(64 * 1024))
                else:
                    self.server.stopping.wait(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def server(mnist_dir):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.files = {f.name: (mnist_dir / f.name).read_bytes() for f in T10K}
    httpd.requests = []
    httpd.stopping = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.stopping.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_a_missing_mirror_is_skipped_for_the_next(server, tmp_path):
    mirrors = mirrors_for("mnist", [f"{server.url}/missing", f"{server.url}/good"])
    for file in T10K:
        path = download_file(file, tmp_path, mirrors)
        assert _md5(path) == file.md5
    assert server.requests[0].startswith("/missing/") and server.requests[1].startswith("/good/")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in T10K)


def test_a_dropped_connection_leaves_no_part_and_a_retry_succeeds(server, tmp_path):
    file = T10K[0]
    with pytest.raises(DatasetUnavailable, match="dropped after"):
        download_file(file, tmp_path, [f"{server.url}/drop/"])
    assert list(tmp_path.iterdir()) == []
    # the same call with the dropping mirror first and a good one after
    path = download_file(file, tmp_path, [f"{server.url}/drop/", f"{server.url}/good/"])
    assert _md5(path) == file.md5
    assert [p.name for p in tmp_path.iterdir()] == [file.name]


def test_a_checksum_mismatch_is_refused(server, tmp_path):
    with pytest.raises(DatasetUnavailable) as err:
        download_file(T10K[1], tmp_path, [f"{server.url}/bad/"])
    assert "checksum does not match" in str(err.value) and T10K[1].name in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_no_server_names_the_file_and_the_remedy(tmp_path):
    with socket.socket() as s:                       # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DatasetUnavailable) as err:
        ensure_files("mnist", tmp_path, mirrors=[f"http://127.0.0.1:{port}/"], timeout=5)
    text = str(err.value)
    assert "train-images-idx3-ubyte.gz" in text and "could not connect" in text
    assert f"copy the files into {tmp_path}" in text


def test_cancel_mid_download_removes_the_part_file(server, tmp_path):
    cancel = threading.Event()
    seen = []

    def progress(done, total):
        seen.append(done)
        if done > 200_000:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        download_file(T10K[0], tmp_path, [f"{server.url}/good/"], progress=progress, cancel=cancel)
    assert list(tmp_path.iterdir()) == [] and 200_000 < max(seen) < T10K[0].size
    # a progress callback returning False cancels as well
    with pytest.raises(DownloadCancelled):
        download_file(T10K[0], tmp_path, [f"{server.url}/good/"], progress=lambda d, t: d < 100_000)
    assert list(tmp_path.iterdir()) == []


def test_progress_is_monotonic_and_reaches_the_total(server, tmp_path):
    calls = []
    download_file(T10K[0], tmp_path, [f"{server.url}/good/"], progress=lambda d, t: calls.append((d, t)))
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == T10K[0].size
    assert {t for _, t in calls} == {T10K[0].size}


def test_mirrors_come_from_the_environment(server, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_MIRRORS_MNIST", f"{server.url}/missing {server.url}/good")
    assert mirrors_for("mnist") == (f"{server.url}/missing/", f"{server.url}/good/")
    # only the test files exist on our mirror: the training set is reported missing, by name
    with pytest.raises(DatasetUnavailable, match="train-images-idx3-ubyte.gz") as err:
        ensure_files("mnist", tmp_path)
    assert "404" in str(err.value)
    assert not any(p.suffix == ".part" for p in tmp_path.iterdir())


def test_ensure_files_fetches_only_what_is_missing(server, tmp_path, monkeypatch, mnist_dir):
    folder = tmp_path
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        (folder / name).symlink_to(mnist_dir / name.replace("train", "t10k"))
    calls = []
    ensure_files("mnist", tmp_path, mirrors=[f"{server.url}/good"], progress=lambda d, t: calls.append((d, t)))
    assert sorted(r.rsplit("/", 1)[1] for r in server.requests) == sorted(f.name for f in T10K)
    total = sum(f.size for f in T10K)
    assert calls[-1] == (total, total) and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_missing_dataset_tells_where_to_copy_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetUnavailable) as err:
        make_dataset({"name": "fashion_mnist"})
    assert f"copy the files into {tmp_path / 'datasets' / 'fashion_mnist'}" in str(err.value)


def test_the_app_data_folder_follows_each_platform(monkeypatch, tmp_path):
    from playground.data import paths
    monkeypatch.delenv("PLAYGROUND_DATA_DIR", raising=False)
    monkeypatch.setattr(paths.Path, "home", staticmethod(lambda: tmp_path))
    monkeypatch.setattr(paths.sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.app_data_dir() == tmp_path / "xdg" / "Playground"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert paths.app_data_dir() == tmp_path / ".local" / "share" / "Playground"
    monkeypatch.setattr(paths.sys, "platform", "darwin")
    assert paths.app_data_dir() == tmp_path / "Library" / "Application Support" / "Playground"
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert paths.app_data_dir() == tmp_path / "Roaming" / "Playground"
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "env"))
    assert paths.app_data_dir() == tmp_path / "env"
    assert paths.app_data_dir(tmp_path / "arg") == tmp_path / "arg"


def _run(fn):
    """Run ``fn`` in a thread; returns (finished event, result box)."""
    finished, box = threading.Event(), {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc
        finished.set()
    threading.Thread(target=run, daemon=True).start()
    return finished, box


def test_cancel_takes_effect_while_the_server_trickles(server, tmp_path):
    cancel, first_byte = threading.Event(), threading.Event()

    def progress(done, total):
        if done:
            first_byte.set()

    finished, box = _run(lambda: download_file(T10K[1], tmp_path, [f"{server.url}/trickle/"],
                                               progress=progress, cancel=cancel))
    assert first_byte.wait(20)
    cancel.set()
    # the server sends its next byte 2 s later: the cancel must not wait for it (or for 64 kB)
    assert finished.wait(10), "the cancel waited for the server"
    assert isinstance(box.get("error"), DownloadCancelled)
    assert list(tmp_path.iterdir()) == []


def test_an_endless_stream_is_cut_off_at_the_file_size(server, tmp_path):
    finished, box = _run(lambda: download_file(T10K[1], tmp_path, [f"{server.url}/endless/"]))
    assert finished.wait(30), "the endless stream was never cut off"
    message = str(box.get("error"))
    assert isinstance(box.get("error"), DatasetUnavailable)
    assert f"the server sent more than {T10K[1].size + 64 * 1024:,} bytes" in message
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_stops_sending_is_given_up(server, tmp_path):
    finished, box = _run(lambda: download_file(T10K[1], tmp_path, [f"{server.url}/silent/",
                                                                   f"{server.url}/good/"], timeout=1))
    assert finished.wait(20)
    assert _md5(box["value"]) == T10K[1].md5             # the next mirror served it


def test_https_mirrors_come_first_and_http_stays_as_a_fallback():
    for name in ("mnist", "fashion_mnist", "kmnist"):
        mirrors = SOURCES[name].mirrors
        assert mirrors[0].startswith("https://"), name
        assert any(m.startswith("http://") for m in mirrors), name
