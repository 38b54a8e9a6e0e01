"""Layout changes between the GEMM's row layout (F, N*P) and the batch layout (N, F, P), fused with
the bias and the cheap activations so each costs one pass over memory.

``code`` is the activation's code (``activations.CODES``) when ``fusable`` says these kernels can
apply it (elementwise, derivative from the output); any other activation is applied by the caller
with ``activations.forward``/``backward`` and these kernels get the identity's code.
"""
from __future__ import annotations

from numba import njit

from ..activations import RECORDS
from ..activations import _kernels as kernels

_act_row = kernels.bias_act_row
_grad_row = kernels.grad_row


def fusable(name: str) -> bool:
    """True when the layout kernels apply activation ``name`` themselves."""
    return RECORDS[name].grad_from == "output"


@njit(nogil=True, cache=True)
def bias_act_from_rows(z, bias, code, alpha, out):
    """out[n, f, :] = g(z[f, n*P:(n+1)*P] + bias[f]); z (F, N*P), out (N, F, P)."""
    n_img, n_f, n_pos = out.shape
    for n in range(n_img):
        for f in range(n_f):
            _act_row(code, alpha, z[f, n * n_pos:(n + 1) * n_pos], bias[f], out[n, f])


@njit(nogil=True, cache=True)
def act_grad_to_rows(dy, y, code, alpha, dz):
    """dz[f, n*P:(n+1)*P] = dy[n, f] * g'; dy, y (N, F, P), dz (F, N*P)."""
    n_img, n_f, n_pos = dy.shape
    for n in range(n_img):
        for f in range(n_f):
            _grad_row(code, alpha, dy[n, f], y[n, f], dz[f, n * n_pos:(n + 1) * n_pos])


@njit(nogil=True, cache=True)
def bias_act_inplace(z, bias, code, alpha):
    """z[n, f] = g(z[n, f] + bias[f]) in place; z (N, F, P)."""
    n_img, n_f, n_pos = z.shape
    for n in range(n_img):
        for f in range(n_f):
            _act_row(code, alpha, z[n, f], bias[f], z[n, f])


@njit(nogil=True, cache=True)
def act_grad(dy, y, code, alpha, dz):
    """dz = dy * g', all (N, F, P)."""
    n_img, n_f, n_pos = dy.shape
    for n in range(n_img):
        for f in range(n_f):
            _grad_row(code, alpha, dy[n, f], y[n, f], dz[n, f])


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
