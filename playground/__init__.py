"""Playground: build neural networks by hand and watch them learn."""
from __future__ import annotations

import os
import sys
from pathlib import Path

__version__ = "0.1.0"


def resources_dir() -> Path:
    """The folder of icons, example projects and the stylesheet.

    From a source checkout (editable install) it is ``resources/`` beside the package; inside a
    PyInstaller bundle it is unpacked beside the executable's data.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    override = os.environ.get("PLAYGROUND_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "resources"
