"""A fused training loop for small all-dense networks (the 2-D playground's MLPs).

The general path spends a few microseconds of Python per layer and step; a 2-8-8-1 network does
only a few thousand multiply-adds per batch, so that overhead is the whole cost. Here forward,
loss, backward, penalty and optimizer for many steps run in one numba call over the network's
flat buffers. Activations are stored transposed, (units, batch), so the innermost loops run over
the batch and vectorize; the same kernel evaluates the decision-map grid.

The maths is exactly the general path's (same losses, same optimizer kernels); only the order of
floating-point sums differs.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from . import activations
from .activations import _kernels as kernels
from . import fused_map
from .fused_map import forward_T
from .optimizers import _adam, _momentum, _rmsprop, _sgd

FAST = kernels.FAST
MAX_WIDTH = 64
#: what the kernel applies: activations whose derivative it can read from the output it keeps
#: (hidden layers: elementwise ones; the output layer may also be softmax)
OUTPUT_ACTIVATIONS = tuple(n for n, r in activations.RECORDS.items() if r.kernel_ready)
ELEMENTWISE = tuple(n for n in OUTPUT_ACTIVATIONS if activations.RECORDS[n].elementwise)
LOSS_CODES = {"mse": 0, "bce": 1, "cce": 2}
OPT_CODES = {"sgd": 0, "momentum": 1, "rmsprop": 2, "adam": 3}


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def _output_delta(loss_code, out_code, out_alpha, y, t, delta, nb):
    """Loss value and dL/dz of the output layer (y, t, delta: (K, :nb))."""
    k = y.shape[0]
    loss = 0.0
    for j in range(k):
        for n in range(nb):
            yv, tv = y[j, n], t[j, n]
            if loss_code == 0:
                loss += (yv - tv) * (yv - tv)
                delta[j, n] = 2.0 * (yv - tv) / (k * nb)
            elif loss_code == 1:
                loss -= tv * max(math.log(yv), -100.0) + (1 - tv) * max(math.log(1 - yv), -100.0)
                delta[j, n] = (yv - tv) / max(yv * (1 - yv), 1e-12) / (k * nb)
            else:
                loss -= tv * max(math.log(yv), -100.0)
                delta[j, n] = -tv / max(yv, 1e-12) / nb
    # dL/dz = dL/dy * g'(z), with g' taken from the output y (softmax: over each column)
    kernels.grad_rows(out_code, out_alpha, y, delta, nb)
    return loss / (k * nb) if loss_code != 2 else loss / nb


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def _backward_T(params, grads, table, alphas, offs, acts, delta, nb):
    """Given delta of the last layer, fill every gradient (delta rows mirror acts rows)."""
    for l in range(table.shape[0] - 1, -1, -1):
        w_off, b_off, n_in, n_out = table[l, 0], table[l, 1], table[l, 2], table[l, 3]
        src, dst = offs[l], offs[l + 1]
        for j in range(n_out):
            d = delta[dst + j]
            if b_off >= 0:
                s = 0.0
                for n in range(nb):
                    s += d[n]
                grads[b_off + j] = s
            for i in range(n_in):
                a = acts[src + i]
                s = 0.0
                for n in range(nb):
                    s += d[n] * a[n]
                grads[w_off + j * n_in + i] = s
        if l == 0:
            break
        for i in range(n_in):
            row = delta[src + i]
            for n in range(nb):
                row[n] = 0.0
            for j in range(n_out):
                w = params[w_off + j * n_in + i]
                d = delta[dst + j]
                for n in range(nb):
                    row[n] += w * d[n]
        kernels.grad_rows(table[l - 1, 4], alphas[l - 1], acts[src:dst], delta[src:dst], nb)


@njit(nogil=True, cache=True, error_model="numpy", fastmath=FAST)
def _penalty_T(kind, rate, params, grads, mask):
    total = 0.0
    for i in range(params.size):
        if mask[i] != 0:
            w = params[i]
            if kind == 1:
                grads[i] += rate if w > 0 else (-rate if w < 0 else 0.0)
                total += abs(w)
            else:
                grads[i] += rate * w
                total += 0.5 * w * w
    return rate * total


@njit(nogil=True, cache=True, error_model="numpy")
def train_steps(n_steps, x, t, orders, cursor, batch, params, grads, backup, table, alphas, offs,
                acts, delta, tbuf, loss_code, reg_kind, reg_rate, mask, opt_code, hyper,
                s1, s2, s3, t_opt, losses, frozen):
    """Up to ``n_steps`` batches from ``orders[0][cursor:]``, then on through the epochs of
    ``orders[1]``, ``orders[2]``... (one row per epoch, each a permutation of the rows of x);
    stops at the end of the last row's epoch.

    Returns (steps done, new cursor, epochs ended, diverged): after it, training is in the epoch
    of ``orders[epochs ended]`` at ``cursor``. On a non-finite loss it stops before updating;
    ``backup`` always holds the parameters from before the last update. Parameters where
    ``frozen`` is set (a frozen layer's; an empty array when none) keep their values.
    """
    n_total, n_in, k = x.shape[0], x.shape[1], t.shape[1]
    n_layers = table.shape[0]
    out0 = offs[n_layers]
    out_code = table[n_layers - 1, 4]
    done = 0
    e = 0
    while done < n_steps:
        if cursor >= n_total:
            if e + 1 >= orders.shape[0]:
                break
            e += 1
            cursor = 0
        order = orders[e]
        nb = min(batch, n_total - cursor)
        for n in range(nb):
            idx = order[cursor + n]
            for i in range(n_in):
                acts[i, n] = x[idx, i]
            for j in range(k):
                tbuf[j, n] = t[idx, j]
        forward_T(params, table, alphas, offs, acts, nb)
        loss = _output_delta(loss_code, out_code, alphas[n_layers - 1], acts[out0:out0 + k], tbuf,
                             delta[out0:out0 + k], nb)
        _backward_T(params, grads, table, alphas, offs, acts, delta, nb)
        if reg_kind != 0:
            loss += _penalty_T(reg_kind, reg_rate, params, grads, mask)
        if not math.isfinite(loss):
            return done, cursor, e, True
        backup[:] = params
        t_opt += 1
        if opt_code == 0:
            _sgd(params, grads, hyper[0])
        elif opt_code == 1:
            _momentum(params, grads, s1, hyper[0], hyper[1])
        elif opt_code == 2:
            _rmsprop(params, grads, s1, hyper[0], hyper[1], hyper[3])
        else:
            _adam(params, grads, s1, s2, s3, float(t_opt), float(hyper[0]), float(hyper[1]),
                  float(hyper[2]), float(hyper[3]), float(hyper[4]), hyper[5] != 0, hyper[6] != 0)
        for i in range(frozen.size):
            if frozen[i]:
                params[i] = backup[i]
        losses[done] = loss
        cursor += nb
        done += 1
    return done, cursor, e, False


class FusedMLP:
    """The fused path for one network: layer table, buffers, and the calls the Trainer makes."""

    def __init__(self, net, max_batch: int):
        dense = net.layers
        self.net = net
        self.table = np.array([[0, 0, layer.in_shape[0], layer.out_shape[0],
                                activations.CODES[layer.activation]] for layer in dense], np.int64)
        offset = 0
        for row, layer in zip(self.table, dense):
            row[0] = offset
            offset += layer.in_shape[0] * layer.out_shape[0]
            row[1] = offset if layer.use_bias else -1
            offset += layer.out_shape[0] if layer.use_bias else 0
        self.alphas = np.array([layer.alpha for layer in dense], net.dtype)
        self.offs = np.cumsum([0, net.input_shape[0]] + [layer.out_shape[0] for layer in dense])
        self.offs = self.offs.astype(np.int64)
        self._buffers(max_batch)
        self.frozen = net.frozen_mask if net.any_frozen else np.zeros(0, bool)
        self._grid_acts: np.ndarray | None = None
        #: threads for the maps (fused_map.run); None: numba.get_num_threads()
        self.threads: int | None = None

    def _buffers(self, max_batch: int) -> None:
        rows, k = int(self.offs[-1]), int(self.table[-1, 3])
        dtype = self.net.dtype
        self.acts = np.zeros((rows, max_batch), dtype)
        self.delta = np.zeros((rows, max_batch), dtype)
        self.tbuf = np.zeros((k, max_batch), dtype)
        self.max_batch = max_batch

    @staticmethod
    def supports(net, settings, loss_name: str, augment) -> bool:
        layers = net.layers
        if settings.rule != "backprop" or augment is not None or len(net.input_shape) != 1:
            return False
        if not layers or any(layer.type_name != "dense" for layer in layers):
            return False
        if max([net.input_shape[0]] + [layer.out_shape[0] for layer in layers]) > MAX_WIDTH:
            return False
        hidden_ok = all(layer.activation in ELEMENTWISE for layer in layers[:-1])
        out_ok = layers[-1].activation in OUTPUT_ACTIVATIONS
        return hidden_ok and out_ok and loss_name in LOSS_CODES

    def predict_all(self, x: np.ndarray) -> np.ndarray:
        """Every layer's output for every row of x, transposed: (input + all units, N).

        The result lives in a buffer kept for the next call of the same size (the decision map
        is evaluated ~30 times a second; a fresh megabyte each time costs more than the maths):
        copy what you keep."""
        shape = (int(self.offs[-1]), len(x))
        if self._grid_acts is None or self._grid_acts.shape != shape:
            self._grid_acts = np.empty(shape, self.net.dtype)
        return fused_map.run(self, x, 0, self._grid_acts, transposed=False)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The network's outputs for every row of x: (N, outputs), a new array."""
        k = int(self.table[-1, 3])
        out = np.empty((len(x), k), self.net.dtype)
        return fused_map.run(self, x, int(self.offs[-1]) - k, out, transposed=True)

    def train(self, n_steps, x, t, orders, cursor, batch, optimizer, loss_name, reg_kind, reg_rate,
              backup, losses):
        """Run up to ``n_steps`` batches in one kernel call, through the epochs of ``orders``
        (a 2-D array, one permutation per row); see ``train_steps``."""
        if batch > self.max_batch:
            self._buffers(batch)
        net, dtype = self.net, self.net.dtype
        c = optimizer.config
        betas = c.get("betas", (0.0, 0.0))
        hyper = np.array([c["lr"], c.get("rho", c.get("alpha", betas[0])), betas[1],
                          c.get("eps", 0.0), c.get("weight_decay", 0.0),
                          float(c.get("amsgrad", False)), float(c.get("maximize", False))], dtype)
        state = optimizer.state()["all"]  # live views: the kernel updates them in place
        slots = [state.get(name, backup[:0]) for name in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")]
        if optimizer.name in ("momentum", "rmsprop"):
            slots[0] = state[optimizer.slots[0]]
        done, cursor, epochs, diverged = train_steps(
            n_steps, x, t, orders, cursor, batch, net.flat_params, net.flat_grads, backup,
            self.table, self.alphas, self.offs, self.acts, self.delta, self.tbuf,
            LOSS_CODES[loss_name], reg_kind, dtype.type(reg_rate), net.weight_mask,
            OPT_CODES[optimizer.name], hyper, slots[0], slots[1], slots[2], optimizer.t, losses,
            self.frozen)
        optimizer.t += done
        return done, cursor, epochs, diverged
