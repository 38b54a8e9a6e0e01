"""Reading the files a recipe names, safely: only regular files and folders, never more than a
limit, with progress and cancel.

A project file can name any path in its dataset recipe. ``read_regular`` opens it without blocking
(a FIFO would otherwise wait forever), refuses anything that is not a regular file (``/dev/zero``,
devices, sockets, FIFOs), refuses files over ``limit`` bytes and reads in pieces, calling
``progress(done, total)`` between them (return False to stop). ``scan_files`` walks a folder without
following links to folders, and stops after ``max_entries`` entries, saying so.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .errors import DatasetError, LoadCancelled

Progress = Optional[Callable[[int, int], Optional[bool]]]

MB = 1024 * 1024
#: the largest CSV of points read (10 million rows of x1, x2, label is about 200 MB)
MAX_CSV_BYTES = 256 * MB
#: the largest single image file read
MAX_IMAGE_FILE_BYTES = 32 * MB
#: entries (files and folders) looked at while scanning an image folder
MAX_SCAN_ENTRIES = 100_000
#: folder depth below each class folder
MAX_SCAN_DEPTH = 8
PIECE = 1 * MB


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def check_cancel(progress: Progress, done: int, total: int) -> None:
    """Report progress; a callback returning False stops the load."""
    if progress is not None and progress(done, total) is False:
        raise LoadCancelled("the loading was cancelled")


def read_head(path, n: int, what: str = "file") -> bytes:
    """The first ``n`` bytes of the regular file ``path`` (DatasetError otherwise): a cheap look at
    a file's signature before reading it all."""
    return read_regular(path, None, what, head=n)


def read_regular(path, limit: int | None, what: str = "file", progress: Progress = None,
                 head: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; DatasetError otherwise."""
    path = os.fspath(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise DatasetError(f"{path} does not exist: choose the {what} again") from None
    except IsADirectoryError:
        raise DatasetError(f"{path} is a folder, not a {what}") from None
    except OSError as exc:
        raise DatasetError(f"cannot open {path}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DatasetError(f"{path} is {_kind(info.st_mode)}, not a {what}: only regular files "
                               f"are read")
        if head is not None:
            return os.read(fd, head)
        if info.st_size > limit:
            raise DatasetError(f"{os.path.basename(path)} is {_size(info.st_size)}; the largest {what} read is "
                               f"{_size(limit)}")
        total, pieces, done = info.st_size, [], 0
        while True:
            check_cancel(progress, done, total)
            piece = os.read(fd, min(PIECE, limit + 1 - done))
            if not piece:
                break
            pieces.append(piece)
            done += len(piece)
            if done > limit:                       # the file grew while it was read
                raise DatasetError(f"{os.path.basename(path)} is larger than {_size(limit)}, the largest "
                                   f"{what} read")
        check_cancel(progress, done, max(total, done))
        return b"".join(pieces)
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def check_folder(path, what: str = "folder") -> Path:
    """``path`` must be an existing folder (a link to one is fine)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DatasetError(f"{path} does not exist: choose the {what} again") from None
    except OSError as exc:
        raise DatasetError(f"cannot open {path}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise DatasetError(f"{path} is {_kind(info.st_mode) if not stat.S_ISREG(info.st_mode) else 'a file'}, "
                           f"not a {what}")
    return path


@dataclass
class Scan:
    """What ``scan_files`` found: the files (sorted per folder) and whether it stopped early."""
    files: list[str] = field(default_factory=list)
    entries: int = 0
    stopped: bool = False


def scan_files(root, suffixes, scan: Scan, max_entries: int = MAX_SCAN_ENTRIES,
               progress: Progress = None) -> list[str]:
    """Files under ``root`` (whose suffix is in ``suffixes``, if given), hidden names skipped,
    links to folders not followed, at most ``MAX_SCAN_DEPTH`` deep. ``scan`` counts entries over
    several calls; once ``max_entries`` are seen it sets ``stopped`` and returns what it has."""
    found: list[str] = []
    stack = [(os.fspath(root), 0)]
    while stack and not scan.stopped:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            scan.entries += 1
            if scan.entries > max_entries:
                scan.stopped = True
                break
            if scan.entries % 1000 == 0:
                check_cancel(progress, 0, 0)
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < MAX_SCAN_DEPTH:
                        subfolders.append(entry.path)
                elif suffixes is None or os.path.splitext(entry.name)[1].lower() in suffixes:
                    found.append(entry.path)
            except OSError:
                continue
        stack.extend((p, depth + 1) for p in reversed(subfolders))
    scan.files.extend(found)
    return found
