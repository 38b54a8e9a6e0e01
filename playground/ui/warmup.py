"""Warming the engine in the background: compile (or load from numba's cache) every kernel
before the first Play, while the window stays usable.

The work itself is the engine's ``warm_up`` (``playground/engine/warmup.py``): a few tiny networks,
one per family of kernels, with the convolution family compiled in a helper process so both cores
work on a cold start (~11 s on 2 cores; a later start loads the cache in well under a second).
``EngineWarmup`` runs it in a daemon thread and counts the tasks done, so the status bar can say
"Preparing the engine… 3/9". Nothing here imports Qt.
"""
from __future__ import annotations

import threading
import time

from ..engine.warmup import tasks, warm_up

DTYPES = ("float32",)   # the app trains in float32; float64 (gradient checks) compiles on use


class EngineWarmup:
    """Runs the engine's warm-up once in a daemon thread; ``done``/``total``/``finished`` report
    progress, ``error`` holds a failure message (the app can still train: kernels then compile on
    first use), ``seconds`` how long it took."""

    def __init__(self):
        self.total = sum(any(f"({d})" in label for d in DTYPES) for label, _ in tasks())
        self.done = 0
        self.error: str | None = None
        self.seconds = 0.0
        self.current = "the engine"
        self._thread = threading.Thread(target=self._run, name="playground-warmup", daemon=True)

    def start(self) -> "EngineWarmup":
        self._thread.start()
        return self

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive() and self.done + (self.error is not None) > 0

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def _progress(self, done: int, total: int, label: str) -> None:
        self.done, self.total, self.current = done, total, label

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            warm_up(self._progress, dtypes=DTYPES)
        except Exception as exc:  # noqa: BLE001 - reported in the status bar, training still works
            self.error = f"the engine could not prepare {self.current}: {exc}"
        self.seconds = time.perf_counter() - start
