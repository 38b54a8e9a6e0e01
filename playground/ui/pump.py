"""The main-thread side of the training thread: a timer that pulls the newest snapshot and draws it.

A single-shot QTimer re-armed after drawing cannot build a backlog: if drawing takes longer than
the period, the next tick simply comes later and the snapshots published meanwhile are dropped.
The worker trains on while a frame is drawn and painted: its steps run in GIL-free kernel calls
on the other core (an earlier design held it for each frame, which cost it a third of its time).
"""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer

from .bridge import TrainingBridge
from .paint_hold import PaintHold

PERIOD_MS = 36        # a frame every 36 ms (~28 Hz) when frames are cheap: the target is 25/s, and the
                      # time beyond it goes to training (the worker publishes ~30/s)
REST_SHARE = 0.5      # the pause after a frame at least this many (average) frames: when painting
                      # gets dear, the views slow down before the worker (which needs the GIL
                      # between its kernel calls) and input events do
RETRY_MS = 5          # when a tick finds no new snapshot
MIN_PAUSE_MS = 4      # and never less than this: input events get their turn


def pause_after(frame_ms: float, frame_avg: float) -> float:
    """The pause before the next frame: what is left of the frame budget PERIOD_MS, at least
    REST_SHARE average frames, and never under MIN_PAUSE_MS."""
    return max(PERIOD_MS - frame_ms, REST_SHARE * frame_avg, MIN_PAUSE_MS)


class SnapshotPump(QObject):
    """Calls ``draw(snapshot, batch_x, batch_losses)`` with the newest snapshot, on the UI thread,
    and ``on_events(events)`` with the worker's errors and warnings (``bridge.take_events()``)."""

    def __init__(self, bridge: TrainingBridge, draw: Callable, parent: QObject | None = None,
                 on_events: Callable | None = None, hold: PaintHold | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.hold = hold or PaintHold()       # the dear views paint at the turn after their draw
        self._draw = draw
        self._on_events = on_events
        self.refreshes = 0
        self.draw_seconds = 0.0
        self.frame_ms: list[float] = []       # draw + paint of the last frames (the benchmark reads it)
        self._frame_start = time.perf_counter()
        self._frame_avg = 0.0                 # exponential average of draw + paint, ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PERIOD_MS)
        self._timer.timeout.connect(self._on_tick)
        # a zero-interval timer fires once the events queued by drawing (layout, paint) are done
        self._after_paint = QTimer(self)
        self._after_paint.setSingleShot(True)
        self._after_paint.setInterval(0)
        self._after_paint.timeout.connect(self._on_painted)
        # and one that lets the held views paint, at the turn after the draw (see paint_hold)
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(0)
        self._release.timeout.connect(self._on_release)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._after_paint.stop()
        self._release.stop()
        self.hold.release()

    @property
    def active(self) -> bool:
        return any(t.isActive() for t in (self._timer, self._after_paint, self._release))

    def pull_now(self) -> bool:
        """Draw the newest snapshot now if there is one (tests, screenshots); then tell the
        worker's news (an error's snapshot is drawn first, so the views show the kept weights)."""
        snap = self.bridge.take_snapshot()
        if snap is None:
            self._tell_events()
            return False
        start = time.perf_counter()
        x, losses = self.bridge.drain_batch_losses()
        try:
            self._draw(snap, x, losses)
        finally:
            self._tell_events()
        self.refreshes += 1
        self.draw_seconds += time.perf_counter() - start
        return True

    def _tell_events(self) -> None:
        if self._on_events is not None:
            events = self.bridge.take_events()
            if events:
                self._on_events(events)

    def _on_tick(self) -> None:
        self._frame_start = time.perf_counter()
        try:
            with self.hold.drawing():
                drew = self.pull_now()
        except BaseException:
            self.hold.release()
            self._on_painted(drew=False)
            raise
        if drew and self.hold.holding:
            self._release.start()            # input and timers get the turn between draw and paint
        elif drew:
            self._after_paint.start()        # fires once the frame's layout and paint events are done
        else:
            self._on_painted(drew=False)

    def _on_release(self) -> None:
        self.hold.release()
        self._after_paint.start()

    def _on_painted(self, drew: bool = True) -> None:
        if not drew:
            # nothing new yet: look again soon rather than a whole period later, or the pump and
            # the worker's ~30 Hz publishing beat against each other and frames fall to ~24 a second
            self._timer.start(RETRY_MS)
            return
        # re-armed after drawing and painting (no backlog): a frame budget of PERIOD_MS, and a pause
        # of at least REST_SHARE average frames, so slow painting slows the views, not training
        frame_ms = (time.perf_counter() - self._frame_start) * 1000
        self.frame_ms.append(frame_ms)
        if len(self.frame_ms) > 4096:
            del self.frame_ms[:2048]
        self._frame_avg = 0.8 * self._frame_avg + 0.2 * frame_ms
        self._timer.start(int(pause_after(frame_ms, self._frame_avg)))
