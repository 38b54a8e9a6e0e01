"""A closed main window is freed, with its views, plots and their menus: opening and closing
windows (File > New in a long session, or a test run) does not keep each one's ~150 parentless
pyqtgraph context menus and its plot buffers alive, so memory does not grow window by window."""
from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QMenu

from playground.gallery import open_window, show_example
from playground.ui import collector

ROUNDS = 3


def flush() -> None:
    """Carry out the deletions that closing asked for, then collect Python's cycles, frozen ones
    included (collector.settle, as a closed window schedules)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    collector.settle()


def parentless_menus() -> int:
    return sum(1 for w in QApplication.topLevelWidgets() if isinstance(w, QMenu))


def test_closed_windows_do_not_accumulate(qapp, tmp_path, app_look):
    flush()
    menus = parentless_menus()
    for n in range(ROUNDS):
        w = open_window((1280, 800), str(tmp_path))
        show_example(w, "xor", steps=3)          # the views and plots have drawn something
        w.actions_["labs"].trigger()             # the Labs window (more plots) belongs to it
        # the window was frozen when it got ready (collector.settle): the collector no longer
        # sees it, so only a weak reference tells whether it is freed
        assert gc.get_freeze_count() > 0 and not any(o is w for o in gc.get_objects())
        window = weakref.ref(w)
        assert parentless_menus() > menus + 100  # the plots' context menus: what must go
        w.files.mark_clean()
        w.close()
        del w
        flush()
        assert window() is None, f"{n + 1} windows closed, the last one is still alive"
        assert parentless_menus() <= menus, f"{n + 1} windows closed: {parentless_menus()} menus"
