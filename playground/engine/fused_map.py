"""The fused MLP's forward over many points (the decision map), in cache-sized blocks and threads.

A 256x256 grid through a 2-8-8-1 network keeps 19 rows of 65,536 values (5 MB): one pass over
them at a time runs from main memory. Here each thread takes a contiguous share of the points and
walks it in blocks of ``BLOCK`` points whose activations (a few KB) stay in the L1 cache, then
copies out only the rows the caller keeps. The kernels release the GIL, so plain Python threads
run them side by side: no numba threading layer (safe when the UI thread and the training thread
both ask), and ``numba.get_num_threads()`` (``--threads`` in the benchmark) sets how many.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from numba import njit

from .activations import _kernels as kernels
from .activations._kernels import FAST

#: points per block: 19 rows x 256 float32 = 19 KB, inside a 32 KB L1 data cache
BLOCK = 256
#: fewer points than this per thread and the hand-over costs more than it saves
MIN_PER_THREAD = 4096

_POOL: ThreadPoolExecutor | None = None


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def forward_T(params, table, alphas, offs, acts, nb):
    """Forward over acts[offs[0]:offs[1], :nb] (the input, transposed) into the later rows."""
    for l in range(table.shape[0]):
        w_off, b_off, n_in, n_out, code = table[l, 0], table[l, 1], table[l, 2], table[l, 3], table[l, 4]
        src, dst = offs[l], offs[l + 1]
        for j in range(n_out):
            row = acts[dst + j]
            bias = params[b_off + j] if b_off >= 0 else 0.0
            for n in range(nb):
                row[n] = bias
            for i in range(n_in):
                w = params[w_off + j * n_in + i]
                a = acts[src + i]
                for n in range(nb):
                    row[n] += w * a[n]
        kernels.forward_rows(code, alphas[l], acts[dst:dst + n_out], nb)


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def forward_blocks(params, table, alphas, offs, x, start, stop, first_row, out, transposed):
    """Rows ``first_row`` on of every layer's output for points x[start:stop].

    ``transposed`` False: out is (rows - first_row, N), column = point (the map's layout);
    True: out is (N, rows - first_row), row = point (predict's layout)."""
    rows, n_in = offs[offs.size - 1], x.shape[1]
    acts = np.empty((rows, BLOCK), x.dtype)
    for b0 in range(start, stop, BLOCK):
        nb = min(BLOCK, stop - b0)
        for i in range(n_in):
            row = acts[i]
            for n in range(nb):
                row[n] = x[b0 + n, i]
        forward_T(params, table, alphas, offs, acts, nb)
        for r in range(first_row, rows):
            src = acts[r]
            if transposed:
                for n in range(nb):
                    out[b0 + n, r - first_row] = src[n]
            else:
                dst = out[r - first_row]
                for n in range(nb):
                    dst[b0 + n] = src[n]


def _pool(n: int) -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None or _POOL._max_workers < n:
        _POOL = ThreadPoolExecutor(max_workers=n, thread_name_prefix="decision-map")
    return _POOL


def shares(n_points: int, threads: int | None = None) -> list[tuple[int, int]]:
    """Contiguous (start, stop) ranges, one per thread used (one when the work is small):
    at most ``threads``, or ``numba.get_num_threads()`` when None."""
    most = numba.get_num_threads() if threads is None else threads
    n_threads = max(1, min(most, n_points // MIN_PER_THREAD))
    if n_threads == 1:
        return [(0, n_points)]
    step = -(-n_points // n_threads)
    step = -(-step // BLOCK) * BLOCK  # whole blocks per thread: no block is split
    return [(s, min(s + step, n_points)) for s in range(0, n_points, step)]


def run(fused, x: np.ndarray, first_row: int, out: np.ndarray, transposed: bool) -> np.ndarray:
    """Fill ``out`` with rows ``first_row`` on of ``fused``'s activations for every point of x,
    over at most ``fused.threads`` threads (None: ``numba.get_num_threads()``)."""
    args = (fused.net.flat_params, fused.table, fused.alphas, fused.offs, x)
    parts = shares(len(x), getattr(fused, "threads", None))
    if len(parts) == 1:
        forward_blocks(*args, 0, len(x), first_row, out, transposed)
        return out
    pool = _pool(len(parts))
    jobs = [pool.submit(forward_blocks, *args, start, stop, first_row, out, transposed)
            for start, stop in parts[1:]]
    forward_blocks(*args, *parts[0], first_row, out, transposed)
    for job in jobs:
        job.result()
    return out
