"""The app data folder without Qt: the same place QStandardPaths.AppDataLocation gives.

Linux ``$XDG_DATA_HOME/Playground`` (default ``~/.local/share/Playground``), macOS
``~/Library/Application Support/Playground``, Windows ``%APPDATA%\\Playground``. The environment
variable ``PLAYGROUND_DATA_DIR`` overrides it, and an explicit argument overrides both.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Playground"
ENV_VAR = "PLAYGROUND_DATA_DIR"


def app_data_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder where downloaded datasets and autosaves live (not created here)."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("APPDATA")
        return (Path(base) if base else home / "AppData" / "Roaming") / APP_NAME
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_NAME
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg and os.path.isabs(xdg) else home / ".local" / "share") / APP_NAME


def datasets_dir(override: str | os.PathLike | None = None) -> Path:
    """Where the downloaded classics live: ``<app data>/datasets``."""
    return app_data_dir(override) / "datasets"
