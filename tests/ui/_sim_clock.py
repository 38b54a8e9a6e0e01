"""Simulated time for the training worker, so tests count steps and snapshots instead of seconds.

``SimClock(trainer, step_seconds)`` reads as if every training step took ``step_seconds`` and every
sleep took what it asked for; nothing else takes any time. Pass it and its ``sleep`` to
``TrainingBridge(clock=..., sleep=...)``: the pace, the chunk and part sizes, the publish rate and
the speed readout then follow simulated time, the same on a quiet machine and a busy one.
"""
from __future__ import annotations

import threading
import time


class SimClock:
    def __init__(self, trainer, step_seconds: float = 0.001, sleeps_pass: bool = True):
        self.trainer, self.step_seconds = trainer, step_seconds
        self.sleeps_pass = sleeps_pass      # False: a sleep never ends on its own (time stands still)
        self.slept = 0.0
        self.resting = threading.Event()    # set whenever the worker sleeps

    def __call__(self) -> float:
        return 100.0 + self.trainer.step_count * self.step_seconds + self.slept

    def sleep(self, seconds: float) -> None:
        self.resting.set()
        if self.sleeps_pass:
            self.slept += seconds
            time.sleep(0)                   # give the other threads the GIL, as a real sleep would
        else:
            time.sleep(0.001)
