"""Downloading the classic datasets into the app data folder, with urllib only.

Each file streams into ``<name>.part`` while its md5 is computed; only a complete file with the
official checksum is renamed (atomically) to its real name, so an interrupted or corrupted
download never leaves a file that looks finished, and the next attempt starts cleanly. Mirrors are
tried in order. ``progress(bytes_done, total)`` is called as bytes arrive (return False from it to
cancel); setting the ``cancel`` event cancels too. Either way the ``.part`` file is removed.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Optional

from .errors import DatasetUnavailable, DownloadCancelled
from .paths import datasets_dir
from .sources import SOURCES, RemoteFile, Source, mirrors_for

Progress = Optional[Callable[[int, Optional[int]], Optional[bool]]]
CHUNK = 64 * 1024


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


def _fetch(url: str, part: Path, md5: str, on_bytes: Callable[[int, Optional[int]], bool],
           cancel, timeout: float) -> None:
    """Stream one URL into ``part``, checking length and md5; raises _BadDownload or
    DownloadCancelled."""
    digest, done = hashlib.md5(), 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(part, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            while True:
                if _cancelled(cancel) or on_bytes(done, total) is False:
                    raise DownloadCancelled(f"the download of {part.name[:-5]} was cancelled")
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
    except urllib.error.HTTPError as exc:
        raise _BadDownload(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
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
            _fetch(url, part, file.md5, progress or (lambda d, t: None), cancel, timeout)
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
