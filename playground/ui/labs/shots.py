"""``playground --example optimizer_race --screenshot PATH [--train-steps N]``: a picture of the
Labs window after N race steps (300 by default)."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from . import open_labs


def screenshot_lab(main_window, tab: str, path: str, steps: int) -> int:
    labs = open_labs(main_window, tab)
    labs.resize(1280, 800)
    QApplication.processEvents()
    if tab == "race":
        labs.race.advance(steps or 300)
    QApplication.processEvents()
    ok = labs.grab().save(str(path))
    labs.close()
    main_window.files.mark_clean()
    main_window.close()
    if not ok:
        print(f"playground: could not write {path}", file=sys.stderr)
        return 1
    return 0
