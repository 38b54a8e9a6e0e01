"""``python -m playground.bench``: training steps per second of the engine, and of PyTorch beside it.

Workloads (issue 2): A 2-8-8-1 tanh MLP (sigmoid + BCE, SGD; batch 1, 10, 100); B 2 -> six layers
of 8 -> 1; C 784-128-10 (Adam, CCE, batch 64); D LeNet; E a conv autoencoder; F the decision map
(forward of A over a 100x100 and a 256x256 grid); the cold compile time of the engine and the
cached start to the first training step. ``--vs-torch`` adds PyTorch (CPU) on the same workloads;
``--json`` prints machine-readable results; ``--ui`` runs the UI benchmark instead. ``--threads N``
sets numba's, the BLAS's and PyTorch's thread counts to N (the header shows the counts in force).
Each figure is the best of a few timed repeats, so a busy moment on the machine does not count.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

if __name__ == "__main__":
    # before numpy loads its BLAS, which reads its thread count from the environment once
    from .bench_threads import set_blas_env, threads_in_argv
    if (_n := threads_in_argv(sys.argv[1:])) is not None:
        set_blas_env(_n)

import numpy as np  # noqa: E402

from . import bench_threads  # noqa: E402
from . import bench_workloads as W  # noqa: E402


def _timed(run, n_steps: int) -> float:
    start = time.perf_counter()
    run(n_steps)
    return time.perf_counter() - start


def _calibrate(run, max_steps: int, budget: float = 0.3) -> int:
    """Warm ``run`` up and pick a step count that takes about ``budget`` seconds."""
    run(2)
    per_step = _timed(run, 3) / 3
    return max(3, min(max_steps, int(budget / max(per_step, 1e-7))))


def measure(workload: W.Workload, vs_torch: bool, repeats: int = 5) -> dict:
    """Steps per second, the best of ``repeats`` timings; with ``vs_torch`` the two sides take
    turns, so a busy moment on the machine slows both rather than one."""
    runners = {"ours": workload.ours()}
    if vs_torch:
        runners["torch"] = workload.theirs()
    steps = {side: _calibrate(run, workload.max_steps) for side, run in runners.items()}
    best = {side: float("inf") for side in runners}
    for _ in range(repeats):
        for side, run in runners.items():
            best[side] = min(best[side], _timed(run, steps[side]))
    rate = {side: steps[side] / best[side] for side in runners}
    row = {"name": workload.name, "ours_steps_per_s": rate["ours"], "ours_ms": 1000 / rate["ours"],
           "target": workload.target}
    if vs_torch:
        row.update(torch_steps_per_s=rate["torch"], torch_ms=1000 / rate["torch"],
                   ratio=rate["ours"] / rate["torch"])
    return row


_TIMED = """
import time
t0 = time.perf_counter()
from playground.bench_workloads import {function}
{function}()
print(time.perf_counter() - t0)
"""


def _fresh_process(function: str, env: dict) -> float:
    """Seconds from the start of a new interpreter's import to the end of ``function()``."""
    out = subprocess.run([sys.executable, "-c", _TIMED.format(function=function)], env=env,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def startup_times() -> dict:
    """Cold compile of every float32 kernel (empty numba cache), then, with the cache full, a new
    process's import plus the default project's first training step."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PLAYGROUND_CACHE_DIR": cache}
        cold = _fresh_process("compile_everything", env)
        start = time.perf_counter()
        cached = _fresh_process("first_step", env)
        whole = time.perf_counter() - start
    return {"cold_compile_s": cold, "cached_start_s": cached, "cached_process_s": whole}


def format_table(rows: list[dict], startup: dict | None, threads: dict | None = None) -> str:
    has_torch = any("ratio" in r for r in rows)
    head = f"{'workload':<34}{'ours steps/s':>14}{'ms/step':>10}"
    if has_torch:
        head += f"{'torch steps/s':>15}{'ms/step':>10}{'ratio':>9}{'target':>8}"
    lines = [bench_threads.describe(threads)] if threads else []
    lines += [head, "-" * len(head)]
    for r in rows:
        line = f"{r['name']:<34}{r['ours_steps_per_s']:>14,.0f}{r['ours_ms']:>10.3f}"
        if "ratio" in r:
            line += (f"{r['torch_steps_per_s']:>15,.0f}{r['torch_ms']:>10.3f}"
                     f"{r['ratio']:>8.1f}x{r['target']:>7.1f}x")
        lines.append(line)
    if startup:
        lines += ["", f"cold compile of the engine: {startup['cold_compile_s']:.1f} s   "
                      f"cached start to first training step: {startup['cached_start_s']:.2f} s "
                      f"(whole process {startup['cached_process_s']:.2f} s)"]
    return "\n".join(lines)


def _thread_count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"the thread count must be a whole number from 1 up, not {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playground.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--vs-torch", action="store_true", help="run the same workloads in PyTorch")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--only", help="comma-separated workload letters, e.g. A,C,F")
    parser.add_argument("--no-startup", action="store_true", help="skip the compile/start timings")
    parser.add_argument("--ui", action="store_true", help="run the UI benchmark (offscreen)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the UI benchmark")
    parser.add_argument("--labs", action="store_true",
                        help="frames per second of the optimizer race (6 racers, Rosenbrock)")
    parser.add_argument("--threads", type=_thread_count, metavar="N",
                        help="numba's, the BLAS's and PyTorch's thread counts (default: their own)")
    parser.add_argument("--example", help="with --ui: train this example instead of the default "
                                          "(e.g. lenet_digits, with feature maps streaming)")
    parser.add_argument("--scrub", action="store_true",
                        help="with --ui: drag the timeline slider back and forth while training")
    args = parser.parse_args(argv)
    if args.labs:
        from .ui.labs.bench import format_result as labs_text, landscape_seconds, run_labs_bench
        result = {**run_labs_bench(min(args.seconds, 10.0)), **landscape_seconds()}
        print(json.dumps(result, indent=2) if args.json else labs_text(result))
        return 0
    if args.ui:
        from .bench_ui import format_result, run_ui_bench
        result = run_ui_bench(args.seconds, args.example, args.scrub)
        print(json.dumps(result, indent=2) if args.json else format_result(result))
        return 0
    if args.vs_torch:
        try:
            import torch  # noqa: F401
        except ImportError:
            print("PyTorch is not installed (pip install torch==2.13.0); running ours only.",
                  file=sys.stderr)
            args.vs_torch = False
    if args.threads:
        bench_threads.set_threads(args.threads, torch_too=args.vs_torch)
    threads = bench_threads.thread_counts(torch_too=args.vs_torch)
    letters = set(args.only.upper().split(",")) if args.only else None
    rows = []
    for workload in W.all_workloads():
        if letters and workload.name[0] not in letters:
            continue
        rows.append(measure(workload, args.vs_torch))
        if not args.json:
            print(f"  measured {workload.name}", file=sys.stderr)
    startup = None if args.no_startup else startup_times()
    if args.json:
        print(json.dumps({"workloads": rows, "startup": startup, "threads": threads}, indent=2))
    else:
        print(format_table(rows, startup, threads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
