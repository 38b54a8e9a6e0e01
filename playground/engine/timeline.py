"""The timeline: moments of a run kept for scrubbing back and resuming (no Qt).

A ``Moment`` is what the views drew at one step (a ``Snapshot`` without its history) and the
trainer's full state there (``trainer_state.TrainerState``), so the views can show it again and
training can go on from it. Moments are taken at log-spaced steps: every step for the first
DENSE_STEPS, then whenever the step has grown by RATIO (0, 1, 2, ..., 16, 18, 20, 22, 25 ...):
the first steps change the network the most, and an hour's run adds only a few hundred moments.

The timeline is bounded by ``budget_bytes``: past it, moments are dropped from the middle, each
time the one whose neighbours are closest in log(step) (the most redundant for log spacing); the
first and the newest are always kept. Thread-safe: the training thread adds, the UI reads.

``max_share`` bounds what recording costs: a moment that falls due while the time spent recording
is over that share of the time since the first one (plus CREDIT seconds) waits for a later step.
A fast network (the spiral's first second holds a hundred moments) then records a little
coarser early on instead of training slower.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, replace

import numpy as np

from .snapshot import Snapshot
from .trainer_state import TrainerState, capture

DEFAULT_BUDGET_MB = 200        #: the default memory bound, in MB (Preferences)
DENSE_STEPS = 16               #: every step up to here is a moment
RATIO = 1.1                    #: later, a moment when the step has grown by this factor
MB = 1024 * 1024
RECORD_SHARE = 0.04            #: the share of training time recording may take (the worker's)
CREDIT = 0.05                  #: seconds of recording allowed ahead of that share


def next_step(step: int) -> int:
    """The first step after ``step`` that gets a moment."""
    if step < DENSE_STEPS:
        return step + 1
    return max(step + 1, int(math.ceil(step * RATIO - 1e-9)))


def _arrays_bytes(arrays) -> int:
    return int(sum(a.nbytes for a in arrays if isinstance(a, np.ndarray)))


def snapshot_bytes(snap: Snapshot) -> int:
    groups = (snap.weights, snap.gradients, snap.grid_outputs, snap.probe_activations, snap.pool_argmax)
    return sum(_arrays_bytes(g.values()) for g in groups) + _arrays_bytes(
        [snap.grid_inputs, snap.probe_inputs])


@dataclass
class Moment:
    """One recorded moment: ``snapshot`` for the views, ``state`` to resume from."""

    snapshot: Snapshot
    state: TrainerState | None

    @property
    def step(self) -> int:
        return self.snapshot.step

    @property
    def nbytes(self) -> int:
        return snapshot_bytes(self.snapshot) + (self.state.nbytes if self.state else 0)

    def label(self) -> dict:
        """Step, epoch, losses and the accuracy (or R²) there, for the slider's tooltip."""
        s = self.snapshot
        return {"step": s.step, "epoch": s.epoch, "train_loss": s.train_loss,
                "test_loss": s.test_loss, **s.metrics}


def moment_of(trainer, snap: Snapshot | None = None) -> Moment:
    """The trainer's moment now; ``snap``: its snapshot if one was just taken (not copied again)."""
    snap = trainer.snapshot() if snap is None else snap
    view = replace(snap, history=[], running=False, diverged=None)
    return Moment(view, capture(trainer))


class Timeline:
    """Moments by increasing step, within ``budget_bytes`` (``budget_mb`` MB by default)."""

    def __init__(self, budget_mb: float = DEFAULT_BUDGET_MB, max_share: float | None = None,
                 clock=time.perf_counter):
        self.max_share, self._clock = max_share, clock
        self._spent, self._started = 0.0, None
        self.spent = 0.0                              # seconds spent recording (all of it)
        self._lock = threading.Lock()
        self._moments: list[Moment] = []
        self._bytes = 0
        self._shared: dict[str, np.ndarray] = {}     # grid and probe inputs, kept once
        self.budget_bytes = int(budget_mb * MB)
        self.enabled = True

    # -- reading (any thread) ----------------------------------------------------------------------
    def moments(self) -> list[Moment]:
        with self._lock:
            return list(self._moments)

    def __len__(self) -> int:
        return len(self._moments)

    @property
    def nbytes(self) -> int:
        return self._bytes

    def steps(self) -> list[int]:
        with self._lock:
            return [m.step for m in self._moments]

    def at(self, step: int) -> Moment | None:
        """The moment at ``step``, or the last one before it (None when there is none)."""
        with self._lock:
            best = None
            for m in self._moments:
                if m.step > step:
                    break
                best = m
            return best

    # -- recording (the training thread) ---------------------------------------------------------
    def wants(self, step: int) -> bool:
        """True when ``step`` should get a moment (none yet, or it reached the next log step)."""
        if not self.enabled:
            return False
        last = self._moments[-1].step if self._moments else None
        return (last is None or step >= next_step(last)) and self._affordable()

    def _affordable(self) -> bool:
        if self.max_share is None:
            return True
        now = self._clock()
        if self._started is None:
            self._started = now
        allowed = self.max_share * (now - self._started)
        self._spent = max(self._spent, allowed - CREDIT)     # a long pause is no hoard of credit
        return self._spent <= allowed + CREDIT

    def steps_to_next(self, step: int) -> int | None:
        """How many steps training may take before the next moment is due (None: no limit)."""
        if not self.enabled or not self._moments:
            return None
        due = next_step(self._moments[-1].step) - step
        if due <= 0:
            return None                      # due but postponed (the recording share): no cap
        return due

    def record(self, trainer, snap: Snapshot | None = None) -> Moment | None:
        """Add the trainer's moment now if it is due; returns it (None when not due)."""
        if not self.wants(trainer.step_count):
            return None
        start = self._clock()
        moment = moment_of(trainer, snap)
        self.add(moment)
        self.spent += self._clock() - start
        # a first moment that compiled kernels is no debt: one moment counts CREDIT at most
        self._spent += min(self._clock() - start, CREDIT)
        return moment

    def add(self, moment: Moment) -> None:
        """Append ``moment`` (a step at or before the newest replaces what follows it)."""
        self._share_inputs(moment.snapshot)
        with self._lock:
            while self._moments and self._moments[-1].step >= moment.step:
                self._bytes -= self._moments.pop().nbytes
            self._moments.append(moment)
            self._bytes += moment.nbytes
            self._thin()

    def _share_inputs(self, snap: Snapshot) -> None:
        """The grid's and the probes' inputs are the same at every moment: keep one copy."""
        for name in ("grid_inputs", "probe_inputs"):
            value = getattr(snap, name)
            kept = self._shared.get(name)
            if value is None:
                continue
            if kept is not None and kept.shape == value.shape and np.array_equal(kept, value):
                setattr(snap, name, kept)
            else:
                self._shared[name] = value

    def _thin(self) -> None:
        """Drop middle moments until within budget: each time the one whose removal leaves the
        smallest gap in log(step + 1), so the spacing stays log-like; first and last are kept."""
        ms = self._moments
        while self._bytes > self.budget_bytes and len(ms) > 2:
            logs = np.log1p(np.array([m.step for m in ms], np.float64))
            gaps = logs[2:] - logs[:-2]
            i = int(np.argmin(gaps)) + 1
            self._bytes -= ms.pop(i).nbytes

    def set_budget(self, budget_mb: float) -> None:
        with self._lock:
            self.budget_bytes = int(budget_mb * MB)
            self._thin()

    def clear(self) -> None:
        with self._lock:
            self._moments.clear()
            self._bytes = 0
            self._shared.clear()
            self._spent, self._started = 0.0, None

    def cut_after(self, step: int) -> list[Moment]:
        """Drop the moments after ``step`` (a run resumed there); returns them, oldest first."""
        with self._lock:
            keep = [m for m in self._moments if m.step <= step]
            dropped = self._moments[len(keep):]
            self._moments = keep
            self._bytes = sum(m.nbytes for m in keep)
            return dropped

    def put_back(self, moments: list[Moment]) -> None:
        """Undo a ``cut_after``: the moments after the newest one come back (then thinned)."""
        with self._lock:
            last = self._moments[-1].step if self._moments else -1
            for m in moments:
                if m.step > last:
                    self._moments.append(m)
                    self._bytes += m.nbytes
                    last = m.step
            self._thin()

    def replace_all(self, moments: list[Moment]) -> None:
        """The moments of an opened project (sorted by step, then thinned to the budget)."""
        self.clear()
        for m in sorted(moments, key=lambda m: m.step):
            self.add(m)
