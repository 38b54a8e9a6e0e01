"""The notes' kernels (section 3.1) are copied exactly: compared with the notes file itself."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from playground.labs.kernels import EXTRA, KERNELS, NOTES_KERNELS, filter_values, fit_kernel

NOTES = [Path(__file__).resolve().parents[2].parent / "shared" / "notes" / "deep-learning-notes.md",
         Path("/work/shared/notes/deep-learning-notes.md")]
#: the notes' words before each matrix -> the name the app shows
NAMES = {"vertical": "Edge detection: vertical", "horizontal": "Edge detection: horizontal",
         "Blur Pixel:": "Blur pixel", "Sharpen:": "Sharpen", "Identity:": "Identity",
         "Shift Pixel:": "Shift pixel"}
MATRIX = re.compile(r"\\text\{\s*([^}]*?)\s*\}\s*&?\s*(?:\\frac\{(\d+)\}\{(\d+)\})?\s*"
                    r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", re.S)


def notes_kernels() -> dict[str, np.ndarray]:
    path = next((p for p in NOTES if p.exists()), None)
    if path is None:
        pytest.skip("the notes file is not here")
    text = path.read_text(encoding="utf-8")
    section = text[text.index("## 3.1 Convolution"):text.index("## 3.2 Padding")]
    found = {}
    for name, num, den, body in MATRIX.findall(section):
        rows = [[float(v) for v in row.split("&")] for row in body.strip().split(r"\\")]
        scale = float(num) / float(den) if num else 1.0
        found[name] = np.array(rows) * scale
    return found


def test_every_kernel_of_the_notes_is_loaded_with_the_notes_numbers():
    parsed = notes_kernels()
    assert set(parsed) == set(NAMES), parsed.keys()
    for notes_name, app_name in NAMES.items():
        np.testing.assert_array_equal(KERNELS[app_name], parsed[notes_name], err_msg=app_name)
    assert set(NOTES_KERNELS) == set(NAMES.values())       # nothing of ours passed off as theirs
    assert all("not in the notes" in name for name in EXTRA)


def test_a_small_kernel_is_centred_in_a_larger_filter():
    k = KERNELS["Shift pixel"]
    five = fit_kernel(k, (5, 5))
    assert five.shape == (5, 5) and five[2, 1] == 1 and five.sum() == 1
    np.testing.assert_array_equal(fit_kernel(k, (3, 3)), k)
    # three channels: each carries a third, so a grey image gives the kernel's own sums
    values = filter_values(KERNELS["Identity"], (6, 3, 3, 3))
    assert values.shape == (3, 3, 3) and values.sum() == pytest.approx(1.0)
