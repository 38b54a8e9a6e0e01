"""The main-thread side of the training thread: a timer that pulls the newest snapshot and draws it.

A single-shot QTimer re-armed after drawing cannot build a backlog: if drawing takes longer than
the period, the next tick simply comes later and the snapshots published meanwhile are dropped.
"""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer

from .bridge import TrainingBridge

PERIOD_MS = 16        # ~60 Hz at most; the worker publishes ~30 per second
WORKER_SHARE = 2.0    # the pause after a frame, in frames: the training thread's share of the time


class SnapshotPump(QObject):
    """Calls ``draw(snapshot, batch_x, batch_losses)`` with the newest snapshot, on the UI thread."""

    def __init__(self, bridge: TrainingBridge, draw: Callable, parent: QObject | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self._draw = draw
        self.refreshes = 0
        self.draw_seconds = 0.0
        self._frame_start = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PERIOD_MS)
        self._timer.timeout.connect(self._on_tick)
        # a zero-interval timer fires once the events queued by drawing (layout, paint) are done
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(0)
        self._release.timeout.connect(self._on_painted)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._release.stop()
        self.bridge.release()

    @property
    def active(self) -> bool:
        return self._timer.isActive() or self._release.isActive()

    def pull_now(self) -> bool:
        """Draw the newest snapshot now if there is one (tests, screenshots)."""
        snap = self.bridge.take_snapshot()
        if snap is None:
            return False
        start = time.perf_counter()
        x, losses = self.bridge.drain_batch_losses()
        self._draw(snap, x, losses)
        self.refreshes += 1
        self.draw_seconds += time.perf_counter() - start
        return True

    def _on_tick(self) -> None:
        self._frame_start = time.perf_counter()
        self.bridge.hold()
        try:
            drew = self.pull_now()
        except BaseException:
            self._on_painted()
            raise
        if drew:
            self._release.start()        # the worker waits until the frame is painted
        else:
            self._on_painted()

    def _on_painted(self) -> None:
        self.bridge.release()
        # re-armed after drawing and painting (no backlog), and never sooner than twice the frame's
        # cost: however slow painting gets, the worker keeps about two thirds of the time
        frame_ms = (time.perf_counter() - self._frame_start) * 1000
        self._timer.start(max(PERIOD_MS, int(WORKER_SHARE * frame_ms)))
