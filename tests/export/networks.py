"""The networks the export tests run: an MLP of every activation, a CNN with both poolings, an
autoencoder with transposed convolutions and one that unpools through a maxpool's argmax."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network
from playground.engine.layers import REGISTRY

MLP = {"input_shape": [3], "layers": [
    {"type": "dense", "units": 8, "activation": "tanh"},
    {"id": "my layer", "type": "dense", "units": 8, "activation": "leaky_relu", "alpha": 0.2},
    {"id": "class", "type": "dense", "units": 6, "activation": "sigmoid", "bias": False},
    {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 6, "activation": "relu"},
    {"type": "reshape", "shape": [2, 3]},
    {"type": "flatten"},
    {"type": "dense", "units": 5},
    {"type": "activation", "function": "step"},
    {"type": "dense", "units": 4, "activation": "softmax"}]}

CNN = {"input_shape": [2, 12, 12], "layers": [
    {"id": "conv1", "type": "conv2d", "filters": 4, "kernel_size": 3, "padding": "same",
     "activation": "relu"},
    {"id": "pool1", "type": "maxpool2d", "size": 2},
    {"type": "conv2d", "filters": 5, "kernel_size": [3, 2], "stride": [1, 2], "padding": [1, 0],
     "activation": "leaky_relu"},
    {"type": "avgpool2d", "size": 2, "stride": 1},
    {"type": "conv2d", "filters": 3, "kernel_size": 2, "activation": "sigmoid", "bias": False},
    {"type": "flatten"},
    {"type": "dense", "units": 10, "activation": "softmax"}]}

AUTOENCODER = {"input_shape": [1, 11, 11], "layers": [
    {"type": "conv2d", "filters": 4, "kernel_size": 3, "stride": 2, "activation": "tanh"},
    {"type": "conv2d", "filters": 6, "kernel_size": 3, "stride": 2, "padding": 1,
     "activation": "relu"},
    {"type": "flatten"},
    {"type": "dense", "units": 8, "activation": "tanh"},
    {"type": "dense", "units": 54, "activation": "relu"},
    {"type": "reshape", "shape": [6, 3, 3]},
    {"type": "conv_transpose2d", "filters": 4, "kernel_size": 3, "stride": 2, "padding": 1,
     "output_padding": 1, "activation": "leaky_relu"},
    {"type": "conv_transpose2d", "filters": 1, "kernel_size": 3, "stride": 2, "padding": [1, 0],
     "activation": "sigmoid"}]}

UNPOOL = {"input_shape": [2, 9, 9], "layers": [
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1, "activation": "tanh"},
    {"id": "pool1", "type": "maxpool2d", "size": 2},
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1, "activation": "relu"},
    {"type": "maxunpool2d", "pool": "pool1"},
    {"type": "conv_transpose2d", "filters": 2, "kernel_size": 3, "padding": 1}]}

NETWORKS = {"mlp": MLP, "cnn": CNN, "autoencoder": AUTOENCODER, "unpool": UNPOOL}
NEEDS = {"mlp": (), "cnn": ("conv2d", "maxpool2d", "avgpool2d"),
         "autoencoder": ("conv2d", "conv_transpose2d"),
         "unpool": ("conv2d", "maxpool2d", "maxunpool2d", "conv_transpose2d")}


def network_params():
    """pytest params over NETWORKS; networks whose layer types are not written yet are skipped."""
    params = []
    for name, spec in NETWORKS.items():
        missing = [t for t in NEEDS[name] if t not in REGISTRY]
        marks = [pytest.mark.skip(reason=f"layer type(s) {', '.join(missing)} not in the engine "
                                         f"yet")] if missing else []
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def build(name: str, dtype: str = "float64", seed: int = 3):
    """(spec, network with non-zero biases, random inputs of its shape)."""
    spec = NETWORKS[name]
    net = Network.from_spec(spec, seed=seed, dtype=dtype)
    rng = np.random.default_rng(seed + 100)
    for key, value in net.parameters().items():
        if key.endswith(".bias"):  # biases start at 0; give them values so a mix-up would show
            value[...] = rng.normal(0, 0.3, value.shape)
    x = rng.normal(0, 1, (5, *net.input_shape)).astype(dtype)
    return spec, net, x
