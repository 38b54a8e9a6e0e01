"""The benchmark's workloads, each built twice: on our engine and on PyTorch (same shapes, same data).

Inputs are random (uniform points in the plane; uniform [0, 1] images): speed does not depend on
the values. Both sides draw each batch from a shuffled index of the same data set.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config


def mlp(widths: list[int], act: str = "tanh", out_act: str = "sigmoid") -> dict:
    layers = [{"type": "dense", "units": w, "activation": act} for w in widths[1:-1]]
    layers.append({"type": "dense", "units": widths[-1], "activation": out_act})
    return {"input_shape": [widths[0]], "layers": layers}


LENET = {"input_shape": [1, 28, 28], "layers": [
    {"type": "conv2d", "filters": 6, "kernel_size": 5, "padding": 2, "activation": "relu"},
    {"type": "maxpool2d", "size": 2},
    {"type": "conv2d", "filters": 16, "kernel_size": 5, "activation": "relu"},
    {"type": "maxpool2d", "size": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 120, "activation": "relu"},
    {"type": "dense", "units": 84, "activation": "relu"},
    {"type": "dense", "units": 10, "activation": "softmax"}]}

AUTOENCODER = {"input_shape": [1, 28, 28], "layers": [
    {"type": "conv2d", "filters": 16, "kernel_size": 3, "stride": 2, "padding": 1, "activation": "relu"},
    {"type": "conv2d", "filters": 32, "kernel_size": 3, "stride": 2, "padding": 1, "activation": "relu"},
    {"type": "conv_transpose2d", "filters": 16, "kernel_size": 3, "stride": 2, "padding": 1,
     "output_padding": 1, "activation": "relu"},
    {"type": "conv_transpose2d", "filters": 1, "kernel_size": 3, "stride": 2, "padding": 1,
     "output_padding": 1, "activation": "sigmoid"}]}


@dataclass
class Workload:
    name: str
    spec: dict
    optimizer: dict
    loss: str
    batch: int
    target: float
    kind: str = "train"          # "train" or "forward"
    n_data: int = 2048
    grid: int = 0
    max_steps: int = 200_000

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(0)
        shape = tuple(self.spec["input_shape"])
        n = self.grid * self.grid if self.kind == "forward" else self.n_data
        if len(shape) == 1:
            x = rng.uniform(-6, 6, (n,) + shape).astype(np.float32)
        else:
            x = rng.uniform(0, 1, (n,) + shape).astype(np.float32)
        out = self.spec["layers"][-1]
        if self.loss == "mse":
            y = x.copy()
        elif out.get("activation") == "softmax":
            y = rng.integers(0, out["units"], n)
        else:
            y = rng.integers(0, 2, n)
        return x, y

    def ours(self) -> Callable[[int], None]:
        x, y = self.data()
        net = Network.from_spec(self.spec, seed=0)
        settings = TrainingSettings(loss=self.loss, optimizer=self.optimizer, batch_size=self.batch)
        task = "regression" if self.loss == "mse" else "classification"
        trainer = Trainer(net, settings, TrainData(x, y, task=task, n_classes=10),
                          evaluate_each_epoch=False)
        if self.kind == "forward":
            return lambda n: [trainer.predict(x) for _ in range(n)] and None
        return trainer.run

    def theirs(self) -> Callable[[int], None]:
        from .bench_torch import torch_runner
        x, y = self.data()
        return torch_runner(self, x, y)


SGD = optimizer_config("sgd", lr=0.03)
ADAM = optimizer_config("adam", lr=1e-3)


def all_workloads() -> list[Workload]:
    a = mlp([2, 8, 8, 1])
    return [
        Workload("A 2-8-8-1 tanh, SGD, batch 1", a, SGD, "bce", 1, 30.0),
        Workload("A 2-8-8-1 tanh, SGD, batch 10", a, SGD, "bce", 10, 30.0),
        Workload("A 2-8-8-1 tanh, SGD, batch 100", a, SGD, "bce", 100, 30.0),
        Workload("B 2-(8x6)-1 tanh, SGD, batch 10", mlp([2] + [8] * 6 + [1]), SGD, "bce", 10, 20.0),
        Workload("C 784-128-10, Adam, batch 64", mlp([784, 128, 10], "relu", "softmax"), ADAM,
                 "cce", 64, 1.0, n_data=1024),
        Workload("D LeNet 1x28x28, Adam, batch 64", LENET, ADAM, "cce", 64, 1.0, n_data=1024),
        Workload("E conv autoencoder, Adam, batch 64", AUTOENCODER, ADAM, "mse", 64, 1.0, n_data=1024),
        Workload("F decision map of A, 100x100", a, SGD, "bce", 10, 3.0, kind="forward", grid=100),
        Workload("F decision map of A, 256x256", a, SGD, "bce", 10, 3.0, kind="forward", grid=256),
    ]


def compile_everything() -> None:
    """Every float32 kernel the app uses, compiled (or loaded from the cache)."""
    from .engine.warmup import warm_up
    warm_up()


def first_step() -> None:
    """What a user waits for: the default project's network takes its first training step."""
    from .project import build_session, default_project
    build_session(default_project()).trainer.step()
