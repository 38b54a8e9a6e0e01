"""Test helper: a copy of a .nnplay with one member's bytes changed (a damaged file)."""
from __future__ import annotations

import zipfile


def with_member_changed(path, out, name: str, change) -> None:
    """Copy the zip at ``path`` to ``out``, member ``name`` passed through ``change(bytes)``."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == name else data)
