"""What the image views need to know about a network's layers, read once per structure change.

The views get the live arrays from Snapshots; the static facts (kernel size, stride, padding, which
pool an unpool undoes, which layer feeds which) come from here, so a view never touches the
training thread's Network while it runs.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine import Network, Snapshot
from playground.engine.layers import REGISTRY

IMAGE_TYPES = ("conv2d", "conv_transpose2d", "maxpool2d", "avgpool2d", "maxunpool2d")
#: types whose weight is a bank of image kernels, from the layer classes
CONV_TYPES = tuple(name for name, cls in REGISTRY.items() if cls.has_kernels)
POOL_TYPES = ("maxpool2d", "avgpool2d", "maxunpool2d")


@dataclass
class LayerInfo:
    """One layer's static facts. ``input_id`` is the layer feeding it (None: the network input)."""

    id: str
    type: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    input_id: str | None
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    output_padding: tuple[int, int] = (0, 0)
    activation: str = "identity"
    alpha: float = 0.1
    pool_id: str | None = None
    bias: bool = True

    @property
    def is_image(self) -> bool:
        """Its output is a stack of 2-D maps (channels, height, width)."""
        return len(self.out_shape) == 3


def _info(layer, input_id: str | None) -> LayerInfo:
    info = LayerInfo(layer.id, layer.type_name, tuple(layer.in_shape), tuple(layer.out_shape),
                     input_id)
    if layer.type_name in CONV_TYPES:
        info.kernel, info.stride, info.padding = layer.kernel, layer.stride, layer.padding
        info.output_padding = getattr(layer, "output_padding", (0, 0))
        info.activation, info.alpha = layer.activation, float(layer.alpha)
        info.bias = bool(layer.use_bias)
    elif layer.type_name in ("maxpool2d", "avgpool2d"):
        info.kernel, info.stride = layer.size, layer.stride
    elif layer.type_name == "maxunpool2d":
        info.pool_id = layer.pool.id
        info.kernel, info.stride = layer.pool.size, layer.pool.stride
    return info


def describe_network(network) -> list[LayerInfo]:
    """LayerInfo for every layer of a Network or of a spec dict (built here; may raise SpecError)."""
    if not isinstance(network, Network):
        network = Network.from_spec(network, seed=0)
    infos, previous = [], None
    for layer in network.layers:
        infos.append(_info(layer, previous))
        previous = layer.id
    return infos


def layer_input(snapshot: Snapshot, info: LayerInfo) -> np.ndarray | None:
    """The probe batch that went into layer ``info``: the previous layer's output or the images."""
    if info.input_id is None:
        return snapshot.probe_inputs
    return snapshot.probe_activations.get(info.input_id)


def short_label(info: LayerInfo) -> str:
    """'conv1 (conv2d, 6x28x28)' for combo boxes."""
    return f"{info.id} ({info.type}, {'x'.join(map(str, info.out_shape))})"
