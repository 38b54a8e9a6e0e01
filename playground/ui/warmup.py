"""Warming the engine: compile (or load from numba's cache) every kernel before the first Play.

A cold start compiles ~20 numba kernels (~17 s on 2 cores); a warm one loads the cache in well
under a second. ``EngineWarmup`` trains a few tiny networks, one per family of kernels, in a
background thread and counts the tasks done, so the status bar can say "Preparing the engine… 3/8"
while the window stays usable. Nothing here imports Qt.
"""
from __future__ import annotations

import threading
import time

import numpy as np

from ..engine import Network, SpecError, TrainData, Trainer, TrainingSettings, optimizer_config


def _dense(acts: list[str], n_in: int, n_out: int) -> dict:
    layers = [{"type": "dense", "units": 4, "activation": a} for a in acts]
    return {"format": "playground-network", "version": 1, "input_shape": [n_in],
            "layers": layers + [{"type": "dense", "units": n_out, "activation": acts[-1] if n_out == 1
                                 and acts[-1] in ("sigmoid", "identity", "step") else "softmax"}]}


def _image(layers: list[dict], out: int = 3) -> dict:
    return {"format": "playground-network", "version": 1, "input_shape": [1, 8, 8],
            "layers": layers + [{"type": "flatten"}, {"type": "dense", "units": out,
                                                      "activation": "softmax"}]}


#: (what the status bar may say, spec, settings overrides, task)
TASKS = [
    ("dense layers", _dense(["tanh", "sigmoid"], 2, 1), {"optimizer": optimizer_config("adam")}, "bin"),
    ("ReLU and softmax", _dense(["relu", "leaky_relu"], 2, 3), {"optimizer": optimizer_config("sgd")},
     "multi"),
    ("regression", _dense(["identity"], 2, 1), {"optimizer": optimizer_config("momentum"),
                                                "regularization": "l2", "reg_rate": 0.01}, "reg"),
    ("RMSProp and L1", _dense(["sigmoid"], 2, 1), {"optimizer": optimizer_config("rmsprop"),
                                                   "regularization": "l1", "reg_rate": 0.01}, "bin"),
    ("classic learning rules", {"format": "playground-network", "version": 1, "input_shape": [2],
                                "layers": [{"type": "dense", "units": 1, "activation": "step"}]},
     {"rule": "perceptron"}, "bin"),
    ("convolution and max pooling", _image([
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": 1, "activation": "relu"},
        {"type": "maxpool2d", "size": 2}]), {}, "image"),
    ("average pooling", _image([
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "activation": "tanh"},
        {"type": "avgpool2d", "size": 2}]), {}, "image"),
    ("unpooling and transposed convolution", _image([
        {"id": "pool1", "type": "maxpool2d", "size": 2},
        {"type": "maxunpool2d", "pool": "pool1"},
        {"type": "conv_transpose2d", "filters": 1, "kernel_size": 3, "padding": 1,
         "activation": "sigmoid"}]), {}, "image"),
]


def _data(task: str, rng: np.random.Generator) -> TrainData:
    if task == "image":
        x = rng.normal(size=(12, 1, 8, 8)).astype(np.float32)
        return TrainData(x, rng.integers(0, 3, 12), x[:4], rng.integers(0, 3, 4), "classification", 3)
    x = rng.normal(size=(12, 2)).astype(np.float32)
    if task == "reg":
        y = x[:, :1].copy()
        return TrainData(x, y, x[:4], y[:4], "regression", 1)
    k = 3 if task == "multi" else 2
    y = rng.integers(0, k, 12)
    return TrainData(x, y, x[:4], y[:4], "classification", k)


def run_task(index: int) -> None:
    """Train one tiny network for two steps, measure it and snapshot it (compiles its kernels)."""
    _name, spec, overrides, task = TASKS[index]
    rng = np.random.default_rng(index)
    data = _data(task, rng)
    settings = TrainingSettings(batch_size=4, **overrides)
    grid = rng.normal(size=(16, 2)).astype(np.float32) if task != "image" else None
    try:
        net = Network.from_spec(spec, seed=0)
    except SpecError:
        return            # a layer type this build does not have: nothing of it to compile
    trainer = Trainer(net, settings, data, grid=grid, grid_resolution=4 if grid is not None else 0,
                      probe_inputs=data.x_test[:2] if task == "image" else None)
    trainer.run(2)
    trainer.evaluate()
    trainer.snapshot()


class EngineWarmup:
    """Runs every warm-up task once in a daemon thread; ``done``/``total``/``finished`` report
    progress, ``error`` holds a failure message (the app can still train: kernels then compile on
    first use), ``seconds`` how long it took."""

    def __init__(self):
        self.total = len(TASKS)
        self.done = 0
        self.error: str | None = None
        self.seconds = 0.0
        self.current = TASKS[0][0]
        self._thread = threading.Thread(target=self._run, name="playground-warmup", daemon=True)

    def start(self) -> "EngineWarmup":
        self._thread.start()
        return self

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive() and self.done + (self.error is not None) > 0

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            for i in range(self.total):
                self.current = TASKS[i][0]
                run_task(i)
                self.done = i + 1
        except Exception as exc:  # noqa: BLE001 - reported in the status bar, training still works
            self.error = f"the engine could not prepare {self.current}: {exc}"
        self.seconds = time.perf_counter() - start
