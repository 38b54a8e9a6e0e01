"""``python -m playground.bench --labs``: how many frames a second the optimizer race draws with
6 racers on Rosenbrock (the 5 built-in and a copy of Adam), one step per frame, each frame
stepped, drawn and painted (offscreen) as fast as it goes."""
from __future__ import annotations

import os
import time

import numpy as np


def run_labs_bench(seconds: float = 5.0) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ..app import application
    from .window import LabsWindow
    app = application()
    window = LabsWindow()
    window.resize(1280, 800)
    window.show()
    race = window.race
    race.model.add("adam", 0.01)
    race._redraw_racers()
    race.table.selectRow(1)                 # momentum: its velocity arrow is drawn every frame
    QApplication.processEvents()
    for _ in range(20):                     # warm up (first paints, numba's float64 kernels)
        race.frame(1)
        window.repaint()
    times, cpu = [], []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start, start_cpu = time.perf_counter(), time.process_time()
        race.frame(1)
        QApplication.processEvents()        # paints what changed, as on screen
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    window.close()
    ms = np.array(times) * 1000
    # on a busy machine the wall clock also counts other processes' turns: the CPU time this
    # process spent per frame says what the race itself costs
    cpu_ms = np.array(cpu) * 1000
    return {"racers": len(race.model.racers), "surface": race.model.surface_name,
            "frames": len(ms), "frames_per_s": 1000 / ms.mean(), "median_ms": float(np.median(ms)),
            "p99_ms": float(np.percentile(ms, 99)), "longest_ms": float(ms.max()),
            "steps_at_end": race.model.steps, "cpu_ms_per_frame": float(cpu_ms.mean()),
            "cpu_frames_per_s": 1000 / max(float(cpu_ms.mean()), 1e-6),
            "load_average": os.getloadavg()[0]}


def landscape_seconds(repeats: int = 3) -> dict:
    """The loss-landscape plane of the spiral example: 41 x 41 points over all its training data,
    after 2,000 training steps (the best of ``repeats``)."""
    from ...labs import landscape_plane
    from ...project.examples import load_example
    from ...project.session import build_session
    session = build_session(load_example("spiral"))
    trainer = session.trainer
    trainer.run(2000)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        landscape_plane(session.network, trainer.data, trainer.loss_name, n=41)
        best = min(best, time.perf_counter() - start)
    return {"landscape_points": 41 * 41, "landscape_examples": len(trainer.x_train),
            "landscape_s": best}


def format_result(r: dict) -> str:
    return (f"optimizer race, {r['racers']} racers on {r['surface']}: {r['frames_per_s']:.0f} "
            f"frames/s stepped, drawn and painted (median {r['median_ms']:.1f} ms, p99 "
            f"{r['p99_ms']:.1f} ms, longest {r['longest_ms']:.1f} ms; {r['frames']} frames, "
            f"{r['steps_at_end']} steps per racer at the end; the target is 60 frames/s)\n"
            f"CPU time per frame {r['cpu_ms_per_frame']:.1f} ms = {r['cpu_frames_per_s']:.0f} "
            f"frames/s of this process's own work (load average {r['load_average']:.1f})"
            + (f"\nloss-landscape plane of the spiral network: {r['landscape_points']:,} points over "
               f"{r['landscape_examples']} training examples in {r['landscape_s']:.2f} s "
               f"(the target is under 1 s)" if "landscape_s" in r else ""))
