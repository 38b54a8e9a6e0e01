"""Layout changes between the GEMM's row layout (F, N*P) and the batch layout (N, F, P), fused with
the bias and the cheap activations so each costs one pass over memory.

``code`` says which activation to fuse (``FUSED_CODES``); any other activation is applied by the
caller with ``activations.forward``/``backward`` and these kernels get code 0 (identity). The
codes are our own constants, not ``activations.CODES``, because numba bakes globals into its
cached machine code and would not notice that table being reordered.
"""
from __future__ import annotations

from numba import njit

IDENTITY, RELU, LEAKY = 0, 1, 2
FUSED_CODES = {"identity": IDENTITY, "relu": RELU, "leaky_relu": LEAKY}


@njit(nogil=True, cache=True)
def _act_row(src, b, code, alpha, dst):
    """dst = g(src + b) over one row."""
    if code == RELU:
        for p in range(src.size):
            v = src[p] + b
            dst[p] = v if v > 0 else 0
    elif code == LEAKY:
        for p in range(src.size):
            v = src[p] + b
            dst[p] = v if v > 0 else alpha * v
    else:
        for p in range(src.size):
            dst[p] = src[p] + b


@njit(nogil=True, cache=True)
def _grad_row(dy, y, code, alpha, dst):
    """dst = dy * g'(.) over one row, g' read from the output y."""
    if code == RELU:
        for p in range(dy.size):
            dst[p] = dy[p] if y[p] > 0 else 0
    elif code == LEAKY:  # y > 0 exactly where z > 0 because alpha > 0
        for p in range(dy.size):
            dst[p] = dy[p] if y[p] > 0 else alpha * dy[p]
    else:
        for p in range(dy.size):
            dst[p] = dy[p]


@njit(nogil=True, cache=True)
def bias_act_from_rows(z, bias, code, alpha, out):
    """out[n, f, :] = g(z[f, n*P:(n+1)*P] + bias[f]); z (F, N*P), out (N, F, P)."""
    n_img, n_f, n_pos = out.shape
    for n in range(n_img):
        for f in range(n_f):
            _act_row(z[f, n * n_pos:(n + 1) * n_pos], bias[f], code, alpha, out[n, f])


@njit(nogil=True, cache=True)
def act_grad_to_rows(dy, y, code, alpha, dz):
    """dz[f, n*P:(n+1)*P] = dy[n, f] * g'; dy, y (N, F, P), dz (F, N*P)."""
    n_img, n_f, n_pos = dy.shape
    for n in range(n_img):
        for f in range(n_f):
            _grad_row(dy[n, f], y[n, f], code, alpha, dz[f, n * n_pos:(n + 1) * n_pos])


@njit(nogil=True, cache=True)
def bias_act_inplace(z, bias, code, alpha):
    """z[n, f] = g(z[n, f] + bias[f]) in place; z (N, F, P)."""
    n_img, n_f, n_pos = z.shape
    for n in range(n_img):
        for f in range(n_f):
            _act_row(z[n, f], bias[f], code, alpha, z[n, f])


@njit(nogil=True, cache=True)
def act_grad(dy, y, code, alpha, dz):
    """dz = dy * g', all (N, F, P)."""
    n_img, n_f, n_pos = dy.shape
    for n in range(n_img):
        for f in range(n_f):
            _grad_row(dy[n, f], y[n, f], code, alpha, dz[n, f])


@njit(nogil=True, cache=True)
def planes_to_rows(x, out):
    """x (N, C, P) -> out (C, N*P)."""
    n_img, chans, n_pos = x.shape
    for n in range(n_img):
        for c in range(chans):
            out[c, n * n_pos:(n + 1) * n_pos] = x[n, c]


@njit(nogil=True, cache=True)
def rows_to_planes(x, out):
    """x (C, N*P) -> out (N, C, P)."""
    n_img, chans, n_pos = out.shape
    for n in range(n_img):
        for c in range(chans):
            out[n, c] = x[c, n * n_pos:(n + 1) * n_pos]
