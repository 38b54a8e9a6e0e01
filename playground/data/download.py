"""Downloading the classic datasets into the app data folder, with urllib only.

Each file streams into ``<name>.part`` while its md5 is computed; only a complete file with the
official checksum is renamed (atomically) to its real name, so an interrupted or corrupted
download never leaves a file that looks finished, and the next attempt starts cleanly. Mirrors are
tried in order. ``progress(bytes_done, total)`` is called as bytes arrive (return False from it to
cancel); setting the ``cancel`` event cancels too. Either way the ``.part`` file is removed.

Bounded in time and size: the socket is read in waits of at most POLL seconds, so a cancel takes
effect within a second even when the server trickles a byte at a time; a mirror that sends fewer
than MIN_BYTES in ``timeout`` seconds is given up; a file is cut off (and that mirror given up) once
it passes its official size plus a small margin, so an endless stream cannot fill the disk. The md5
check protects the content: a mirror (http or https) can only deliver the official bytes.
"""
from __future__ import annotations

import hashlib
import http.client
import io
import os
import socket
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Optional

from .errors import DatasetUnavailable, DownloadCancelled
from .paths import datasets_dir
from .sources import SOURCES, RemoteFile, Source, mirrors_for

Progress = Optional[Callable[[int, Optional[int]], Optional[bool]]]
CHUNK = 64 * 1024
POLL = 0.25            #: seconds a socket read waits before the cancel event is looked at again
MIN_BYTES = 1024       #: a server sending fewer bytes than this per ``timeout`` seconds has stalled


class _BadDownload(Exception):
    """One mirror's attempt failed; the message says why."""


def dataset_folder(name: str, root=None) -> Path:
    """Where a classic dataset's files live: ``root`` itself when given (a folder the user chose),
    else ``<app data>/datasets/<name>``."""
    return Path(root).expanduser() if root else datasets_dir() / name


def missing_files(name: str, root=None) -> list[str]:
    folder = dataset_folder(name, root)
    return [f.name for f in _source(name).files if not (folder / f.name).is_file()]


def remedy(source: Source, folder: Path) -> str:
    """The second half of every "not available" message: how to serve an offline machine."""
    names = ", ".join(f.name for f in source.files)
    return f"or copy the files into {folder} by hand ({names}, from {source.homepage})."


def _source(name: str) -> Source:
    if name not in SOURCES:
        raise DatasetUnavailable(f"there is no downloadable dataset called {name!r}; "
                                 f"choose one of {', '.join(SOURCES)}")
    return SOURCES[name]


def _cancelled(cancel) -> bool:
    return cancel is not None and cancel.is_set()


def size_cap(size: int) -> int:
    """The most bytes accepted for a file whose official size is ``size``: a little margin, so a
    mirror that serves a slightly different build is still judged by its md5, not cut off."""
    return size + max(64 * 1024, size // 100)


class _PatientReader(io.RawIOBase):
    """The socket under an HTTP response, read in short waits (POLL seconds) so that a cancel is
    seen within a second however slowly the server sends. ``idle`` seconds without a single byte,
    or fewer than MIN_BYTES in any ``idle``-second window, is a failed mirror."""

    def __init__(self, sock, io_ref, cancel, idle: float):
        super().__init__()
        self._sock, self._io_ref, self._cancel, self._idle = sock, io_ref, cancel, idle
        self._window_start, self._window_bytes = time.monotonic(), 0
        sock.settimeout(POLL)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if _cancelled(self._cancel):
                raise DownloadCancelled("the download was cancelled")
            try:
                n = self._sock.recv_into(buffer)
            except (socket.timeout, TimeoutError):
                n = None
            now = time.monotonic()
            if n:
                self._window_bytes += n
            if now - self._window_start >= self._idle:
                if self._window_bytes < MIN_BYTES:
                    raise _BadDownload(f"the server sent only {self._window_bytes} bytes in "
                                       f"{self._idle:g} s: it is too slow or has stopped")
                self._window_start, self._window_bytes = now, 0
            if n is not None:
                return n

    def close(self) -> None:
        if not self.closed:
            self._io_ref.close()                   # lets the socket itself close
        super().close()


def _opener(cancel, idle: float):
    """A urllib opener whose responses read through ``_PatientReader``."""
    class Response(http.client.HTTPResponse):
        def __init__(self, sock, *args, **kwargs):
            super().__init__(sock, *args, **kwargs)
            self.fp = io.BufferedReader(_PatientReader(sock, self.fp, cancel, idle), CHUNK)

    class Http(http.client.HTTPConnection):
        response_class = Response

    class Https(http.client.HTTPSConnection):
        response_class = Response

    class HttpHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Http, req)

    class HttpsHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(Https, req, context=ssl.create_default_context())

    return urllib.request.build_opener(HttpHandler, HttpsHandler)


def _fetch(url: str, part: Path, md5: str, on_bytes: Callable[[int, Optional[int]], bool],
           cancel, timeout: float, size: int | None = None) -> None:
    """Stream one URL into ``part``, checking length, size cap and md5; raises _BadDownload or
    DownloadCancelled. ``timeout`` bounds the connection and any stall; the cancel event and the
    progress callback are checked at least every POLL seconds."""
    digest, done = hashlib.md5(), 0
    cap = None if size is None else size_cap(size)
    name = part.name[:-5]
    try:
        with _opener(cancel, timeout).open(url, timeout=timeout) as response, open(part, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and cap is not None and total > cap:
                raise _BadDownload(f"the server offers {total:,} bytes but {name} is "
                                   f"{size:,} bytes")
            while True:
                if _cancelled(cancel) or on_bytes(done, total) is False:
                    raise DownloadCancelled(f"the download of {name} was cancelled")
                chunk = response.read1(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if cap is not None and done > cap:
                    raise _BadDownload(f"the server sent more than {cap:,} bytes, but {name} is "
                                       f"{size:,} bytes: stopped")
    except DownloadCancelled as exc:
        raise DownloadCancelled(f"the download of {name} was cancelled") from exc.__cause__
    except urllib.error.HTTPError as exc:
        raise _BadDownload(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, DownloadCancelled):
            raise DownloadCancelled(f"the download of {name} was cancelled") from None
        raise _BadDownload(f"could not connect ({exc.reason})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise _BadDownload(f"the connection failed ({exc or type(exc).__name__})") from None
    if total is not None and done != total:
        raise _BadDownload(f"the connection dropped after {done:,} of {total:,} bytes")
    if digest.hexdigest() != md5:
        raise _BadDownload(f"the checksum does not match (md5 {digest.hexdigest()}, expected {md5}): "
                           f"the file is damaged or not the official one")


def download_file(file: RemoteFile, folder: Path, mirrors, *, progress: Progress = None,
                  cancel=None, timeout: float = 30.0, source: Source | None = None) -> Path:
    """Fetch one file into ``folder`` from the first mirror that serves it intact."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetUnavailable(f"cannot create the folder {folder} for {file.name}: "
                                 f"{exc.strerror or exc}; choose another data folder") from None
    dest, part = folder / file.name, folder / (file.name + ".part")
    failures = []
    for base in mirrors:
        url = base + file.name
        try:
            _fetch(url, part, file.md5, progress or (lambda d, t: None), cancel, timeout, file.size)
        except _BadDownload as exc:
            part.unlink(missing_ok=True)
            failures.append(f"  {url}: {exc}")
            continue
        except BaseException:                      # cancelled, or the caller's callback failed
            part.unlink(missing_ok=True)
            raise
        os.replace(part, dest)                     # atomic: the real name only ever holds a whole file
        return dest
    help_text = ("Check the internet connection and try again, "
                 + (remedy(source, folder) if source else f"or copy {file.name} into {folder} by hand."))
    raise DatasetUnavailable(f"Could not download {file.name}.\n" + "\n".join(failures) + "\n" + help_text)


def ensure_files(name: str, root=None, *, progress: Progress = None, cancel=None, mirrors=None,
                 timeout: float = 30.0) -> Path:
    """Make sure every file of the classic dataset ``name`` is in its folder, downloading what is
    missing; returns the folder. ``progress`` sees bytes over all missing files together."""
    source = _source(name)
    folder = dataset_folder(name, root)
    todo = [f for f in source.files if not (folder / f.name).is_file()]
    sizes = {f.name: f.size for f in todo}
    finished = 0

    for file in todo:
        def on_bytes(done, total, _name=file.name):
            if total is not None:
                sizes[_name] = total               # the server knows best
            return None if progress is None else progress(finished + done, sum(sizes.values()))
        download_file(file, folder, mirrors_for(name, mirrors), progress=on_bytes, cancel=cancel,
                      timeout=timeout, source=source)
        finished += (folder / file.name).stat().st_size
        sizes[file.name] = (folder / file.name).stat().st_size
    if todo and progress is not None:
        progress(finished, sum(sizes.values()))
    return folder
