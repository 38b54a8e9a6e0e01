"""The UI benchmark (``python -m playground.bench --ui``): training flat out with every view open.

Measures, offscreen, on the default spiral project:
- the UI thread's stalls: gaps between ticks of a 1 ms timer (max and 99th percentile);
- view refreshes per second (snapshots drawn by the pump);
- training steps per second in the window against the same trainer headless (the ratio),
  measured in alternating rounds (see ``speed_rounds``);
- how long Pause, Step and Reset take to be carried out by the worker;
- resident memory at start (before Qt and the window are loaded), when the window is ready, after
  the run (growth while training) and at the end;
- the frame time (draw + paint) while training, and the time to draw one snapshot in each view.
Targets (reported, never asserted): max stall < 50 ms, p99 <= 25 ms, >= 25 refreshes/s,
>= 70 % of headless speed, < 300 MB RSS.

The soak (``python -m playground.bench_ui --soak MINUTES``) trains flat out for that long and prints
one line a minute: the minute's longest stall and p99, RSS, history rows, curve points, refreshes
and steps per second, the longest garbage collection, and the load average; long runs must stay
as smooth as the first minute (longest stall < 50 ms, RSS within 10 % of minute 1).
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import os
import sys
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


RATIO_ROUNDS = 6            #: window / headless rounds for the speed ratio
RATIO_WINDOW_S = 1.25       #: seconds of each round spent training in the window
RATIO_HEADLESS_S = 0.75     #: and headless


def _headless_for(seconds: float):
    """A function for ``bridge.call``: the trainer runs ``seconds`` with no window work at all
    (the UI thread waits, nothing is published or recorded); returns (steps, seconds)."""
    def run(trainer):
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            trainer.run(100)
            steps += 100
        return steps, time.perf_counter() - start
    return run


def speed_rounds(window, rounds: int = RATIO_ROUNDS, window_s: float = RATIO_WINDOW_S,
                 headless_s: float = RATIO_HEADLESS_S) -> dict:
    """The window's training speed against the same trainer's headless, in alternating rounds.

    Each round trains ``window_s`` in the window (Play, the views drawing, Pause) and ``headless_s``
    headless: the same trainer, in the training thread, from where the window left it, with the
    UI thread waiting. On this kind of machine a core's speed drifts by up to half over a few
    seconds (the host's other load), so a headless figure taken once, after the window run,
    compared the two at different clock speeds. Alternating (window first, then headless first,
    in turn: a steady drift weighs on both sides alike), each round compares them a second apart
    on the same weights. Returns both rates (all rounds' steps over their seconds) and each
    round's ratio."""
    from PySide6.QtCore import QEventLoop, QTimer
    bridge = window.bridge

    def in_window() -> tuple[int, float]:
        before = bridge.call(lambda t: t.step_count).result(30)
        start = time.perf_counter()
        bridge.play().wait(10)
        loop = QEventLoop()
        QTimer.singleShot(int(window_s * 1000), loop.quit)
        loop.exec()
        bridge.pause().wait(10)
        seconds = time.perf_counter() - start
        return bridge.call(lambda t: t.step_count).result(30) - before, seconds

    def headless() -> tuple[int, float]:
        return bridge.call(_headless_for(headless_s)).result(60)

    runs = []                           # ((window steps, seconds), (headless steps, seconds))
    for i in range(rounds):
        if i % 2:
            h = headless()
            runs.append((in_window(), h))
        else:
            runs.append((in_window(), headless()))
    rate = lambda pairs: sum(s for s, _ in pairs) / sum(t for _, t in pairs)   # noqa: E731
    window_rate, headless_rate = rate([w for w, _ in runs]), rate([h for _, h in runs])
    return {"ratio_window_steps_per_s": window_rate, "headless_steps_per_s": headless_rate,
            "speed_ratio": window_rate / headless_rate,
            "ratio_rounds": [rate([w]) / max(rate([h]), 1e-9) for w, h in runs]}


def _command_ms(send) -> float:
    start = time.perf_counter()
    send().wait(10)
    return (time.perf_counter() - start) * 1000


SCRUB_MS = 40        #: with ``scrub``, the timeline slider moves this often (a steady drag)


def _measure_window(window, seconds: float, scrub: bool = False) -> dict:
    """Train flat out for ``seconds`` while the UI thread runs a real event loop (as ``app.exec()``
    does); a 1 ms timer's tick gaps are the UI thread's stalls. With ``scrub``, after the first
    second the timeline slider is dragged back and forth over the moments recorded (as a
    teacher looking back while the run goes on), a move every SCRUB_MS."""
    from PySide6.QtCore import QEventLoop, QTimer
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(timer.timerType().PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    steps0 = window.bridge.call(lambda t: t.step_count).result(30)
    refreshes0, frames0 = window.pump.refreshes, len(window.pump.frame_ms)
    scrubber = window.scrub
    draws0 = len(scrubber.draw_ms)
    spent0 = window.bridge.timeline.spent
    window.parts.draw_times.reset()
    window.toolbar.pace.setCurrentIndex(window.toolbar.pace.findData(0.0))   # "Flat out"
    window.bridge.play().wait(10)
    mover = QTimer()
    if scrub:
        moves = iter(range(1 << 30))

        def move():
            scrubber.refresh_marks()
            n = len(scrubber.moments)
            if n > 1:
                k = next(moves) % (2 * n - 2)          # there and back again
                scrubber.bar.slider.scrubbed.emit(k if k < n else 2 * n - 2 - k)
        mover.setInterval(SCRUB_MS)
        mover.timeout.connect(move)
        QTimer.singleShot(1000, mover.start)
    timer.start()
    start = time.perf_counter()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    mover.stop()
    elapsed = time.perf_counter() - start
    if scrub:
        scrubber.leave()
    steps = window.bridge.call(lambda t: t.step_count).result(30) - steps0
    gaps = np.diff(np.array(ticks)) * 1000 if len(ticks) > 1 else np.array([elapsed * 1000])
    frames = np.array(window.pump.frame_ms[frames0:] or [0.0])
    scrubs = np.array(scrubber.draw_ms[draws0:] or [float("nan")])
    return {"seconds": elapsed, "max_stall_ms": float(gaps.max()),
            "p99_stall_ms": float(np.percentile(gaps, 99)),
            "refreshes_per_s": (window.pump.refreshes - refreshes0) / elapsed,
            "frame_ms_median": float(np.median(frames)), "frame_ms_p90": float(np.percentile(frames, 90)),
            "ui_steps_per_s": steps / elapsed, "snapshots_dropped": window.bridge.dropped,
            "timeline_share": (window.bridge.timeline.spent - spent0) / elapsed,
            "scrub_moves": len(scrubber.draw_ms) - draws0,
            "scrub_ms_median": float(np.median(scrubs)), "scrub_ms_max": float(np.max(scrubs)),
            "live_views": _per_second(window.parts.draw_times.summary(), elapsed)}


def _per_second(summary: dict, seconds: float) -> dict:
    """Each view's live draws: per draw (wall and UI-thread CPU ms), draws a second, and the
    UI thread's share it took (CPU ms per second of the run)."""
    for row in summary.values():
        row["per_s"] = row["draws"] / seconds
        row["cpu_ms_per_s"] = row["cpu_ms"] * row["per_s"]
    return summary


STEPS_PER_FRAME = 1500     #: about the training one frame sees at 25 refreshes/s
FRAME_SECONDS = 0.04       #: and never more than a frame's time of it (a slow network: a few steps)


def _train_a_frame(t):
    """Up to STEPS_PER_FRAME steps, stopping after FRAME_SECONDS; then a snapshot."""
    start = time.perf_counter()
    t.run(1)
    one = max(time.perf_counter() - start, 1e-7)
    done, k = 1, max(1, min(100, int(0.005 / one)))      # parts of ~5 ms
    while done < STEPS_PER_FRAME and time.perf_counter() - start < FRAME_SECONDS:
        t.run(min(k, STEPS_PER_FRAME - done))
        done += min(k, STEPS_PER_FRAME - done)
    return t.snapshot()


def view_costs(window, repeats: int = 12) -> dict:
    """The time to draw one snapshot in each view, paint included (medians, in ms), training
    paused so nothing competes. Each repeat trains a frame's steps first (in the worker),
    so every view gets new data as it does while training; painting happens when the event loop
    delivers the paint events the drawing queued, so that is timed too."""
    from PySide6.QtWidgets import QApplication
    from .ui.image_docks import IMAGE_DOCKS
    app = QApplication.instance()
    parts = window.parts
    draws = {"output": parts.output_view.show_snapshot, "curves": parts.curves_view.show_snapshot,
             "weights": parts.weights_view.show_snapshot}
    if parts.editor is not None:
        draws["canvas"] = parts.editor.show_snapshot
    if parts.image_docks.active:
        draws["images"] = lambda snap: parts.image_docks.draw(snap, {n: True for n in IMAGE_DOCKS})
    draws["window"] = lambda snap: window._draw(snap, np.zeros(0), np.zeros(0))
    times: dict[str, list[float]] = {name: [] for name in draws}
    cpu: dict[str, list[float]] = {name: [] for name in draws}
    for _ in range(repeats):
        snap = window.bridge.call(_train_a_frame).result(60)
        snap.running = True
        for name, draw in draws.items():
            start, start_cpu = time.perf_counter(), time.thread_time()
            draw(snap)
            app.processEvents()
            times[name].append((time.perf_counter() - start) * 1000)
            cpu[name].append((time.thread_time() - start_cpu) * 1000)
    costs = {f"draw_{name}_ms": float(np.median(ts)) for name, ts in times.items()}
    # the UI thread's CPU time: what each view costs, nearly whatever else loads the machine
    costs.update({f"cpu_{name}_ms": float(np.median(ts)) for name, ts in cpu.items()})
    costs["canvas_frame_ms"] = costs.pop("draw_canvas_ms", float("nan"))
    costs["window_frame_ms"] = costs.pop("draw_window_ms")
    return costs


def _ready_window(folder: str, example: str | None):
    """A 1280x800 main window with its data in ``folder``, the engine warm, on the default
    project or ``example``."""
    from .ui.app import scratch_settings, wait_until
    from .ui.main_window import MainWindow
    os.environ.setdefault("PLAYGROUND_DATA_DIR", folder)
    window = MainWindow(settings=scratch_settings(folder))
    window.resize(1280, 800)
    window.show()
    if not wait_until(lambda: window.ready, 600):
        window.shutdown()
        raise RuntimeError("the engine did not get ready")
    if example:
        window.files.open_example(example)
    # as a user does before pressing Play: the window has drawn the project once (its views
    # built for the network, the first snapshot shown), so a run's first frames are not timed
    # with the opening's work in them
    refreshes = window.pump.refreshes
    wait_until(lambda: window.ready and window.pump.refreshes > refreshes, 30)
    end = time.perf_counter() + 0.3
    wait_until(lambda: time.perf_counter() > end, 5)
    return window


def run_ui_bench(seconds: float = 10.0, example: str | None = None, scrub: bool = False) -> dict:
    """Run the benchmark for ``seconds`` of training in the window (dragging the timeline with
    ``scrub``); returns the figures."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rss_start = rss_mb()
    from .ui.app import application
    application()
    with tempfile.TemporaryDirectory(prefix="playground-bench-") as folder:
        window = _ready_window(folder, example)
        try:
            rss_ready = rss_mb()
            result = _measure_window(window, seconds, scrub)
            result["rss_ready_mb"], result["rss_after_run_mb"] = rss_ready, rss_mb()
            result.update(speed_rounds(window))
            window.pump.stop()                  # no frame competes with the measures below
            window.bridge.pause().wait(10)
            result.update(view_costs(window))
            result["pause_ms"] = _command_ms(window.bridge.pause)
            result["step_ms"] = _command_ms(window.bridge.step)
            result["reset_ms"] = _command_ms(window.bridge.reset)
        finally:
            window.files.mark_clean()
            window.close()
    result["rss_start_mb"], result["rss_end_mb"] = rss_start, rss_mb()
    result["targets"] = TARGETS
    return result


def format_result(result: dict) -> str:
    nan = float("nan")
    rows = [("max UI stall", f"{result['max_stall_ms']:.1f} ms", "< 50 ms"),
            ("p99 UI stall", f"{result['p99_stall_ms']:.1f} ms", "<= 25 ms"),
            ("view refreshes", f"{result['refreshes_per_s']:.1f} /s", ">= 25 /s"),
            ("frame (draw + paint)", f"{result['frame_ms_median']:.1f} ms median, "
                                     f"{result['frame_ms_p90']:.1f} p90", ""),
            ("canvas frame", f"{result.get('canvas_frame_ms', float('nan')):.1f} ms", ""),
            ("draw output/curves/weights", f"{result['draw_output_ms']:.1f} / "
                                           f"{result['draw_curves_ms']:.1f} / "
                                           f"{result['draw_weights_ms']:.1f} ms", ""),
            ("  the same, CPU", f"{result.get('cpu_output_ms', nan):.1f} / "
                                f"{result.get('cpu_curves_ms', nan):.1f} / "
                                f"{result.get('cpu_weights_ms', nan):.1f} ms", "UI thread"),
            ("canvas / images, CPU", f"{result.get('cpu_canvas_ms', nan):.1f} / "
                                     f"{result.get('cpu_images_ms', nan):.1f} ms", "UI thread"),
            ("steps/s in the window", f"{result['ui_steps_per_s']:,.0f}", ""),
            ("window vs headless", f"{result.get('ratio_window_steps_per_s', nan):,.0f} vs "
                                   f"{result['headless_steps_per_s']:,.0f}", "rounds in turn"),
            ("ratio", f"{result['speed_ratio']:.0%}", ">= 70 %"),
            ("  each round", " ".join(f"{r:.0%}" for r in result.get("ratio_rounds", [])), ""),
            ("Pause / Step / Reset", f"{result['pause_ms']:.1f} / {result['step_ms']:.1f} / "
                                     f"{result['reset_ms']:.1f} ms", "< 100 ms"),
            ("timeline recording", f"{result.get('timeline_share', nan):.1%} of the time",
             "<= 5 %"),
            ("RSS start -> end", f"{result['rss_start_mb']:.0f} -> {result['rss_end_mb']:.0f} MB",
             "< 300 MB"),
            ("RSS during the run", f"{result['rss_ready_mb']:.0f} -> {result['rss_after_run_mb']:.0f} MB",
             "not growing")]
    if result.get("scrub_moves"):
        rows.insert(3, ("scrubbing: moves drawn", f"{result['scrub_moves']} moves, "
                        f"{result['scrub_ms_median']:.1f} ms median, {result['scrub_ms_max']:.1f} max",
                        "< 50 ms each"))
    lines = [f"{name:<24}{value:>22}   {target}" for name, value, target in rows]
    live = result.get("live_views") or {}
    if live:
        lines.append("while training, per view (draw only; paint is in the frame time):")
        for name, row in live.items():
            lines.append(f"  {name:<10}{row['cpu_ms']:6.1f} ms CPU ({row['wall_ms']:5.1f} wall) "
                         f"x {row['per_s']:4.1f}/s = {row['cpu_ms_per_s']:5.0f} ms/s, "
                         f"longest {row.get('max_ms', float('nan')):5.1f} ms")
    return "\n".join(lines)


class _GcTimer:
    """The longest garbage collection (any generation) since the last ``take()``, in ms."""

    def __init__(self):
        self._start = 0.0
        self.longest = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.longest = max(self.longest, (time.perf_counter() - self._start) * 1000)

    def take(self) -> float:
        longest, self.longest = self.longest, 0.0
        return longest


def _curve_points(window) -> int:
    return sum(len(s) for s in window.parts.curves_view.series.values())


def run_soak(minutes: float, example: str | None = None, report=print) -> list[dict]:
    """Train flat out for ``minutes`` with every view open; one figure row per minute."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from .ui.app import application
    application()
    rows: list[dict] = []
    gc_timer = _GcTimer()
    gc.callbacks.append(gc_timer)
    with tempfile.TemporaryDirectory(prefix="playground-soak-") as folder:
        window = _ready_window(folder, example)
        try:
            start = time.perf_counter()
            for minute in range(1, int(math.ceil(minutes)) + 1):
                gc_timer.take()
                row = _measure_window(window, min(60.0, minutes * 60 - (minute - 1) * 60))
                row.update(minute=minute, rss_mb=rss_mb(), gc_ms=gc_timer.take(),
                           history_rows=window.bridge.call(lambda t: len(t.history)).result(30),
                           epoch=window.bridge.call(lambda t: t.epoch).result(30),
                           curve_points=_curve_points(window), load=os.getloadavg(),
                           elapsed_s=time.perf_counter() - start)
                rows.append(row)
                report(_soak_line(row))
        finally:
            gc.callbacks.remove(gc_timer)
            window.pump.stop()
            window.bridge.pause().wait(10)
            window.files.mark_clean()
            window.close()
    return rows


def _soak_line(row: dict) -> str:
    return (f"minute {row['minute']:>3}: longest stall {row['max_stall_ms']:6.1f} ms  "
            f"p99 {row['p99_stall_ms']:5.1f} ms  RSS {row['rss_mb']:6.1f} MB  "
            f"history {row['history_rows']:>5} rows (epoch {row['epoch']:,})  "
            f"curve points {row['curve_points']:>6}  {row['refreshes_per_s']:4.1f} refreshes/s  "
            f"{row['ui_steps_per_s']:>7,.0f} steps/s  longest gc {row['gc_ms']:5.1f} ms  "
            f"load {row['load'][0]:.2f}")


def soak_summary(rows: list[dict]) -> str:
    first, later = rows[0], rows[1:] or rows
    worst = max(later, key=lambda r: r["max_stall_ms"])
    growth = max(r["rss_mb"] for r in later) / first["rss_mb"] - 1
    return (f"minute 1: longest stall {first['max_stall_ms']:.1f} ms, RSS {first['rss_mb']:.1f} MB; "
            f"later: longest stall {worst['max_stall_ms']:.1f} ms (minute {worst['minute']}), "
            f"RSS at most {growth:+.1%} of minute 1's (targets: < 50 ms, within 10 %)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playground.bench_ui",
                                     description="The UI benchmark, or a long soak (--soak MINUTES).")
    parser.add_argument("--soak", type=float, metavar="MINUTES",
                        help="train flat out this long, one line of figures a minute")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the short benchmark")
    parser.add_argument("--example", help="train this example instead of the default project")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--scrub", action="store_true",
                        help="drag the timeline slider back and forth while training")
    args = parser.parse_args(argv)
    if args.soak:
        rows = run_soak(args.soak, args.example,
                        report=(lambda line: None) if args.json else
                        (lambda line: print(line, flush=True)))
        print(json.dumps(rows, indent=2) if args.json else soak_summary(rows))
        return 0
    result = run_ui_bench(args.seconds, args.example, args.scrub)
    print(json.dumps(result, indent=2) if args.json else format_result(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
