"""Export a network as a standalone PyTorch script: an nn.Module written out layer by layer, plus
its weights in a pickle-free ``.npz`` (read back with numpy, ``allow_pickle=False``).

Parameter names and shapes are PyTorch's already (``<id>.weight`` dense (out, in), conv2d
(out, in, kh, kw), conv_transpose2d (in, out, kh, kw); DESIGN.md section 2), so the weights file
maps onto ``state_dict`` by name; only layer ids that are not Python identifiers are renamed, and
the generated code keeps that mapping. The script imports numpy and torch only.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .. import __version__
from ..engine import activations
from ..engine.layers.base import Layer, shape_text
from ..engine.settings import TrainingSettings
from .common import build_checked, python_names, unpool_source
from .training_text import training_docstring

CLASS_NAME = "PlaygroundNet"


def activation_code(name: str, alpha: float, var: str = "x") -> str | None:
    """PyTorch expression for g(var), or None for the identity (each activation's own lowering)."""
    return activations.RECORDS[name].torch(var, alpha)


def safe_text(text: str) -> str:
    """A layer id as it may appear in a generated comment or docstring: one line, no quotes that
    could end the docstring, backslashes doubled."""
    return text.encode("unicode_escape").decode("ascii").replace('"', "'")


def _label(layer: Layer) -> str:
    """'conv1: -> 6x28x28', the comment beside a layer's line."""
    return f"{safe_text(layer.id)}: -> {shape_text(layer.out_shape)}"


class _Writer:
    """Collects the ``__init__`` and ``forward`` lines; each layer type writes its own
    (``Layer.export_torch``) through the helpers here."""

    def __init__(self, net):
        self.net = net
        self.names = python_names([layer.id for layer in net.layers])
        self.unpooled = {unpool_source(layer) for layer in net.layers
                         if layer.type_name == "maxunpool2d"}
        self.init: list[str] = []
        self.forward: list[str] = []

    def add(self, layer: Layer) -> None:
        name = self.names[layer.id]
        layer.export_torch(self, name)
        if not layer.trainable and layer.param_shapes:  # "trainable": false in Playground
            self.init.append(f"self.{name}.requires_grad_(False)  # frozen")

    # helpers the layers call
    label = staticmethod(_label)
    safe = staticmethod(safe_text)
    activation_code = staticmethod(activation_code)

    def module(self, layer: Layer, name: str, constructor: str) -> None:
        self.init.append(f"self.{name} = {constructor}  # {_label(layer)}")
        self.forward.append(f"x = self.{name}(x)")

    def activation(self, layer: Layer) -> None:
        """The activation built into a dense or conv layer, as its own line."""
        code = activation_code(layer.activation, layer.alpha)
        if code:
            self.forward.append(f"x = {code}")


def generate_code(spec: dict, weights: dict[str, np.ndarray], weights_file: str,
                  settings: TrainingSettings | dict | None = None) -> str:
    """The PyTorch script's text; ``weights_file`` is its path relative to the script's folder."""
    net = build_checked(spec, weights)
    writer = _Writer(net)
    for layer in net.layers:
        writer.add(layer)
    renamed = {i: n for i, n in writer.names.items() if i != n}
    summary = "\n".join(f"    {safe_text(lid):<16} {kind:<17} {shape_text(shape):<12} {n:>8}"
                        for lid, kind, shape, n in net.summary())
    example = ", ".join(str(s) for s in net.input_shape)
    return _TEMPLATE.format(
        version=__version__, class_name=CLASS_NAME, summary=summary,
        n_params=net.n_params, input_shape=tuple(net.input_shape), example=example,
        training=training_docstring(settings, net.output_activation, CLASS_NAME),
        weights_file=weights_file, renamed=repr(renamed),
        init="\n        ".join(writer.init) or "pass",
        forward="\n        ".join(writer.forward))


def export_pytorch(spec: dict, weights: dict[str, np.ndarray], path_py: str | os.PathLike,
                   path_weights: str | os.PathLike,
                   settings: TrainingSettings | dict | None = None) -> None:
    """Write the model as a runnable PyTorch script ``path_py`` and its weights as ``path_weights``
    (.npz). ``settings`` (the project's training settings) fill in the docstring's training recipe.
    Raises SpecError if the spec does not build or the weights do not fit it."""
    path_py, path_weights = Path(path_py), Path(path_weights)
    relative = os.path.relpath(path_weights.resolve(), path_py.resolve().parent)
    code = generate_code(spec, weights, Path(relative).as_posix(), settings)
    with open(path_weights, "wb") as f:  # a file object: np.savez would otherwise add ".npz"
        np.savez(f, **{k: np.ascontiguousarray(v) for k, v in weights.items()})
    path_py.write_text(code, encoding="utf-8")


_TEMPLATE = '''"""A neural network exported from Playground {version}, as a PyTorch module.

    layer            type              output         params
{summary}
    total parameters: {n_params}

Input: a batch of shape (N, {example}). Use it:

    model = {class_name}().load_weights()   # reads the .npz beside this file
    model.eval()
    y = model(torch.randn(5, {example}))

Run this file (python <this file>) to check it loads and runs.

{training}"""
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

WEIGHTS_FILE = Path(__file__).resolve().parent / "{weights_file}"
INPUT_SHAPE = {input_shape}
#: Playground layer id -> attribute name here, where the id is not a Python name
RENAMED = {renamed}


class {class_name}(nn.Module):
    """The network, layer for layer as it was built in Playground."""

    def __init__(self):
        super().__init__()
        {init}

    def forward(self, x):
        {forward}
        return x

    def load_weights(self, path=WEIGHTS_FILE):
        """Load the weights saved by Playground (names '<layer id>.weight'/'.bias', and batch
        norm's '.running_mean'/'.running_var')."""
        state = {{}}
        with np.load(path, allow_pickle=False) as data:
            for key in data.files:
                layer_id, _, name = key.rpartition(".")
                state[f"{{RENAMED.get(layer_id, layer_id)}}.{{name}}"] = torch.from_numpy(data[key])
        # batch norm's num_batches_tracked counts steps (only used when momentum is None)
        missing, unexpected = self.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.endswith("num_batches_tracked")]
        if missing or unexpected:
            raise RuntimeError(f"the weights file does not fit: missing {{missing}}, "
                               f"unexpected {{unexpected}}")
        return self


if __name__ == "__main__":
    model = {class_name}().load_weights()
    model.eval()
    with torch.no_grad():
        out = model(torch.randn(4, *INPUT_SHAPE))
    print(f"{class_name}: input (4, {{', '.join(map(str, INPUT_SHAPE))}}) -> output {{tuple(out.shape)}}")
    print(out)
'''
