"""Export a network as an ONNX graph (opset 17) with its weights, built with the ``onnx`` package's
helper API; no PyTorch needed. Optional extra: ``pip install -e .[onnx]``.

Layer by layer: dense -> Gemm (transB=1, our weight is (out, in)), conv2d -> Conv, conv_transpose2d
-> ConvTranspose, maxpool2d -> MaxPool (with its Indices output when a maxunpool2d uses it),
avgpool2d -> AveragePool, maxunpool2d -> MaxUnpool, flatten -> Flatten(axis=1), reshape -> Reshape,
activations -> each activation module's own lowering (Sigmoid, Relu, Elu, Erf for GELU, ...). Dropout
does nothing at inference, so it is left out. The graph computes in float32 with a free batch size.

Argmax positions: Playground (like PyTorch) numbers them h*W + w inside each (n, c) plane; ONNX's
MaxPool numbers them over the whole N*C*H*W tensor, and ONNX's MaxUnpool reads that same numbering.
Inside the graph the pair stays consistent, so nothing is converted; a tool that feeds Playground's
per-plane indices into MaxUnpool must add (n*C + c)*H*W to each.
"""
from __future__ import annotations

import os

import numpy as np

try:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("exporting to ONNX needs the onnx package: pip install -e .[onnx]") from exc

from .. import __version__
from ..engine import activations
from ..engine.layers.base import Layer
from .common import build_checked, unpool_source

OPSET = 17
#: IR version 8 is the one that came with opset 17; newer runtimes read it, older ones need it
IR_VERSION = 8


class _GraphBuilder:
    """Appends nodes and initializers; ``x`` is the name of the tensor the next layer reads."""

    def __init__(self, net, weights: dict[str, np.ndarray]):
        self.net = net
        self.weights = weights
        self.nodes: list = []
        self.initializers: list = []
        self.x = "input"
        self.unpooled = {unpool_source(layer) for layer in net.layers
                         if layer.type_name == "maxunpool2d"}
        self.pool_tensors: dict[str, tuple[str, str]] = {}  # pool id -> (its input, its indices)

    def node(self, op: str, inputs: list[str], name: str, outputs: list[str] | None = None,
             **attrs) -> str:
        outputs = outputs or [name]
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, **attrs))
        self.x = outputs[0]
        return outputs[0]

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def param(self, layer: Layer, kind: str) -> str:
        key = f"{layer.id}.{kind}"
        return self.constant(key, np.ascontiguousarray(self.weights[key], dtype=np.float32))

    # -- activations ------------------------------------------------------------------------------
    def activation(self, name: str, alpha: float, prefix: str) -> None:
        """Append g's nodes (each activation's own lowering); the identity adds none."""
        record = activations.RECORDS.get(name)
        if record is None:
            raise ValueError(f"unknown activation {name!r}")
        self.x = record.onnx(self, self.x, prefix, alpha)

    # -- layers: each type appends its own nodes (``Layer.export_onnx``) -----------------------
    def add(self, layer: Layer) -> None:
        layer.export_onnx(self)

    def weighted(self, layer: Layer) -> list[str]:
        """The layer's input, weight and (if it has one) bias tensors."""
        inputs = [self.x, self.param(layer, "weight")]
        if layer.use_bias:
            inputs.append(self.param(layer, "bias"))
        return inputs


def build_onnx_model(spec: dict, weights: dict[str, np.ndarray]):
    """The network as an ``onnx.ModelProto`` (checked with onnx.checker). Input "input" of shape
    (batch, *input_shape), output "output"; float32."""
    net = build_checked(spec, weights)
    graph = _GraphBuilder(net, weights)
    for layer in net.layers:
        graph.add(layer)
    if graph.nodes and graph.nodes[-1].output[0] == graph.x:
        graph.nodes[-1].output[0] = "output"
    else:  # no node at all (only dropout): pass the input through
        graph.node("Identity", [graph.x], "output")
    inputs = [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                            ["batch", *net.input_shape])]
    outputs = [helper.make_tensor_value_info("output", TensorProto.FLOAT,
                                             ["batch", *net.output_shape])]
    model = helper.make_model(
        helper.make_graph(graph.nodes, "playground", inputs, outputs, graph.initializers),
        opset_imports=[helper.make_opsetid("", OPSET)], producer_name="Playground",
        producer_version=__version__)
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def export_onnx(spec: dict, weights: dict[str, np.ndarray], path: str | os.PathLike) -> None:
    """Write the network with its weights as an ONNX file. Raises SpecError if the spec does not
    build or the weights do not fit it."""
    onnx.save_model(build_onnx_model(spec, weights), os.fspath(path))
