"""The app's folders without Qt, the autosave files kept there for crash recovery, and the
clean-up of temp files that interrupted saves left behind.

The data folder is the data layer's (``playground.data.paths.app_data_dir``: the place
QStandardPaths.AppDataLocation gives, ``PLAYGROUND_DATA_DIR`` overrides it), so downloads and
autosaves sit side by side. The cache folder (numba's cache, thumbnails) follows the platform's
convention: ``$XDG_CACHE_HOME/Playground`` on Linux, ``~/Library/Caches/Playground`` on macOS,
``%LOCALAPPDATA%\\Playground\\cache`` on Windows; ``PLAYGROUND_CACHE_DIR`` overrides it.
"""
from __future__ import annotations

import itertools
import os
import re
import sys
import threading
import time
from pathlib import Path

from playground.data.paths import APP_NAME, app_data_dir

from .project import ProjectError
from .projectfile import load_project, save_project

CACHE_ENV_VAR = "PLAYGROUND_CACHE_DIR"
LEGACY_AUTOSAVE = "autosave.nnplay"          #: the single autosave of older versions


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Where downloaded datasets and the autosave live (not created here)."""
    return app_data_dir(override)


def cache_dir(override: str | os.PathLike | None = None) -> Path:
    """Where caches live (not created here)."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(CACHE_ENV_VAR)
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / APP_NAME / "cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / APP_NAME
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and os.path.isabs(xdg) else home / ".cache") / APP_NAME


# -- autosaves: one per window, never another live window's --------------------------------------
AUTOSAVE_FOLDER = "autosave"
_NAME = re.compile(r"^autosave-(\d+)-(\d+)\.nnplay$")
_counter = itertools.count(1)
_live: set[Path] = set()                    # this process's windows' autosaves
_live_lock = threading.Lock()


def autosave_folder() -> Path:
    """``<data folder>/autosave``: every window's autosave, ``autosave-<pid>-<n>.nnplay``."""
    return data_dir() / AUTOSAVE_FOLDER


class Autosave:
    """One window's autosave file. Its name carries the process id and a counter, so two windows
    (in one app or two) never write, offer or delete each other's. ``clear()`` after an explicit
    Save or a clean close; ``close()`` when the window goes away."""

    def __init__(self) -> None:
        self.path = autosave_folder() / f"autosave-{os.getpid()}-{next(_counter)}.nnplay"
        with _live_lock:
            _live.add(self.path)

    def write(self, project) -> Path:
        """Save ``project`` here (atomically, creating the folder); raises ``ProjectError``."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"could not create the folder {self.path.parent}: "
                               f"{exc.strerror or exc}") from None
        save_project(project, self.path)
        return self.path

    def clear(self) -> None:
        """Forget the autosave: a Save made it old news, or the window closed cleanly."""
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        self.clear()
        with _live_lock:
            _live.discard(self.path)


def pid_alive(pid: int) -> bool:
    """True while a process with this id runs."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes
        kernel = ctypes.windll.kernel32
        handle = kernel.OpenProcess(0x1000, False, pid)     # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return bool(ok) and code.value == 259                 # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:                                   # someone else's, but alive
        return True
    except OSError:
        return False
    return True


def owner_alive(path: Path) -> bool:
    """Is the window that writes this autosave still open? (A file from this process counts as
    alive only while one of its windows holds it: a crashed process may have had our pid.)"""
    match = _NAME.match(Path(path).name)
    if not match:
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        with _live_lock:
            return Path(path) in _live
    return pid_alive(pid)


def orphaned_autosaves() -> list[Path]:
    """Autosaves whose window is gone (the app did not close cleanly), newest first. The single
    ``autosave.nnplay`` of older versions counts too."""
    candidates = [data_dir() / LEGACY_AUTOSAVE]
    folder = autosave_folder()
    if folder.is_dir():
        candidates += [p for p in folder.iterdir() if _NAME.match(p.name)]
    found = [p for p in candidates if p.is_file() and not owner_alive(p)]
    return sorted(found, key=_mtime, reverse=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def load_autosave(path: str | os.PathLike):
    """The autosaved Project at ``path``; raises ``ProjectError`` if it is damaged."""
    return load_project(path)


def discard_autosave(path: str | os.PathLike) -> None:
    """Remove an orphaned autosave (recovered into a window, or declined)."""
    Path(path).unlink(missing_ok=True)


# -- temp files left by interrupted saves ----------------------------------------------------------
#: what ``save_project`` writes before renaming: ``.<name>.nnplay.<random>.tmp``
TEMP_PATTERN = ".*.nnplay.*.tmp"
STALE_SECONDS = 600      # where open files cannot be listed: a temp file untouched this long is stale


def remove_stale_temp_files(folders) -> list[Path]:
    """Delete the temp files that interrupted saves left in ``folders`` (a save in progress, in this
    or another process, keeps its file); returns what was removed."""
    temps = []
    for folder in {Path(f) for f in folders if f}:
        try:
            temps += [p for p in folder.glob(TEMP_PATTERN) if p.is_file()]
        except OSError:
            continue
    if not temps:
        return []
    in_use = _open_files()
    now = time.time()
    removed = []
    for path in temps:
        if in_use is not None:
            stale = os.path.realpath(path) not in in_use
        else:
            stale = now - _mtime(path) > STALE_SECONDS
        if stale:
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


def _open_files() -> set[str] | None:
    """Every file some process has open (Linux's /proc); None where that cannot be known."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return None
    names: set[str] = set()
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                try:
                    names.add(os.readlink(fd))
                except OSError:
                    continue
        except OSError:                 # gone, or not ours to look at
            continue
    return names
