"""im2col and col2im: turn a convolution into one matrix product (and back).

``col`` has one row per kernel tap (c, i, j), row index (c*kh + i)*kw + j, and one column per
output position of every image, column index n*Ho*Wo + oh*Wo + ow. Then a convolution is
``weight.reshape(F, C*kh*kw) @ col`` and the whole batch is a single GEMM. Output position
(oh, ow) reads input pixel (oh*sh + i - ph, ow*sw + j - pw); pixels outside the image are padding
zeros.

Speed notes, measured on LeNet and the conv autoencoder: each image plane is first copied into a
zero-bordered scratch plane, so the inner loops have no bounds logic (2-2.5x faster than clipping
every row); flat views are indexed with unsigned offsets because numba wraps negative signed
indices around, a check on every access that blocks vectorization (4x); strides 1 and 2 get loops
of their own so LLVM can vectorize them (a runtime stride is a gather).
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(nogil=True, cache=True, inline="always")
def _gather_row(src, start, stride, dst, base, n):
    """dst[base + o] = src[start + o*stride] for o < n."""
    if stride == 1:
        for o in range(n):
            dst[np.uint64(base + o)] = src[np.uint64(start + o)]
    elif stride == 2:
        for o in range(n):
            dst[np.uint64(base + o)] = src[np.uint64(start + 2 * o)]
    else:
        for o in range(n):
            dst[np.uint64(base + o)] = src[np.uint64(start + stride * o)]


@njit(nogil=True, cache=True, inline="always")
def _scatter_row(src, base, dst, start, stride, n):
    """dst[start + o*stride] += src[base + o] for o < n: the adjoint of _gather_row."""
    if stride == 1:
        for o in range(n):
            dst[np.uint64(start + o)] += src[np.uint64(base + o)]
    elif stride == 2:
        for o in range(n):
            dst[np.uint64(start + 2 * o)] += src[np.uint64(base + o)]
    else:
        for o in range(n):
            dst[np.uint64(start + stride * o)] += src[np.uint64(base + o)]


@njit(nogil=True, cache=True)
def im2col(x, kh, kw, sh, sw, ph, pw, out_h, out_w, col):
    """x (N, C, H, W) -> col (C*kh*kw, N*Ho*Wo) for a conv whose output is out_h x out_w."""
    n_img, chans, height, width = x.shape
    n_pos, n_cols = out_h * out_w, col.shape[1]
    padded_w = width + 2 * pw
    padded = np.zeros((height + 2 * ph) * padded_w, x.dtype)  # the border stays zero
    src, dst = x.reshape(x.size), col.reshape(col.size)
    for n in range(n_img):
        for c in range(chans):
            plane = (n * chans + c) * height * width
            for h in range(height):
                _gather_row(src, plane + h * width, 1, padded, (h + ph) * padded_w + pw, width)
            for i in range(kh):
                for j in range(kw):
                    start = ((c * kh + i) * kw + j) * n_cols + n * n_pos
                    for oh in range(out_h):
                        _gather_row(padded, (oh * sh + i) * padded_w + j, sw, dst,
                                    start + oh * out_w, out_w)


@njit(nogil=True, cache=True)
def col2im(col, kh, kw, sh, sw, ph, pw, out_h, out_w, x):
    """The adjoint of im2col: x (N, C, H, W) = sum of every col entry at the pixel it was read
    from (padding entries are dropped). x is overwritten. (out_h, out_w) is the conv output size."""
    n_img, chans, height, width = x.shape
    n_pos, n_cols = out_h * out_w, col.shape[1]
    padded_w = width + 2 * pw
    padded = np.empty((height + 2 * ph) * padded_w, x.dtype)
    src, dst = col.reshape(col.size), x.reshape(x.size)
    for n in range(n_img):
        for c in range(chans):
            padded[:] = 0
            for i in range(kh):
                for j in range(kw):
                    start = ((c * kh + i) * kw + j) * n_cols + n * n_pos
                    for oh in range(out_h):
                        _scatter_row(src, start + oh * out_w, padded,
                                     (oh * sh + i) * padded_w + j, sw, out_w)
            plane = (n * chans + c) * height * width
            for h in range(height):  # keep the interior, drop what fell on the padding
                _gather_row(padded, (h + ph) * padded_w + pw, 1, dst, plane + h * width, width)
