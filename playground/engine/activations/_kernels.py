"""GENERATED from the activation modules by generate.py: do not edit by hand.

Kernels that apply activation number ``code`` (its index in NAMES) to arrays. The row kernels
serve the fused MLP and the convolution layout kernels (derivatives read from the output);
the flat ``map_`` kernels serve every elementwise activation on the general path."""
# activation modules' fingerprint: a378e447b647030e
from numba import njit

from . import identity as _identity
from . import step as _step
from . import sigmoid as _sigmoid
from . import tanh as _tanh
from . import relu as _relu
from . import leaky_relu as _leaky_relu
from . import softmax as _softmax
from . import elu as _elu
from . import softplus as _softplus
from . import gelu as _gelu
from . import silu as _silu

NAMES = ('identity', 'step', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'softmax', 'elu', 'softplus', 'gelu', 'silu', )
#: enough freedom to vectorize, but NaN and infinity keep their meaning (divergence checks)
FAST = {"nsz", "arcp", "contract", "reassoc"}


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def forward_rows(code, a, block, nb):
    """g in place over block (units, :nb) (softmax: down each column)."""
    if code == 1:
        for j in range(block.shape[0]):
            row = block[j]
            for n in range(nb):
                row[n] = _step.f(row[n], a)
    elif code == 2:
        for j in range(block.shape[0]):
            row = block[j]
            for n in range(nb):
                row[n] = _sigmoid.f(row[n], a)
    elif code == 3:
        if block.itemsize == 4:
            for j in range(block.shape[0]):
                row = block[j]
                for n in range(nb):
                    row[n] = _tanh.f32(row[n], a)
        else:
            for j in range(block.shape[0]):
                row = block[j]
                for n in range(nb):
                    row[n] = _tanh.f(row[n], a)
    elif code == 4:
        for j in range(block.shape[0]):
            row = block[j]
            for n in range(nb):
                row[n] = _relu.f(row[n], a)
    elif code == 5:
        for j in range(block.shape[0]):
            row = block[j]
            for n in range(nb):
                row[n] = _leaky_relu.f(row[n], a)
    elif code == 6:
        _softmax.columns_forward(block, nb)
    elif code == 7:
        for j in range(block.shape[0]):
            row = block[j]
            for n in range(nb):
                row[n] = _elu.f(row[n], a)
    elif code == 8:
        for j in range(block.shape[0]):
            row = block[j]
            for n in range(nb):
                row[n] = _softplus.f(row[n], a)


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def grad_rows(code, a, y, delta, nb):
    """delta (units, :nb) from dL/dy to dL/dz, g' read from the output y."""
    if code == 1:
        for j in range(y.shape[0]):
            for n in range(nb):
                delta[j, n] *= _step.df(y[j, n], y[j, n], a)
    elif code == 2:
        for j in range(y.shape[0]):
            for n in range(nb):
                delta[j, n] *= _sigmoid.df(y[j, n], y[j, n], a)
    elif code == 3:
        for j in range(y.shape[0]):
            for n in range(nb):
                delta[j, n] *= _tanh.df(y[j, n], y[j, n], a)
    elif code == 4:
        for j in range(y.shape[0]):
            for n in range(nb):
                delta[j, n] *= _relu.df(y[j, n], y[j, n], a)
    elif code == 5:
        for j in range(y.shape[0]):
            for n in range(nb):
                delta[j, n] *= _leaky_relu.df(y[j, n], y[j, n], a)
    elif code == 6:
        _softmax.columns_grad(y, delta, nb)
    elif code == 7:
        for j in range(y.shape[0]):
            for n in range(nb):
                delta[j, n] *= _elu.df(y[j, n], y[j, n], a)
    elif code == 8:
        for j in range(y.shape[0]):
            for n in range(nb):
                delta[j, n] *= _softplus.df(y[j, n], y[j, n], a)


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def bias_act_row(code, a, src, b, dst):
    """dst = g(src + b) over one row."""
    if code == 0:
        for p in range(src.size):
            dst[p] = _identity.f(src[p] + b, a)
    elif code == 1:
        for p in range(src.size):
            dst[p] = _step.f(src[p] + b, a)
    elif code == 2:
        for p in range(src.size):
            dst[p] = _sigmoid.f(src[p] + b, a)
    elif code == 3:
        if src.itemsize == 4:
            for p in range(src.size):
                dst[p] = _tanh.f32(src[p] + b, a)
        else:
            for p in range(src.size):
                dst[p] = _tanh.f(src[p] + b, a)
    elif code == 4:
        for p in range(src.size):
            dst[p] = _relu.f(src[p] + b, a)
    elif code == 5:
        for p in range(src.size):
            dst[p] = _leaky_relu.f(src[p] + b, a)
    elif code == 7:
        for p in range(src.size):
            dst[p] = _elu.f(src[p] + b, a)
    elif code == 8:
        for p in range(src.size):
            dst[p] = _softplus.f(src[p] + b, a)


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def grad_row(code, a, dy, y, dst):
    """dst = dy * g' over one row, g' read from the output y."""
    if code == 0:
        for p in range(dy.size):
            dst[p] = dy[p] * _identity.df(y[p], y[p], a)
    elif code == 1:
        for p in range(dy.size):
            dst[p] = dy[p] * _step.df(y[p], y[p], a)
    elif code == 2:
        for p in range(dy.size):
            dst[p] = dy[p] * _sigmoid.df(y[p], y[p], a)
    elif code == 3:
        for p in range(dy.size):
            dst[p] = dy[p] * _tanh.df(y[p], y[p], a)
    elif code == 4:
        for p in range(dy.size):
            dst[p] = dy[p] * _relu.df(y[p], y[p], a)
    elif code == 5:
        for p in range(dy.size):
            dst[p] = dy[p] * _leaky_relu.df(y[p], y[p], a)
    elif code == 7:
        for p in range(dy.size):
            dst[p] = dy[p] * _elu.df(y[p], y[p], a)
    elif code == 8:
        for p in range(dy.size):
            dst[p] = dy[p] * _softplus.df(y[p], y[p], a)


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def map_forward(code, a, x, out):
    """out = g(x) over flat arrays."""
    if code == 0:
        for i in range(x.size):
            out[i] = _identity.f(x[i], a)
    elif code == 1:
        for i in range(x.size):
            out[i] = _step.f(x[i], a)
    elif code == 2:
        for i in range(x.size):
            out[i] = _sigmoid.f(x[i], a)
    elif code == 3:
        for i in range(x.size):
            out[i] = _tanh.f(x[i], a)
    elif code == 4:
        for i in range(x.size):
            out[i] = _relu.f(x[i], a)
    elif code == 5:
        for i in range(x.size):
            out[i] = _leaky_relu.f(x[i], a)
    elif code == 7:
        for i in range(x.size):
            out[i] = _elu.f(x[i], a)
    elif code == 8:
        for i in range(x.size):
            out[i] = _softplus.f(x[i], a)
    elif code == 9:
        for i in range(x.size):
            out[i] = _gelu.f(x[i], a)
    elif code == 10:
        for i in range(x.size):
            out[i] = _silu.f(x[i], a)


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def map_grad(code, a, x, y, dy, out):
    """out = dy * g'(x or y) over flat arrays (x the input, y the output)."""
    if code == 0:
        for i in range(x.size):
            out[i] = dy[i] * _identity.df(x[i], y[i], a)
    elif code == 1:
        for i in range(x.size):
            out[i] = dy[i] * _step.df(x[i], y[i], a)
    elif code == 2:
        for i in range(x.size):
            out[i] = dy[i] * _sigmoid.df(x[i], y[i], a)
    elif code == 3:
        for i in range(x.size):
            out[i] = dy[i] * _tanh.df(x[i], y[i], a)
    elif code == 4:
        for i in range(x.size):
            out[i] = dy[i] * _relu.df(x[i], y[i], a)
    elif code == 5:
        for i in range(x.size):
            out[i] = dy[i] * _leaky_relu.df(x[i], y[i], a)
    elif code == 7:
        for i in range(x.size):
            out[i] = dy[i] * _elu.df(x[i], y[i], a)
    elif code == 8:
        for i in range(x.size):
            out[i] = dy[i] * _softplus.df(x[i], y[i], a)
    elif code == 9:
        for i in range(x.size):
            out[i] = dy[i] * _gelu.df(x[i], y[i], a)
    elif code == 10:
        for i in range(x.size):
            out[i] = dy[i] * _silu.df(x[i], y[i], a)
