"""What the training thread hands the UI thread (DESIGN.md section 4), behind one lock.

The worker publishes a ``Snapshot`` into a single latest-value slot (with, now and then, the
optimizer's summary and the Labs' unit health); it posts news (``WorkerEvent``) and the running
batch loss of every chunk. The UI thread takes the newest snapshot, the news and the losses; a
snapshot it never took is replaced by the next one and counted as dropped. Nothing here imports Qt.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..engine.optimizer_stats import summarize as summarize_optimizer
from ..labs.run_record import LabsRecord

OPTIMIZER_SECONDS = 0.25   # the optimizer's numbers (Optimizer tab) at most 4 times a second: the
                           # tab plots them over steps, and one summary (quantiles per layer) takes
                           # ~1.7 ms of the GIL on the spiral network


@dataclass
class WorkerEvent:
    """News from the worker the UI must tell the user: ``kind`` is "error" (``message`` in words,
    ``details`` the traceback), "slow" (``seconds`` one step took) or "stopped" (a stop
    condition was met: ``message`` says which)."""

    kind: str
    message: str
    details: str = ""
    seconds: float = 0.0


def seconds_text(seconds: float) -> str:
    """1.5 -> "1.5\u00a0s", 42.3 -> "42\u00a0s" (a no-break space: the number stays with its unit)."""
    return f"{seconds:.1f}\u00a0s" if seconds < 10 else f"{seconds:.0f}\u00a0s"


def describe_error(exc: BaseException) -> str:
    """An exception in words: its type's name when it has no message of its own."""
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


class Publisher:
    """The worker's outbox: the latest-value snapshot slot, news and batch losses, under one lock.

    ``publish`` runs in the worker, at most ``publish_hz`` times a second unless forced (after a
    command that changed the state); ``take_snapshot``, ``take_events`` and
    ``drain_batch_losses`` run in the UI thread. ``dropped`` counts snapshots replaced before the
    UI took them; ``labs_record`` keeps the Labs' unit health and weight trail.
    """

    def __init__(self, publish_hz: float, clock: Callable[[], float]):
        self._clock = clock
        self._period = 1.0 / publish_hz
        self._lock = threading.Lock()
        self._latest = None
        self._latest_net = None                # the network the newest snapshot came from
        self._seq = 0
        self._taken_seq = 0
        self.dropped = 0                       # snapshots replaced before the UI took them
        self.published = 0
        self._events: list[WorkerEvent] = []
        self._batch_x: list[float] = []
        self._batch_loss: list[float] = []
        self._next_publish = 0.0
        self._optimizer_due = 0.0              # the next publish due to summarise the optimizer
        self._health, self._health_net = {}, None
        # the Labs' unit health and weight trail from the first step (labs/run_record.py, ~1 %)
        self.labs_record = LabsRecord(clock=clock)

    # -- the worker ----------------------------------------------------------------------------
    def publish(self, t, force: bool, *, steps_per_second: float, running: bool,
                diverged: str | None, commands_done: int) -> None:
        """A snapshot of trainer ``t`` into the slot: when forced, or when the period is up."""
        now = self._clock()
        if t is None or (not force and now < self._next_publish):
            return
        # deadlines a period apart, not "a period since the last one": publishing happens only
        # between chunks, and waiting a full period after a late one would drop the rate to ~22/s
        self._next_publish = max(self._next_publish + self._period, now + self._period / 2)
        if force and hasattr(t, "refresh_maps"):
            t.refresh_maps()            # a comparison's small maps: current when the run stops
        snap = t.snapshot()
        snap.steps_per_second = steps_per_second
        snap.running = running
        snap.diverged = diverged
        snap.commands_done = commands_done
        if t.rule == "backprop":        # what the optimizer did to each layer (the Optimizer tab)
            snap.optimizer = t.optimizer.name
            if force or now >= self._optimizer_due:     # in between: none (the tab skips those)
                snap.optimizer_stats = summarize_optimizer(t.optimizer, t.net)
                self._optimizer_due = now + OPTIMIZER_SECONDS
        if force or t.net is not self._health_net or self.labs_record.due(now):
            # the activation explorer's numbers, recorded for the Labs: a probe forward pass
            self._health, self._health_net = self.labs_record.record(t), t.net
        snap.unit_health = self._health
        with self._lock:
            if self._latest is not None and self._seq != self._taken_seq:
                self.dropped += 1
            self._latest = snap
            self._latest_net = t.net
            self._seq += 1
            self.published += 1

    def post(self, event: WorkerEvent) -> None:
        """News for the UI (an error, a slow network, a stop condition met)."""
        with self._lock:
            self._events.append(event)

    def log_batch(self, x: float, loss: float) -> None:
        """The running batch loss of a chunk, at ``x`` fractional epochs."""
        with self._lock:
            self._batch_x.append(x)
            self._batch_loss.append(loss)

    def clear_batch_log(self) -> None:
        with self._lock:
            self._batch_x.clear()
            self._batch_loss.clear()

    # -- the UI thread -------------------------------------------------------------------------
    def take_snapshot(self):
        """The newest snapshot not yet taken, or None."""
        with self._lock:
            if self._latest is None or self._seq == self._taken_seq:
                return None
            self._taken_seq = self._seq
            return self._latest

    def latest_snapshot_of(self, network) -> Any:
        """The newest snapshot published from ``network`` (taken or not), or None."""
        with self._lock:
            return self._latest if self._latest is not None and self._latest_net is network else None

    def take_events(self) -> list[WorkerEvent]:
        """News from the worker since the last call, oldest first."""
        with self._lock:
            events, self._events = self._events, []
        return events

    def drain_batch_losses(self) -> tuple[np.ndarray, np.ndarray]:
        """The batch losses logged since the last call: (x, loss)."""
        with self._lock:
            x, y = np.array(self._batch_x), np.array(self._batch_loss)
            self._batch_x.clear()
            self._batch_loss.clear()
        return x, y
