"""Per-view draw-time accounting: how long each view's ``show_snapshot`` takes on the UI thread.

Two clocks per draw: the wall clock (what the user waits) and the UI thread's own CPU time
(``time.thread_time``), which hardly moves when other processes load the machine, so a figure
measured on a busy computer still says which view is dear. The benchmark reads ``summary()``.
"""
from __future__ import annotations

import time
from contextlib import contextmanager


class DrawTimes:
    """Totals per view name: draws, wall seconds, CPU seconds, longest draw's wall seconds (since
    the last ``reset``)."""

    def __init__(self):
        self._totals: dict[str, list] = {}

    def reset(self) -> None:
        self._totals.clear()

    @contextmanager
    def measure(self, name: str):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            total = self._totals.setdefault(name, [0, 0.0, 0.0, 0.0])
            total[0] += 1
            took = time.perf_counter() - wall
            total[1] += took
            total[3] = max(total[3], took)
            total[2] += time.thread_time() - cpu

    def count(self, name: str) -> int:
        return self._totals.get(name, [0])[0]

    def summary(self) -> dict[str, dict[str, float]]:
        """{view: {"draws": n, "wall_ms": mean per draw, "cpu_ms": mean per draw,
        "max_ms": the longest draw}}."""
        return {name: {"draws": n, "wall_ms": 1000 * wall / n, "cpu_ms": 1000 * cpu / n,
                       "max_ms": 1000 * longest}
                for name, (n, wall, cpu, longest) in sorted(self._totals.items()) if n}
