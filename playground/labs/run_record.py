"""What the Labs draw of a run, recorded by the training worker from the run's first step (no Qt):
the saturated and dead shares per layer (``unit_health``) and the weights for the loss-landscape
trajectory, so a Labs window opened late shows the whole run, not what happened since it opened.

``LabsRecord.due(now)`` says when the next record is wanted; ``record(trainer)`` takes it (one
probe forward pass and a copy of the weights) and returns the ``unit_health`` numbers for the
snapshot. The pace follows the cost: after a record that took c seconds the next one waits
max(``min_interval``, c / ``share``), so recording stays under ``share`` (1 %) of the worker's
time whatever the network. Memory is bounded like the timeline's: past ``limit`` points a
series drops every other older point (the first and the newest stay), and the weight trail keeps
at most ``trail_bytes`` of vectors. Thread-safe: the worker records, the UI reads copies.

A step before the newest recorded one (Reset, a rewind on the timeline) drops what was recorded
after it; another network (a new structure) starts again.
"""
from __future__ import annotations

import threading
import time

import numpy as np

from .unit_health import probe_batch, unit_health

SHARE = 0.01                    #: the share of the worker's time recording may take
MIN_INTERVAL = 0.2              #: seconds between records, at least (5 a second)
LIMIT = 2000                    #: points per series (and weight vectors) at most
TRAIL_BYTES = 32 * 1024 * 1024  #: the weight trail's memory bound


def _halve(items: list) -> list:
    """Every other item, the newest always kept."""
    return items[:-1:2] + items[-1:]


class LabsRecord:
    def __init__(self, share: float = SHARE, min_interval: float = MIN_INTERVAL,
                 limit: int = LIMIT, trail_bytes: int = TRAIL_BYTES, clock=time.perf_counter):
        self.share, self.min_interval, self.limit = share, min_interval, max(int(limit), 4)
        self.trail_bytes = int(trail_bytes)
        self._clock = clock
        self._lock = threading.Lock()
        self._net = None
        self._due = 0.0
        self.spent = 0.0               # seconds spent recording (all of it)
        self.records = 0
        self._steps: list[int] = []                         # health records' steps
        self._health: list[dict] = []                       # per record: (layer, kind) -> share
        self._trail_steps: list[int] = []
        self._trail: list[np.ndarray] = []

    # -- recording (the training thread) ---------------------------------------------------------
    def due(self, now: float) -> bool:
        return now >= self._due

    def record(self, trainer) -> dict:
        """The trainer's ``unit_health`` now, added to the history with its weights."""
        start = self._clock()
        net, step = trainer.net, int(trainer.step_count)
        health = unit_health(net, probe_batch(trainer.x_train))
        shares = {}
        for layer_id, h in health.items():
            for kind in ("saturated", "dead"):
                value = getattr(h, kind)
                if value is not None:
                    shares[(layer_id, kind)] = float(value)
        weights = None
        if getattr(trainer, "rule", "backprop") == "backprop":
            weights = np.array(net.flat_params, np.float64)
        with self._lock:
            if net is not self._net:
                self._clear()
                self._net = net
            self._cut(step)
            self._steps.append(step)
            self._health.append(shares)
            if len(self._steps) > self.limit:
                self._steps, self._health = _halve(self._steps), _halve(self._health)
            if weights is not None:
                self._trail_steps.append(step)
                self._trail.append(weights)
                most = max(4, min(self.limit, self.trail_bytes // max(weights.nbytes, 1)))
                while len(self._trail) > most:
                    self._trail_steps, self._trail = _halve(self._trail_steps), _halve(self._trail)
        spent = self._clock() - start
        self.spent += spent
        self.records += 1
        now = self._clock()
        self._due = now + max(self.min_interval, spent / self.share)
        return health

    def _cut(self, step: int) -> None:
        """Keep what was recorded before ``step`` (a reset or rewind went back)."""
        if self._steps and self._steps[-1] >= step:
            keep = int(np.searchsorted(self._steps, step, side="left"))
            self._steps, self._health = self._steps[:keep], self._health[:keep]
        if self._trail_steps and self._trail_steps[-1] >= step:
            keep = int(np.searchsorted(self._trail_steps, step, side="left"))
            self._trail_steps, self._trail = self._trail_steps[:keep], self._trail[:keep]

    def _clear(self) -> None:
        self._steps, self._health, self._trail_steps, self._trail = [], [], [], []

    # -- reading (any thread) --------------------------------------------------------------------
    def network(self):
        """The network the history belongs to (None before the first record)."""
        return self._net

    def health_series(self) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
        """(layer id, "saturated" or "dead") -> (steps, shares), oldest first."""
        with self._lock:
            steps, records = list(self._steps), list(self._health)
        out: dict[tuple[str, str], tuple[list, list]] = {}
        for step, shares in zip(steps, records):
            for key, value in shares.items():
                xs, ys = out.setdefault(key, ([], []))
                xs.append(step)
                ys.append(value)
        return {k: (np.array(x, np.float64), np.array(y, np.float64)) for k, (x, y) in out.items()}

    def trail(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, (k, P) flat weight vectors), oldest first."""
        with self._lock:
            steps, vectors = list(self._trail_steps), list(self._trail)
        if not vectors:
            return np.zeros(0, np.int64), np.zeros((0, 0))
        return np.array(steps, np.int64), np.stack(vectors)

    @property
    def nbytes(self) -> int:
        with self._lock:
            return sum(v.nbytes for v in self._trail) + 64 * len(self._steps)
