"""``playground --self-test``: the app's smoke test, also run inside the frozen bundle.

Offscreen: opens the main window on the default project, waits for the engine, trains 200 steps
and checks the loss fell, saves the project to a temporary folder, opens it again and checks the
weights came back. Prints each stage's time; returns 0, or 1 with the reason.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np

STEPS = 200


class SelfTestFailure(Exception):
    pass


def _check(condition: bool, reason: str) -> None:
    if not condition:
        raise SelfTestFailure(reason)


def _stages(folder: str, timings: dict[str, float]) -> None:
    from .qtapp import application, scratch_settings, wait_until
    from .main_window import MainWindow
    start = time.perf_counter()
    application()
    window = MainWindow(settings=scratch_settings(folder))
    window.resize(1280, 800)
    window.show()
    timings["window opened"] = time.perf_counter() - start
    try:
        _check(wait_until(lambda: window.ready, 300), "the engine did not get ready in 5 minutes")
        _check(window.session is not None, "the default project does not build")
        timings["engine ready"] = time.perf_counter() - start
        t = time.perf_counter()
        before, after = window.bridge.call(
            lambda tr: (tr.evaluate()["train_loss"], (tr.run(STEPS), tr.evaluate()["train_loss"])[1])
        ).result(300)
        timings[f"trained {STEPS} steps"] = time.perf_counter() - t
        _check(after < before, f"the loss did not fall: {before:.4f} -> {after:.4f}")
        t = time.perf_counter()
        path = os.path.join(folder, "selftest.nnplay")
        _check(window.files.save_to(path), "saving the project failed")
        weights = window.current_project().weights
        _check(window.files.open_path(path), "the saved project did not open")
        reopened = window.current_project().weights
        _check(all(np.array_equal(weights[k], reopened[k]) for k in weights),
               "the reopened project has different weights")
        timings["saved and reopened"] = time.perf_counter() - t
        print(f"loss {before:.4f} -> {after:.4f} after {STEPS} steps")
    finally:
        window.files.mark_clean()
        window.close()


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    timings: dict[str, float] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="playground-selftest-") as folder:
            os.environ.setdefault("PLAYGROUND_DATA_DIR", folder)   # autosaves stay in the temp folder
            _stages(folder, timings)
    except Exception as exc:  # noqa: BLE001 - the self-test reports any failure as its reason
        for name, seconds in timings.items():
            print(f"{name:>24}: {seconds:6.2f} s")
        print(f"self-test FAILED: {exc}", file=sys.stderr)
        return 1
    for name, seconds in timings.items():
        print(f"{name:>24}: {seconds:6.2f} s")
    print("self-test passed")
    return 0
