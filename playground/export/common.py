"""What both exporters need: the network built from its spec (shapes, checked weights), the geometry
of convolution and pooling layers in explicit numbers, and Python-safe names for layer ids."""
from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

import numpy as np

from ..engine.layers.base import Layer
from ..engine.network import Network


def build_checked(spec: dict, weights: dict[str, np.ndarray]) -> Network:
    """The network the spec describes, holding ``weights`` (every name and shape checked).

    Built in float64 so nothing is rounded on the way; the exporters read shapes and configs from
    its layers, which have already checked every field.
    """
    net = Network.from_spec(spec, seed=0, dtype="float64")
    net.set_weights(weights)
    return net


@dataclass(frozen=True)
class Geometry:
    """A window's size, stride and zero padding (top, left, bottom, right; ONNX's order)."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    pads: tuple[int, int, int, int] = (0, 0, 0, 0)


def conv_geometry(layer: Layer) -> Geometry:
    """Kernel, stride and padding of a conv2d or conv_transpose2d layer, as the layer resolved
    them ('same' -> (f - 1)/2, 'valid' -> 0; the engine takes 'same' only for odd kernels)."""
    (ph, pw) = layer.padding
    return Geometry(tuple(layer.kernel), tuple(layer.stride), (ph, pw, ph, pw))


def pool_geometry(layer: Layer) -> Geometry:
    """Window and stride of a maxpool2d or avgpool2d layer (stride defaults to the size)."""
    return Geometry(tuple(layer.size), tuple(layer.stride))


def unpool_source(layer: Layer) -> str:
    """The id of the maxpool2d whose argmax positions a maxunpool2d layer uses."""
    return str(layer.config["pool"])


def python_names(ids: list[str]) -> dict[str, str]:
    """Layer id -> a unique Python identifier for it ('conv 1' -> 'conv_1', '2nd' -> 'layer_2nd').

    State-dict keys are built from these names, so the generated code keeps the mapping back to
    the ids that name the weights.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for layer_id in ids:
        name = re.sub(r"\W", "_", layer_id, flags=re.ASCII) or "layer"
        if name[0].isdigit() or keyword.iskeyword(name) or name.startswith("_"):
            name = f"layer_{name.lstrip('_')}"
        base, k = name, 2
        while name in taken or name in _RESERVED:
            name = f"{base}_{k}"
            k += 1
        taken.add(name)
        names[layer_id] = name
    return names


#: names an nn.Module attribute must not shadow
_RESERVED = {"forward", "load_weights", "training", "parameters", "state_dict", "eval", "train",
             "to", "double", "float", "cuda", "cpu", "modules", "children", "apply", "zero_grad",
             "x", "np", "torch", "nn", "F"}

