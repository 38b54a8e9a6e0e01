"""The layout test on a HiDPI screen: at device pixel ratio 2 (QT_SCALE_FACTOR=2, a 3840x2160
screen for the 1920x1080 window) a points example and an images example still fit. Qt's scale
factor is fixed when the application starts, so the layout test runs in a child process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("spiral3", "lenet_digits")     # names that no other example contains


def test_two_examples_fit_at_device_pixel_ratio_2(tmp_path):
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "PLAYGROUND_EXPECT_DPR": "2",
           "QT_QPA_PLATFORM": "offscreen"}
    keyword = "test_every_view_fits and (" + " or ".join(EXAMPLES) + ")"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/ui/test_layout_fit.py", "-k", keyword],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    tail = "\n".join((run.stdout + run.stderr).splitlines()[-40:])
    assert run.returncode == 0, tail
    assert f"{2 * len(EXAMPLES)} passed" in run.stdout, tail
