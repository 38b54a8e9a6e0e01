"""The UI benchmark (``python -m playground.bench --ui``): training flat out with every view open.

Measures, offscreen, on the default spiral project:
- the UI thread's stalls: gaps between ticks of a 1 ms timer (max and 99th percentile);
- view refreshes per second (snapshots drawn by the pump);
- training steps per second in the window against the same trainer headless (the ratio);
- how long Pause, Step and Reset take to be carried out by the worker;
- resident memory at start and end.
Targets (reported, never asserted): max stall < 50 ms, p99 <= 25 ms, >= 25 refreshes/s,
>= 70 % of headless speed, < 300 MB RSS.
"""
from __future__ import annotations

import os
import tempfile
import time

import numpy as np

TARGETS = {"max_stall_ms": 50.0, "p99_stall_ms": 25.0, "refreshes_per_s": 25.0,
           "speed_ratio": 0.70, "rss_end_mb": 300.0}


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, AttributeError):
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if os.uname().sysname == "Darwin" else peak / 1024


def headless_rate(seconds: float) -> float:
    """Steps per second of the default project's trainer with no window and no snapshots."""
    from .project.examples import default_project
    from .project.session import build_session
    trainer = build_session(default_project()).trainer
    trainer.run(200)                                   # settle caches and branch predictors
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        trainer.run(100)
        steps += 100
    return steps / (time.perf_counter() - start)


def _command_ms(send) -> float:
    start = time.perf_counter()
    send().wait(10)
    return (time.perf_counter() - start) * 1000


def _measure_window(window, seconds: float) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    app = QApplication.instance()
    steps0 = window.bridge.call(lambda t: t.step_count).result(30)
    refreshes0 = window.pump.refreshes
    window.bridge.play().wait(10)
    timer.start()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        app.processEvents()
        time.sleep(0.0005)
    timer.stop()
    elapsed = time.perf_counter() - start
    steps = window.bridge.call(lambda t: t.step_count).result(30) - steps0
    gaps = np.diff(np.array(ticks)) * 1000 if len(ticks) > 1 else np.array([elapsed * 1000])
    return {"seconds": elapsed, "max_stall_ms": float(gaps.max()),
            "p99_stall_ms": float(np.percentile(gaps, 99)),
            "refreshes_per_s": (window.pump.refreshes - refreshes0) / elapsed,
            "ui_steps_per_s": steps / elapsed, "snapshots_dropped": window.bridge.dropped}


def run_ui_bench(seconds: float = 10.0) -> dict:
    """Run the benchmark for ``seconds`` of training in the window; returns the figures."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rss_start = rss_mb()
    from .ui.app import application, scratch_settings, wait_until
    from .ui.main_window import MainWindow
    application()
    with tempfile.TemporaryDirectory(prefix="playground-bench-") as folder:
        os.environ.setdefault("PLAYGROUND_DATA_DIR", folder)
        window = MainWindow(settings=scratch_settings(folder))
        window.resize(1280, 800)
        window.show()
        try:
            if not wait_until(lambda: window.ready, 600):
                raise RuntimeError("the engine did not get ready")
            result = _measure_window(window, seconds)
            result["pause_ms"] = _command_ms(window.bridge.pause)
            result["step_ms"] = _command_ms(window.bridge.step)
            result["reset_ms"] = _command_ms(window.bridge.reset)
        finally:
            window.files.mark_clean()
            window.close()
    result["headless_steps_per_s"] = headless_rate(min(seconds, 3.0))
    result["speed_ratio"] = result["ui_steps_per_s"] / result["headless_steps_per_s"]
    result["rss_start_mb"], result["rss_end_mb"] = rss_start, rss_mb()
    result["targets"] = TARGETS
    return result


def format_result(result: dict) -> str:
    rows = [("max UI stall", f"{result['max_stall_ms']:.1f} ms", "< 50 ms"),
            ("p99 UI stall", f"{result['p99_stall_ms']:.1f} ms", "<= 25 ms"),
            ("view refreshes", f"{result['refreshes_per_s']:.1f} /s", ">= 25 /s"),
            ("steps/s in the window", f"{result['ui_steps_per_s']:,.0f}", ""),
            ("steps/s headless", f"{result['headless_steps_per_s']:,.0f}", ""),
            ("ratio", f"{result['speed_ratio']:.0%}", ">= 70 %"),
            ("Pause / Step / Reset", f"{result['pause_ms']:.1f} / {result['step_ms']:.1f} / "
                                     f"{result['reset_ms']:.1f} ms", "< 100 ms"),
            ("RSS start -> end", f"{result['rss_start_mb']:.0f} -> {result['rss_end_mb']:.0f} MB",
             "< 300 MB")]
    return "\n".join(f"{name:<24}{value:>22}   {target}" for name, value, target in rows)
