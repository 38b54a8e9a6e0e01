"""Compile (or load from numba's cache) every kernel before the first real step.

The app runs ``warm_up`` in a background thread at start-up and shows its progress; the benchmark
times it with an empty cache (cold compile) and with a full one (cached start).

A cold compile is ~20 s of single-threaded LLVM work for the float32 kernels the app uses, half
of it the convolution family. numba compiles under the GIL, so the second core is put to work by
compiling that half in a helper process: it writes numba's on-disk cache, and this process then
loads those kernels from it. float64 (gradient checks) compiles on first use unless asked for.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

import numpy as np

from . import activations
from .network import Network
from .optimizers import OPTIMIZERS
from .settings import TrainingSettings, optimizer_config
from .trainer import TrainData, Trainer

#: every elementwise activation (softmax has its own task); new activation modules join by themselves
_ACTS = tuple(name for name, r in activations.RECORDS.items() if r.elementwise)

_IMAGE_NET = {"input_shape": [1, 8, 8], "layers": [
    {"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": 1, "activation": "relu"},
    {"type": "maxpool2d", "size": 2, "id": "pool"},
    {"type": "maxunpool2d", "pool": "pool"},
    {"type": "avgpool2d", "size": 2},
    {"type": "conv_transpose2d", "filters": 1, "kernel_size": 3, "stride": 2, "padding": 1,
     "output_padding": 1, "activation": "sigmoid"},
    {"type": "flatten"},
    {"type": "dropout", "rate": 0.1},
    {"type": "dense", "units": 3, "activation": "softmax"}]}


def _train(spec: dict, optimizer: str, dtype: str, loss: str = "auto", rule: str = "backprop",
           n_out: int = 2, reg: str = "l2") -> None:
    rng = np.random.default_rng(0)
    net = Network.from_spec(spec, dtype=dtype)
    x = rng.standard_normal((6,) + tuple(spec["input_shape"])).astype(dtype)
    y = rng.integers(0, n_out, 6)
    settings = TrainingSettings(loss=loss, optimizer=optimizer_config(optimizer), batch_size=3,
                                rule=rule, regularization=reg, reg_rate=1e-4)
    trainer = Trainer(net, settings, TrainData(x, y, x, y, "classification", n_out))
    trainer.run(2)
    trainer.snapshot()
    trainer.predict(x)  # the decision map's kernel (dense networks)


def tasks() -> list[tuple[str, Callable[[], None]]]:
    """(label, function) pairs; each compiles a family of kernels."""
    out = []
    for dtype in ("float32", "float64"):
        for act in _ACTS:
            spec = {"input_shape": [2], "layers": [
                {"type": "dense", "units": 3, "activation": act},
                {"type": "dense", "units": 1, "activation": "sigmoid"}]}
            out.append((f"dense {act} ({dtype})",
                        lambda s=spec, d=dtype: [_train(s, o, d) for o in OPTIMIZERS]))
        softmax = {"input_shape": [2], "layers": [{"type": "dense", "units": 3, "activation": "softmax"}]}
        out.append((f"softmax and losses ({dtype})", lambda s=softmax, d=dtype: [
            _train(s, "adam", d, loss, n_out=3) for loss in ("cce", "mse")]))
        out.append((f"convolution, pooling, unpooling ({dtype})",
                    lambda d=dtype: [_train(_IMAGE_NET, o, d, n_out=3) for o in OPTIMIZERS]))
        perceptron = {"input_shape": [2], "layers": [{"type": "dense", "units": 1, "activation": "step"}]}
        out.append((f"perceptron and ADALINE ({dtype})", lambda s=perceptron, d=dtype: [
            _train(s, "sgd", d, rule=r, reg="none")
            for r in ("perceptron", "adaline", "adaline_normalized")]))
    return out


def _compile_in_child(labels: list[str]) -> None:
    """Run the named tasks (in a helper process): their kernels land in numba's cache."""
    todo = dict(tasks())
    for label in labels:
        todo[label]()


def _start_helper(labels: list[str]):
    """A one-process pool compiling ``labels``, or None where processes cannot be started."""
    if not labels or (os.cpu_count() or 1) < 2:
        return None, None
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return pool, pool.submit(_compile_in_child, labels)
    except (OSError, RuntimeError, ValueError):
        return None, None


def warm_up(progress: Callable[[int, int, str], None] | None = None,
            dtypes: tuple[str, ...] = ("float32",), parallel: bool = True) -> None:
    """Run the tasks for ``dtypes``; ``progress(done, total, label)`` after each.

    With ``parallel`` the convolution family compiles in a helper process meanwhile; if that
    fails for any reason, those kernels simply compile here.
    """
    todo = [(label, task) for label, task in tasks() if any(f"({d})" in label for d in dtypes)]
    heavy = [label for label, _ in todo if label.startswith("convolution")]
    todo.sort(key=lambda item: item[0] in heavy)  # the helper's share last
    pool, future = _start_helper(heavy) if parallel else (None, None)
    try:
        for i, (label, task) in enumerate(todo):
            if future is not None and label in heavy:
                try:
                    future.result()
                except Exception:  # noqa: BLE001 - the kernels then compile below instead
                    pass
                future = None
            task()
            if progress:
                progress(i + 1, len(todo), label)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
