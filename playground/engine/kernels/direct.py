"""Direct convolution (stride 1) for layers with few input channels, such as LeNet's first layer.

im2col + GEMM suits many channels; with one input channel the column matrix is 25 rows by
N*784 columns (5 MB for a batch of 64), written and read again, and BLAS runs a 6-row product
badly. Here each image plane is copied once into a zero-bordered plane of width PW = W + 2pw, and
the convolution becomes, for every tap (i, j), one long multiply-add over the flat plane:

    acc[p] += w[f, c, i, j] * padded[c][p + i*PW + j]     for p < out_h*PW

Position p = oh*PW + ow is output (oh, ow) for ow < out_w; the other PW - out_w columns of each
row are computed and dropped (they cost (PW - out_w)/PW extra but keep the loop one long,
vectorizable run). The backward pass uses the same shifts: the weight gradient is a dot product
of dz (laid out the same way, zero in the dropped columns) with the shifted plane, and the input
gradient adds w * dz back at the shifted positions.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..activations import _kernels as kernels
from ..activations._kernels import FAST

#: at most this many input channels take the direct path (above, im2col + GEMM wins)
MAX_CHANNELS = 3


def padded_length(height: int, width: int, kh: int, kw: int, ph: int, pw: int) -> int:
    """Values per padded plane, with the kw - 1 extra the last row's shifts read."""
    return (height + 2 * ph) * (width + 2 * pw) + kw - 1


@njit(nogil=True, cache=True, inline="always", fastmath=FAST)
def _taps_axpy(acc, plane, off, wrow, kw, span):
    """acc[p] += sum over j of wrow[j] * plane[off + p + j]; five and three taps in one pass
    (one load and store of acc per five multiply-adds instead of per one)."""
    j = 0
    while j + 5 <= kw:
        w0, w1, w2, w3, w4 = wrow[j], wrow[j + 1], wrow[j + 2], wrow[j + 3], wrow[j + 4]
        src = plane[off + j:off + j + span + 4]
        for p in range(span):
            acc[p] += (w0 * src[p] + w1 * src[p + 1] + w2 * src[p + 2] + w3 * src[p + 3]
                       + w4 * src[p + 4])
        j += 5
    while j + 3 <= kw:
        w0, w1, w2 = wrow[j], wrow[j + 1], wrow[j + 2]
        src = plane[off + j:off + j + span + 2]
        for p in range(span):
            acc[p] += w0 * src[p] + w1 * src[p + 1] + w2 * src[p + 2]
        j += 3
    while j < kw:
        w0 = wrow[j]
        src = plane[off + j:off + j + span]
        for p in range(span):
            acc[p] += w0 * src[p]
        j += 1


@njit(nogil=True, cache=True, inline="always", fastmath=FAST)
def _taps_dot(dz, plane, off, grow, kw, span, zero):
    """grow[j] += sum over p of dz[p] * plane[off + p + j], five taps per pass over dz."""
    j = 0
    while j + 5 <= kw:
        src = plane[off + j:off + j + span + 4]
        s0 = s1 = s2 = s3 = s4 = zero
        for p in range(span):
            d = dz[p]
            s0 += d * src[p]
            s1 += d * src[p + 1]
            s2 += d * src[p + 2]
            s3 += d * src[p + 3]
            s4 += d * src[p + 4]
        grow[j] += s0
        grow[j + 1] += s1
        grow[j + 2] += s2
        grow[j + 3] += s3
        grow[j + 4] += s4
        j += 5
    while j < kw:
        src = plane[off + j:off + j + span]
        s0 = zero
        for p in range(span):
            s0 += dz[p] * src[p]
        grow[j] += s0
        j += 1


@njit(nogil=True, cache=True)
def pad_planes(x, ph, pw, padded):
    """x (N, C, H, W) -> padded (N, C, L): each plane inside a zero border."""
    n_img, chans, height, width = x.shape
    row_w = width + 2 * pw
    padded[:] = 0
    for n in range(n_img):
        for c in range(chans):
            dst, src = padded[n, c], x[n, c]
            for h in range(height):
                base = (h + ph) * row_w + pw
                for w in range(width):
                    dst[base + w] = src[h, w]


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def direct_forward(padded, weight, bias, code, alpha, row_w, out_h, out_w, acc, out):
    """out (N, F, out_h*out_w) = g(conv(padded, weight) + bias); acc scratch of out_h*row_w."""
    n_img, chans = padded.shape[0], padded.shape[1]
    n_f, kh, kw = weight.shape[0], weight.shape[2], weight.shape[3]
    span = out_h * row_w
    for n in range(n_img):
        for f in range(n_f):
            for p in range(span):
                acc[p] = 0.0
            for c in range(chans):
                plane = padded[n, c]
                for i in range(kh):
                    _taps_axpy(acc, plane, i * row_w, weight[f, c, i], kw, span)
            dst = out[n, f]
            for oh in range(out_h):
                kernels.bias_act_row(code, alpha, acc[oh * row_w:oh * row_w + out_w], bias[f],
                                     dst[oh * out_w:(oh + 1) * out_w])


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def direct_backward(padded, weight, dy, y, code, alpha, row_w, out_h, out_w, dz, gw, gb,
                    dpadded, want_dx):
    """gw, gb (overwritten) and, with ``want_dx``, dpadded (N, C, L) of dL/d(padded input).

    dy, y (N, F, out_h*out_w); dz scratch of out_h*row_w."""
    n_img, chans = padded.shape[0], padded.shape[1]
    n_f, kh, kw = weight.shape[0], weight.shape[2], weight.shape[3]
    span = out_h * row_w
    zero = np.zeros(1, dz.dtype)[0]  # float32 sums stay float32 (and vectorize 8 wide)
    gw[:] = 0
    gb[:] = 0
    if want_dx:
        dpadded[:] = 0
    for p in range(span):
        dz[p] = 0.0  # the dropped columns stay zero
    for n in range(n_img):
        for f in range(n_f):
            for oh in range(out_h):
                kernels.grad_row(code, alpha, dy[n, f, oh * out_w:(oh + 1) * out_w],
                                 y[n, f, oh * out_w:(oh + 1) * out_w],
                                 dz[oh * row_w:oh * row_w + out_w])
            s = zero
            for p in range(span):
                s += dz[p]
            gb[f] += s
            for c in range(chans):
                plane = padded[n, c]
                for i in range(kh):
                    _taps_dot(dz, plane, i * row_w, gw[f, c, i], kw, span, zero)
                if want_dx:
                    back = dpadded[n, c]
                    for i in range(kh):
                        for j in range(kw):
                            w = weight[f, c, i, j]
                            dst = back[i * row_w + j:i * row_w + j + span]
                            for p in range(span):
                                dst[p] += w * dz[p]


@njit(nogil=True, cache=True)
def crop_planes(dpadded, ph, pw, dx):
    """dx (N, C, H, W) = the interior of dpadded (N, C, L)."""
    n_img, chans, height, width = dx.shape
    row_w = width + 2 * pw
    for n in range(n_img):
        for c in range(chans):
            src, dst = dpadded[n, c], dx[n, c]
            for h in range(height):
                base = (h + ph) * row_w + pw
                for w in range(width):
                    dst[h, w] = src[base + w]
