"""Compile (or load from numba's cache) every kernel before the first real step.

The app runs ``warm_up`` in a background thread at start-up and shows its progress; the benchmark
times it with an empty cache (cold compile) and with a full one (cached start).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .network import Network
from .optimizers import OPTIMIZERS
from .settings import TrainingSettings, optimizer_config
from .trainer import TrainData, Trainer

_ACTS = ("identity", "step", "sigmoid", "tanh", "relu", "leaky_relu")

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


def warm_up(progress: Callable[[int, int, str], None] | None = None) -> None:
    """Run every task; ``progress(done, total, label)`` after each."""
    todo = tasks()
    for i, (label, task) in enumerate(todo):
        task()
        if progress:
            progress(i + 1, len(todo), label)
