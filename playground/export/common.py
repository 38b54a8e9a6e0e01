"""What both exporters need: the network built from its spec (shapes, checked weights) and
Python-safe names for layer ids. Each layer type writes its own PyTorch lines and ONNX nodes
(``Layer.export_torch``/``export_onnx``)."""
from __future__ import annotations

import keyword
import re

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

