"""The Trainer: runs training steps on arrays and reports small stats records (no threads, no Qt).

One step is one batch: forward, loss, backward, regularization, optimizer (or a classic rule).
An epoch is one pass over the shuffled training set; shuffling comes from the seed, so the same
settings give the same run, bit for bit. A step whose loss or weights are not finite restores the
weights from before it and raises ``Diverged``; so does a run whose loss stays far above its start
or whose weights explode (``divergence.py``), with the weights of its last healthy steps.

The history (one record per epoch, or per ``record_interval``) stays bounded however long the run:
past HISTORY_LIMIT rows every other row of its older half is dropped, so it is dense for the recent
epochs, coarser for the old ones; the first and the last rows are always kept.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import metrics, rules
from .divergence import DivergenceWatch, constant_loss
from .errors import Diverged
from .fused import FusedMLP
from .losses import as_target, auto_loss, make_loss
from .network import Network
from .optimizers import make_optimizer
from .regularization import apply_penalty
from .settings import TrainingSettings
from .snapshot import Snapshot

#: the most history rows kept in memory (a long run thins its older half, see ``thin_history``)
HISTORY_LIMIT = 2000


def thin_history(history: list[dict], limit: int | None = None) -> None:
    """Past ``limit`` rows, drop every other row of the older half (in place) until it fits.

    The first row (where the curves start) and the newest half stay exact, so the recent epochs
    are dense and the older ones coarser; an hour of training keeps at most ``limit`` rows."""
    limit = HISTORY_LIMIT if limit is None else limit
    while len(history) > limit > 3:
        half = len(history) // 2
        del history[2:half:2]


@dataclass
class TrainData:
    """Training and test arrays. ``y``: int labels (classification), 0/1 matrix (multilabel) or
    targets (N, outputs) (regression)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    task: str = "classification"
    n_classes: int = 2


class Trainer:
    """Trains ``network`` on ``data`` by ``settings``.

    ``step()`` runs one batch, ``run(n)`` n batches, ``run_epoch()`` up to the end of the epoch;
    ``evaluate()`` measures train and test loss and metrics; ``snapshot()`` packs what the views draw.
    ``grid`` (points over the input plane, already feature-expanded) and ``probe_inputs`` (a few
    test images) feed the decision map, neuron maps and feature maps.
    """

    def __init__(self, network: Network, settings: TrainingSettings, data: TrainData,
                 grid: np.ndarray | None = None, grid_resolution: int = 0,
                 probe_inputs: np.ndarray | None = None, augment=None,
                 evaluate_each_epoch: bool = True, fast_path: bool = True):
        settings.validate()
        self.net, self.settings, self.data = network, settings, data
        if data.task not in metrics.TASKS:
            raise ValueError(f"unknown task {data.task!r}")
        dtype = network.dtype
        self.x_train = np.ascontiguousarray(data.x_train, dtype=dtype)
        self.y_train = np.asarray(data.y_train)
        self.x_test = None if data.x_test is None else np.ascontiguousarray(data.x_test, dtype=dtype)
        self.y_test = data.y_test
        if len(self.x_train) == 0:
            raise ValueError("the training set is empty")
        self.grid = None if grid is None else np.ascontiguousarray(grid, dtype=dtype)
        self.grid_resolution = grid_resolution
        self.probe_inputs = probe_inputs
        self.augment = augment
        self.evaluate_each_epoch = evaluate_each_epoch
        #: the least time between two history records; 0 records every epoch (headless runs).
        #: A live view sets ~1/20 s: a small network can run 2,000 epochs a second, and a
        #: record (and evaluation) per epoch would be most of the work and all of the memory.
        self.record_interval = 0.0
        self._last_record = float("-inf")
        self.rule = settings.rule
        if self.rule != "backprop":
            reason = rules.check_network(network)
            if reason:
                raise ValueError(reason)
        self.loss_name = (auto_loss(network.output_activation) if settings.loss == "auto"
                          else settings.loss)
        self.loss = make_loss(self.loss_name)
        if not np.isfinite(network.flat_params).all():
            raise ValueError("the network's starting weights are not all finite numbers (NaN, "
                             "infinity, or beyond float32's largest, about 3.4e38)")
        self.optimizer = make_optimizer(settings.optimizer, {"all": network.flat_params})
        self._grads = {"all": network.flat_grads}
        self._backup = network.flat_params.copy()
        self.rng = np.random.default_rng(settings.seed)
        self.step_count = 0
        self.epoch = 0
        self._order = self.rng.permutation(len(self.x_train))
        self._cursor = 0
        self._epoch_loss = 0.0
        self._epoch_batches = 0
        self._epoch_mistakes = 0
        self.last_loss = float("nan")
        self.history: list[dict] = []
        #: seconds spent inside step() and run() (the "seconds" column: compute time, not pauses)
        self.train_seconds = 0.0
        self._timing_since: float | None = None
        #: the unit-norm ADALINE divides each step by ||x||: its range over the training set
        self._x_norms = rules.norm_stats(self.x_train) if self.rule == "adaline_normalized" else {}
        self.watch = DivergenceWatch(network.flat_params, self._constant_loss())
        self._fused = None
        self._map_threads: int | None = None
        self.fast_path = fast_path

    # -- the fused fast path (small all-dense networks) ---------------------------------------
    @property
    def fast_path(self) -> bool:
        """True while steps run in the fused kernel. Setting it False forces the general,
        layer-by-layer path (same maths); setting it True uses the fused kernel where the
        network, loss and settings allow it (``FusedMLP.supports``), else stays False."""
        return self._fused is not None

    @fast_path.setter
    def fast_path(self, wanted: bool) -> None:
        self._fused = None
        if wanted and FusedMLP.supports(self.net, self.settings, self.loss_name, self.augment):
            self._fused = FusedMLP(self.net, self.batch_size)
            self._fused.threads = self._map_threads
            shape = (len(self.y_train),) + self.net.output_shape
            self._fused_targets = np.ascontiguousarray(
                as_target(np.zeros(shape, self.net.dtype), self.y_train))
            self._fused_losses = np.zeros(4096, np.float64)

    @property
    def map_threads(self) -> int | None:
        """Threads the fused decision and neuron maps may use; None: ``numba.get_num_threads()``.
        The app's training thread uses one: the other core is the UI thread's, and a map split
        across both waited for the UI to finish painting."""
        return self._map_threads

    @map_threads.setter
    def map_threads(self, threads: int | None) -> None:
        self._map_threads = threads
        if self._fused is not None:
            self._fused.threads = threads

    def _constant_loss(self, rows: int = 1024) -> float | None:
        """The loss of the best constant prediction on (up to ``rows`` of) the training targets;
        None for the perceptron, whose "loss" is a count of mistakes."""
        y = np.asarray(self.y_train[:rows])
        if self.rule == "perceptron":
            return None
        if self.rule != "backprop":                      # ADALINE regresses z on -1/+1
            return constant_loss(make_loss("mse"), (2.0 * y.astype(np.float64) - 1).reshape(-1, 1))
        shape = (len(y),) + self.net.output_shape
        return constant_loss(make_loss(self.loss_name), as_target(np.zeros(shape), y))

    # -- settings that apply live ---------------------------------------------------------------
    @property
    def batch_size(self) -> int:
        bs = self.settings.batch_size
        return len(self.x_train) if bs == "full" else min(int(bs), len(self.x_train))

    def set_lr(self, lr: float) -> None:
        """A new learning rate takes effect at the next step, without a reset."""
        if not lr > 0:
            raise ValueError("the learning rate must be positive")
        self.settings.optimizer["lr"] = float(lr)
        self.optimizer.lr = float(lr)
        self.watch.rearm()

    def set_batch_size(self, batch_size: int | str) -> None:
        self.settings.batch_size = batch_size
        self.settings.validate()

    @property
    def steps_per_epoch(self) -> int:
        return -(-len(self.x_train) // self.batch_size)

    @property
    def epoch_position(self) -> float:
        """Epochs done and the share of the current one: the epoch counter's x on the curves
        (unlike step_count / steps_per_epoch, it holds when the data or the batch size change)."""
        n = max(len(self.x_train), 1)
        return self.epoch + min(self._cursor, n) / n

    # -- training --------------------------------------------------------------------------------
    def _next_batch(self) -> np.ndarray:
        n = len(self.x_train)
        if self._cursor >= n:
            self._end_epoch()
        idx = self._order[self._cursor:self._cursor + self.batch_size]
        self._cursor += len(idx)
        return idx

    def _end_epoch(self) -> None:
        self.epoch += 1
        now = time.perf_counter()
        if now - self._last_record >= self.record_interval:
            self._last_record = now
            record = {"epoch": self.epoch, "step": self.step_count,
                      "examples": self.epoch * len(self.x_train), "seconds": self.seconds_trained(),
                      "batch_loss": self._epoch_loss / max(self._epoch_batches, 1)}
            if self.rule == "perceptron":
                record["mistakes"] = self._epoch_mistakes
            elif self.rule == "adaline_normalized":
                record.update(self._x_norms)
            if self.evaluate_each_epoch:
                record.update(self.evaluate())
            self.history.append(record)
            thin_history(self.history)
            self._epoch_loss, self._epoch_batches = 0.0, 0
        self._epoch_mistakes = 0
        self._order = self.rng.permutation(len(self.x_train))
        self._cursor = 0

    def seconds_trained(self) -> float:
        """Seconds spent training so far (inside ``step`` and ``run``)."""
        since = self._timing_since
        return self.train_seconds + (0.0 if since is None else time.perf_counter() - since)

    def _timed(self, fn, *args) -> float:
        """``fn(*args)``, its time added to ``train_seconds`` (the outermost call only)."""
        if self._timing_since is not None:
            return fn(*args)
        self._timing_since = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.train_seconds += time.perf_counter() - self._timing_since
            self._timing_since = None

    def step(self) -> float:
        """One batch; returns its loss. Raises ``Diverged`` (weights restored) on NaN or inf."""
        return self._timed(self._step)

    def _step(self) -> float:
        if self._fused is not None:
            return self._run_fused(1)
        idx = self._next_batch()
        xb, yb = self.x_train[idx], self.y_train[idx]
        if self.augment is not None:
            xb = self.augment(xb, self.rng)
        np.copyto(self._backup, self.net.flat_params)
        if self.rule == "backprop":
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is checked below
                loss = self._backprop_step(xb, yb)
        else:
            mistakes, sse = rules.apply(self.rule, self.net, xb, yb, self.settings.lr)
            self._epoch_mistakes += mistakes
            loss = sse / len(idx)
        self.step_count += 1
        if not (np.isfinite(loss) and np.isfinite(self.net.flat_params).all()):
            self._recover()
        reason = self.watch.observe(loss, self.net.flat_params)
        if reason:
            self._recover(reason)
        self.last_loss = loss
        self._epoch_loss += loss
        self._epoch_batches += 1
        if self._cursor >= len(self.x_train):
            self._end_epoch()
        return loss

    def _backprop_step(self, xb: np.ndarray, yb: np.ndarray) -> float:
        y = self.net.forward(xb, training=True)
        loss = self.loss.forward(y, yb)
        self.net.backward(self.loss.backward(), input_grad=False)
        s = self.settings
        if s.regularization != "none" and s.reg_rate > 0:
            loss += apply_penalty(s.regularization, s.reg_rate, self.net.flat_params,
                                  self.net.flat_grads, self.net.weight_mask)
        self.optimizer.step(self._grads)
        self._keep_frozen()
        return loss

    def _keep_frozen(self) -> None:
        """Layers with "trainable": false keep their weights: undo the step's change there (an
        optimizer's weight decay or momentum would otherwise move them)."""
        if self.net.any_frozen:
            np.copyto(self.net.flat_params, self._backup, where=self.net.frozen_mask)

    def _recover(self, reason: str | None = None) -> None:
        """Put back the weights from before the step (NaN or inf), or from the last healthy
        window (``reason``: the loss or weights ran away), and raise ``Diverged``."""
        np.copyto(self.net.flat_params, self._backup if reason is None else self.watch.good)
        self.watch.restart(self.net.flat_params)
        self.optimizer = make_optimizer(self.settings.optimizer, {"all": self.net.flat_params})
        raise Diverged(self.step_count, reason)

    def run(self, n_steps: int) -> float:
        """``n_steps`` batches; returns the last batch's loss."""
        return self._timed(self._run, n_steps)

    def _run(self, n_steps: int) -> float:
        if self._fused is not None:
            return self._run_fused(n_steps)
        loss = self.last_loss
        for _ in range(n_steps):
            loss = self.step()
        return loss

    def _run_fused(self, n_steps: int) -> float:
        """Many steps per kernel call, stopping at every epoch end for the epoch's bookkeeping."""
        s = self.settings
        reg = {"none": 0, "l1": 1, "l2": 2}[s.regularization] if s.reg_rate > 0 else 0
        while n_steps > 0:
            if self._cursor >= len(self.x_train):
                self._end_epoch()
            chunk = min(n_steps, len(self._fused_losses))
            chunk, orders, rng_state = self._fused_orders(chunk)
            done, self._cursor, ended, diverged = self._fused.train(
                chunk, self.x_train, self._fused_targets, orders, self._cursor, self.batch_size,
                self.optimizer, self.loss_name, reg, s.reg_rate, self._backup, self._fused_losses)
            if len(orders) > 1:
                self._epochs_passed(orders, ended, rng_state)
            self.step_count += done
            n_steps -= done
            if done:
                self.last_loss = float(self._fused_losses[done - 1])
                self._epoch_loss += float(self._fused_losses[:done].sum())
                self._epoch_batches += done
            if diverged or not np.isfinite(self.net.flat_params).all():
                self.step_count += 1
                self._recover()
            reason = self.watch.observe(self._fused_losses[:done], self.net.flat_params)
            if reason:
                self._recover(reason)
            if self._cursor >= len(self.x_train):
                self._end_epoch()
        return self.last_loss

    def _fused_orders(self, chunk: int) -> tuple[int, np.ndarray, dict | None]:
        """The epochs one kernel call may run through: (steps, orders, rng state before).

        A paced trainer (``record_interval`` > 0, the app's) runs on through whole epochs inside
        the kernel: their shuffles are drawn here, in the order ``_end_epoch`` would draw them,
        and the call ends at an epoch's end, where the record (if due) is taken as before. A
        small network's epoch is ~25 steps, and a return to Python per epoch kept the worker
        holding the GIL a quarter of its time. Until the run has learned (``watch.learned``),
        calls stay one epoch long, so the divergence watch judges its loss windows as often as
        before; after that it only checks the weights' size, at the end of each call. Unpaced
        (headless, tests): one epoch per call."""
        n, bs = len(self.x_train), self.batch_size
        left = -(-(n - self._cursor) // bs)            # steps to the end of this epoch
        spe = -(-n // bs)
        spans = self.record_interval > 0 and chunk > left and self.watch.learned
        whole = (chunk - left) // spe if spans else 0
        if whole < 1:
            return chunk, self._order.reshape(1, -1), None
        state = self.rng.bit_generator.state
        orders = np.empty((whole + 1, n), self._order.dtype)
        orders[0] = self._order
        for row in orders[1:]:
            row[:] = self.rng.permutation(n)
        return left + whole * spe, orders, state

    def _epochs_passed(self, orders: np.ndarray, ended: int, rng_state: dict) -> None:
        """Bookkeeping for the epochs that ended inside the kernel (no records: the call is
        shorter than ``record_interval``). A call cut short (divergence) puts back the shuffles
        it drew and did not use, so the random stream stays that of epoch-by-epoch training."""
        self.epoch += ended
        self._epoch_mistakes = 0
        self._order = orders[ended].copy()
        if ended < len(orders) - 1:
            self.rng.bit_generator.state = rng_state
            for _ in range(ended):
                self.rng.permutation(len(self.x_train))

    def run_epoch(self) -> float:
        """Steps until the current epoch ends; returns the last batch loss."""
        start = self.epoch
        loss = self.last_loss
        while self.epoch == start:
            loss = self.step()
        return loss

    # -- measuring -------------------------------------------------------------------------------
    def _measure(self, x: np.ndarray, y: np.ndarray, prefix: str) -> dict[str, float]:
        if self.rule != "backprop":
            z = rules.net_input(self.net, x)        # the rules classify by step(z), z = x.w + b
            pred = (z >= 0).astype(self.net.dtype)
            result = {f"{prefix}loss": rules.loss(self.rule, z, pred, y)}
            m = metrics.compute("classification", pred, y, 2)
        else:
            out = self.predict(x)
            loss = make_loss(self.loss_name).forward(out, y)
            result = {f"{prefix}loss": loss}
            m = metrics.compute(self.data.task, out, y, self.data.n_classes)
        result.update({f"{prefix}{k}": v for k, v in m.items()})
        return result

    def evaluate(self) -> dict[str, float]:
        """Loss and metrics on the whole training set ("train_...") and test set ("test_...")."""
        result = self._measure(self.x_train, self.y_train, "train_")
        if self.x_test is not None and len(self.x_test):
            result.update(self._measure(self.x_test, self.y_test, "test_"))
        return result

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The network's outputs for ``x`` (the fused kernel where it applies)."""
        x = np.ascontiguousarray(x, self.net.dtype)
        if self._fused is not None:
            return self._fused.predict(x)
        return self.net.predict(x)

    def snapshot(self, with_grid: bool = True, with_probes: bool = True) -> Snapshot:
        """Copies of what the views draw (DESIGN.md section 4)."""
        last = self.history[-1] if self.history else {}
        snap = Snapshot(step=self.step_count, epoch=self.epoch,
                        train_loss=last.get("train_loss", self.last_loss),
                        test_loss=last.get("test_loss", float("nan")),
                        metrics={k: v for k, v in last.items() if isinstance(v, float)},
                        weights=self.net.get_weights(),
                        gradients={k: v.copy() for k, v in self.net.gradients().items()},
                        history=list(self.history), rule=self.rule)
        with np.errstate(over="ignore"):  # an exploding gradient's norm is inf, not a warning
            for key, grad in snap.gradients.items():
                if key.endswith(".weight"):
                    flat = grad.reshape(-1).astype(np.float64)
                    snap.grad_norms[key[:-len(".weight")]] = float(np.sqrt(flat @ flat))
        if with_grid and self.grid is not None:
            self._grid_outputs(snap)
        if with_probes and self.probe_inputs is not None:
            self._probe_outputs(snap)
        return snap

    def _grid_outputs(self, snap: Snapshot) -> None:
        r = self.grid_resolution
        snap.grid_inputs = self.grid.T.reshape(-1, r, r).copy()
        if self._fused is not None:
            acts, offs = self._fused.predict_all(self.grid), self._fused.offs
            for i, layer in enumerate(self.net.layers):
                snap.grid_outputs[layer.id] = acts[offs[i + 1]:offs[i + 2]].reshape(-1, r, r).copy()
            snap.grid_outputs["output"] = snap.grid_outputs[self.net.layers[-1].id]
            return
        out = self.net.forward(self.grid)
        for layer in self.net.layers:
            if layer.type_name == "dense" and layer.output is not None:
                snap.grid_outputs[layer.id] = layer.output.T.reshape(-1, r, r).copy()
        snap.grid_outputs["output"] = out.T.reshape(-1, r, r).copy()

    def _probe_outputs(self, snap: Snapshot) -> None:
        snap.probe_inputs = np.asarray(self.probe_inputs)
        self.net.forward(snap.probe_inputs)
        for layer in self.net.layers:
            snap.probe_activations[layer.id] = layer.output.copy()
            argmax = layer.extra_state().get("argmax")
            if argmax is not None:
                snap.pool_argmax[layer.id] = argmax.copy()
