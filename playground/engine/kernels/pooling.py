"""Pooling and unpooling kernels over planes: arrays (M, H, W) with M = N*C (notes section 3.4).

Windows are kh x kw, moved by (sh, sw), with no padding; the output keeps only whole windows
(floor). Max pooling records, for every output, the flat index h*W + w of its maximum inside the
input plane (PyTorch's return_indices); ties go to the first maximum in row-major window order,
as in PyTorch. Backward passes accumulate, so overlapping windows (stride < size) get the sum of
every window's share. Flat views are indexed with unsigned offsets: numba's negative-index
wraparound check on signed indices blocks vectorization.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def _maxpool_2x2(x, out, argmax):
    """The common 2x2 window with stride 2, without inner loops and branch-free: random data
    makes the general loop's "is it larger" branch mispredict half the time (5x slower)."""
    n_planes, out_h, out_w = out.shape
    width = x.shape[2]
    for m in range(n_planes):
        for oh in range(out_h):
            top, bottom = x[m, 2 * oh], x[m, 2 * oh + 1]
            corner = 2 * oh * width
            for ow in range(out_w):
                a = top[2 * ow]
                b = top[2 * ow + 1]
                c = bottom[2 * ow]
                d = bottom[2 * ow + 1]
                right_top = b > a  # strictly greater: the first of equal maxima wins
                max_top = b if right_top else a
                at_top = 1 if right_top else 0
                right_bottom = d > c
                max_bottom = d if right_bottom else c
                at_bottom = width + 1 if right_bottom else width
                down = max_bottom > max_top
                out[m, oh, ow] = max_bottom if down else max_top
                offset = at_bottom if down else at_top
                argmax[m, oh, ow] = corner + 2 * ow + offset


@njit(nogil=True, cache=True)
def maxpool_forward(x, kh, kw, sh, sw, out, argmax):
    """out[m, oh, ow] = max of the window; argmax[m, oh, ow] = its flat index in plane m."""
    if kh == 2 and kw == 2 and sh == 2 and sw == 2:
        _maxpool_2x2(x, out, argmax)
        return
    n_planes, out_h, out_w = out.shape
    width = x.shape[2]
    for m in range(n_planes):
        plane = x[m].reshape(x[m].size)
        for oh in range(out_h):
            for ow in range(out_w):
                where = oh * sh * width + ow * sw
                best = plane[np.uint64(where)]
                for i in range(kh):
                    row = (oh * sh + i) * width + ow * sw
                    for j in range(kw):
                        v = plane[np.uint64(row + j)]
                        if v > best:  # strictly greater: the first of equal maxima wins
                            best = v
                            where = row + j
                out[m, oh, ow] = best
                argmax[m, oh, ow] = where


@njit(nogil=True, cache=True)
def maxpool_backward(dy, argmax, dx):
    """dx (M, H, W) = 0, then every dy goes to its window's maximum (summed where windows
    share it)."""
    n_planes = dy.shape[0]
    n_out, n_in = dy[0].size, dx[0].size
    grad_out, where, grad_in = dy.reshape(dy.size), argmax.reshape(argmax.size), dx.reshape(dx.size)
    grad_in[:] = 0
    for m in range(n_planes):
        for k in range(m * n_out, (m + 1) * n_out):
            grad_in[np.uint64(m * n_in + where[k])] += grad_out[k]


@njit(nogil=True, cache=True)
def avgpool_forward(x, kh, kw, sh, sw, out):
    """out[m, oh, ow] = mean of the kh x kw window."""
    n_planes, out_h, out_w = out.shape
    width = x.shape[2]
    scale = 1.0 / (kh * kw)
    for m in range(n_planes):
        plane = x[m].reshape(x[m].size)
        for oh in range(out_h):
            for ow in range(out_w):
                total = 0.0
                for i in range(kh):
                    row = (oh * sh + i) * width + ow * sw
                    for j in range(kw):
                        total += plane[np.uint64(row + j)]
                out[m, oh, ow] = total * scale


@njit(nogil=True, cache=True)
def avgpool_backward(dy, kh, kw, sh, sw, dx):
    """dx (M, H, W) = 0, then each dy is shared equally by the kh*kw pixels of its window."""
    n_planes, out_h, out_w = dy.shape
    width = dx.shape[2]
    scale = 1.0 / (kh * kw)
    dx[:] = 0
    for m in range(n_planes):
        plane = dx[m].reshape(dx[m].size)
        for oh in range(out_h):
            for ow in range(out_w):
                share = dy[m, oh, ow] * scale
                for i in range(kh):
                    row = (oh * sh + i) * width + ow * sw
                    for j in range(kw):
                        plane[np.uint64(row + j)] += share


@njit(nogil=True, cache=True)
def unpool_forward(x, argmax, out):
    """out (M, H, W) = 0, then each x goes back to the position its maximum came from."""
    n_planes = x.shape[0]
    n_in, n_out = x[0].size, out[0].size
    values, where, dst = x.reshape(x.size), argmax.reshape(argmax.size), out.reshape(out.size)
    dst[:] = 0
    for m in range(n_planes):
        for k in range(m * n_in, (m + 1) * n_in):
            dst[np.uint64(m * n_out + where[k])] = values[k]


@njit(nogil=True, cache=True)
def unpool_backward(dy, argmax, dx):
    """dx[m, oh, ow] = dy at the position that output was placed (a gather)."""
    n_planes = dx.shape[0]
    n_small, n_big = dx[0].size, dy[0].size
    src, where, dst = dy.reshape(dy.size), argmax.reshape(argmax.size), dx.reshape(dx.size)
    for m in range(n_planes):
        for k in range(m * n_small, (m + 1) * n_small):
            dst[k] = src[np.uint64(m * n_big + where[k])]
