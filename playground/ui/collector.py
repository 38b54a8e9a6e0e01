"""Python's cycle collector, kept out of the frames.

A full collection walks every object Python tracks: ~170,000 once Qt, pyqtgraph, numba and the
window are loaded, about 120 ms on a 2-core machine. Left to its thresholds, one comes now and
then while training (sooner in the comparison examples, whose histories grow four at a time): a
120 ms stall in whichever thread allocated last, the longest the UI benchmark saw.

So what lives as long as the window (modules, classes, the window and its views) is frozen: moved
out of the collector's sight (``gc.freeze``), so later collections walk only what was made since.
``settle`` does that after a full collection, on the UI thread, where a pause is expected: the
window ready, a project or example opened, the network rebuilt, a window closed. While training,
``Freezer`` freezes the survivors every FREEZE_SECONDS (a constant-time splice), so the objects a
long run keeps (history rows, timeline moments) are not walked again and again either.

Frozen objects are never collected: a cycle that dies after it was frozen (a view replaced by a
rebuild) waits for the next ``settle``, which unfreezes everything first. Collecting on the UI
thread matters for another reason too: a Qt widget collected in the training or a loading thread
waits for the GIL while the UI thread, destroying another, waits for Qt's lock (a deadlock, seen
once in CI when windows began to be freed).
"""
from __future__ import annotations

import gc
import time
from typing import Callable

from PySide6.QtCore import QTimer

FREEZE_SECONDS = 10.0     #: while the window lives, survivors are frozen this often


def settle() -> None:
    """Collect every cycle, frozen or not, then freeze what survives."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def settle_soon(*_) -> None:
    """``settle`` at the next turn of the event loop (after the work that made the garbage)."""
    QTimer.singleShot(0, settle)


class Freezer:
    """Freezes the collector's survivors every ``seconds`` while ``tick`` is called."""

    def __init__(self, seconds: float = FREEZE_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.seconds, self._clock = seconds, clock
        self._due = clock() + seconds

    def tick(self) -> bool:
        """Freeze if the time has come; True when it did."""
        now = self._clock()
        if now < self._due:
            return False
        gc.freeze()
        self._due = now + self.seconds
        return True
