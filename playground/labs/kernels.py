"""The kernels of the notes (section 3.1, "Kernel"), to load into a convolution filter by hand.

The numbers are copied from the notes exactly, under the notes' names; "Sharpen" is written there
as 2 at the centre and 0 elsewhere, and so it is here. Gaussian blur is not in the notes: it is
the usual 3×3 binomial kernel, listed apart (``EXTRA``) and labelled so. No Qt.
"""
from __future__ import annotations

import numpy as np

#: name -> 3×3 kernel, as the notes write them (section 3.1)
NOTES_KERNELS: dict[str, np.ndarray] = {
    "Edge detection: vertical": np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], float),
    "Edge detection: horizontal": np.array([[1, 1, 1], [0, 0, 0], [-1, -1, -1]], float),
    "Blur pixel": np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]], float) / 9,
    "Sharpen": np.array([[0, 0, 0], [0, 2, 0], [0, 0, 0]], float),
    "Identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], float),
    "Shift pixel": np.array([[0, 0, 0], [1, 0, 0], [0, 0, 0]], float),
}

#: kernels that are not in the notes, with where they come from
EXTRA: dict[str, np.ndarray] = {
    "Gaussian blur (binomial 3×3, not in the notes)":
        np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], float) / 16,
}

KERNELS = {**NOTES_KERNELS, **EXTRA}


def fit_kernel(kernel: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """``kernel`` centred in a filter of ``shape`` (kh, kw): a 3×3 kernel in a 5×5 filter gets a
    border of zeros, which computes the same sums (cross-correlation, as the engine does).
    A filter smaller than the kernel keeps the kernel's centre."""
    kh, kw = shape
    h, w = kernel.shape
    out = np.zeros((kh, kw), float)
    # the overlap of the two, both centred
    top, left = (kh - h) // 2, (kw - w) // 2
    for r in range(h):
        for c in range(w):
            rr, cc = r + top, c + left
            if 0 <= rr < kh and 0 <= cc < kw:
                out[rr, cc] = kernel[r, c]
    return out


def filter_values(kernel: np.ndarray, weight_shape: tuple[int, ...]) -> np.ndarray:
    """The values of one filter of a conv2d weight (filters, channels, kh, kw): the kernel on
    every input channel, divided by the channel count so that on a grey image whose channels are
    equal the filter computes exactly the kernel."""
    _, channels, kh, kw = weight_shape
    one = fit_kernel(kernel, (kh, kw)) / channels
    return np.repeat(one[None], channels, 0)
