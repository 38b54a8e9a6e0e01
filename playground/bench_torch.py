"""The PyTorch side of the benchmark: the same network, loss, optimizer, batches and data."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

_ACT = {"tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "relu": nn.ReLU, "identity": nn.Identity,
        "softmax": lambda: nn.Softmax(dim=1)}


def torch_model(spec: dict) -> nn.Sequential:
    """nn.Sequential for the benchmark specs (dense, conv2d, conv_transpose2d, maxpool2d, flatten)."""
    mods, shape = [], list(spec["input_shape"])
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "dense":
            mods.append(nn.Linear(shape[0], layer["units"]))
            shape = [layer["units"]]
        elif kind in ("conv2d", "conv_transpose2d"):
            k, s, p = layer["kernel_size"], layer.get("stride", 1), layer.get("padding", 0)
            if kind == "conv2d":
                mods.append(nn.Conv2d(shape[0], layer["filters"], k, s, p))
                size = (shape[1] + 2 * p - k) // s + 1
            else:
                op = layer.get("output_padding", 0)
                mods.append(nn.ConvTranspose2d(shape[0], layer["filters"], k, s, p, op))
                size = s * (shape[1] - 1) + k - 2 * p + op
            shape = [layer["filters"], size, size]
        elif kind == "maxpool2d":
            mods.append(nn.MaxPool2d(layer["size"]))
            shape = [shape[0], shape[1] // layer["size"], shape[2] // layer["size"]]
        elif kind == "flatten":
            mods.append(nn.Flatten())
            shape = [int(np.prod(shape))]
        if "activation" in layer:
            mods.append(_ACT[layer["activation"]]())
    return nn.Sequential(*mods)


def _optimizer(config: dict, params):
    if config["type"] == "adam":
        return torch.optim.Adam(params, lr=config["lr"], betas=tuple(config["betas"]), eps=config["eps"])
    return torch.optim.SGD(params, lr=config["lr"])


def torch_runner(workload, x: np.ndarray, y: np.ndarray):
    """A function run(n) doing n training steps (or n grid forwards) in PyTorch."""
    torch.manual_seed(0)
    model = torch_model(workload.spec)
    xt = torch.from_numpy(x)
    if workload.kind == "forward":
        def forward(n: int) -> None:
            with torch.no_grad():
                for _ in range(n):
                    model(xt)
        return forward
    opt = _optimizer(workload.optimizer, model.parameters())
    if workload.loss == "cce":   # the model ends in softmax, as ours: NLL of its log
        yt = torch.from_numpy(y.astype(np.int64))
        loss_fn = lambda out, t: nn.functional.nll_loss(torch.log(out), t)  # noqa: E731
    elif workload.loss == "bce":
        yt = torch.from_numpy(y.astype(np.float32)).reshape(-1, 1)
        loss_fn = nn.BCELoss()
    else:
        yt = torch.from_numpy(y)
        loss_fn = nn.MSELoss()
    batch, n_data = workload.batch, len(x)
    state = {"order": torch.randperm(n_data), "cursor": 0}

    def train(n: int) -> None:
        for _ in range(n):
            if state["cursor"] >= n_data:
                state["order"], state["cursor"] = torch.randperm(n_data), 0
            idx = state["order"][state["cursor"]:state["cursor"] + batch]
            state["cursor"] += batch
            opt.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            opt.step()
    return train
