"""The app's folders without Qt, and the autosave file kept there for crash recovery.

The data folder is the data layer's (``playground.data.paths.app_data_dir``: the place
QStandardPaths.AppDataLocation gives, ``PLAYGROUND_DATA_DIR`` overrides it), so downloads and
autosaves sit side by side. The cache folder (numba's cache, thumbnails) follows the platform's
convention: ``$XDG_CACHE_HOME/Playground`` on Linux, ``~/Library/Caches/Playground`` on macOS,
``%LOCALAPPDATA%\\Playground\\cache`` on Windows; ``PLAYGROUND_CACHE_DIR`` overrides it.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from playground.data.paths import APP_NAME, app_data_dir

from .project import ProjectError
from .projectfile import load_project, save_project

CACHE_ENV_VAR = "PLAYGROUND_CACHE_DIR"
AUTOSAVE_NAME = "autosave.nnplay"


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


def autosave_path() -> Path:
    """The autosave file: ``<data folder>/autosave.nnplay``."""
    return data_dir() / AUTOSAVE_NAME


def recovery_available() -> bool:
    """True when an autosave is left over (the app did not close cleanly) and still loads."""
    path = autosave_path()
    if not path.is_file():
        return False
    try:
        load_project(path)
    except ProjectError:
        return False
    return True


def write_autosave(project) -> Path:
    """Save ``project`` to the autosave file (atomically, creating the folder); raises
    ``ProjectError`` if the disk refuses."""
    path = autosave_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"could not create the folder {path.parent}: {exc.strerror or exc}") \
            from None
    save_project(project, path)
    return path


def load_autosave():
    """The autosaved Project; raises ``ProjectError`` if there is none or it is damaged."""
    return load_project(autosave_path())


def clear_autosave() -> None:
    """Forget the autosave (after a clean exit, or once the user declined recovery)."""
    autosave_path().unlink(missing_ok=True)
