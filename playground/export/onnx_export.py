"""Export a network as an ONNX graph (opset 17) with its weights, built with the ``onnx`` package's
helper API; no PyTorch needed. Optional extra: ``pip install -e .[onnx]``.

Layer by layer: dense -> Gemm (transB=1, our weight is (out, in)), conv2d -> Conv, conv_transpose2d
-> ConvTranspose, maxpool2d -> MaxPool (with its Indices output when a maxunpool2d uses it),
avgpool2d -> AveragePool, maxunpool2d -> MaxUnpool, flatten -> Flatten(axis=1), reshape -> Reshape,
activations -> Sigmoid/Tanh/Relu/LeakyRelu/Softmax(axis=1), step -> GreaterOrEqual + Cast. Dropout
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
from ..engine.layers.base import Layer
from .common import build_checked, conv_geometry, pool_geometry, unpool_source

OPSET = 17
#: IR version 8 is the one that came with opset 17; newer runtimes read it, older ones need it
IR_VERSION = 8

_ELEMENTWISE = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu"}


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
        if name == "identity":
            return
        if name in _ELEMENTWISE:
            self.node(_ELEMENTWISE[name], [self.x], f"{prefix}/{name}")
        elif name == "leaky_relu":
            self.node("LeakyRelu", [self.x], f"{prefix}/leaky_relu", alpha=float(alpha))
        elif name == "softmax":
            self.node("Softmax", [self.x], f"{prefix}/softmax", axis=1)
        elif name == "step":  # 1 where x >= 0, else 0
            zero = self.constant(f"{prefix}/zero", np.zeros((), np.float32))
            mask = self.node("GreaterOrEqual", [self.x, zero], f"{prefix}/step_mask")
            self.node("Cast", [mask], f"{prefix}/step", to=TensorProto.FLOAT)
        else:
            raise ValueError(f"unknown activation {name!r}")

    # -- layers -------------------------------------------------------------------------------------
    def add(self, layer: Layer) -> None:
        getattr(self, "_" + layer.type_name)(layer)
        if layer.type_name != "activation" and hasattr(layer, "activation"):
            self.activation(layer.activation, layer.alpha, layer.id)

    def _weighted(self, layer: Layer) -> list[str]:
        inputs = [self.x, self.param(layer, "weight")]
        if layer.use_bias:
            inputs.append(self.param(layer, "bias"))
        return inputs

    def _dense(self, layer):
        self.node("Gemm", self._weighted(layer), layer.id, transB=1)

    def _conv2d(self, layer):
        geo = conv_geometry(layer)
        self.node("Conv", self._weighted(layer), layer.id, kernel_shape=list(geo.kernel),
                  strides=list(geo.stride), pads=list(geo.pads))

    def _conv_transpose2d(self, layer):
        geo = conv_geometry(layer)
        self.node("ConvTranspose", self._weighted(layer), layer.id, kernel_shape=list(geo.kernel),
                  strides=list(geo.stride), pads=list(geo.pads),
                  output_padding=list(layer.output_padding))

    def _maxpool2d(self, layer):
        geo = pool_geometry(layer)
        attrs = {"kernel_shape": list(geo.kernel), "strides": list(geo.stride)}
        if layer.id not in self.unpooled:
            self.node("MaxPool", [self.x], layer.id, **attrs)
            return
        source = self.x
        indices = f"{layer.id}/indices"
        self.node("MaxPool", [source], layer.id, outputs=[layer.id, indices], **attrs)
        self.pool_tensors[layer.id] = (source, indices)

    def _avgpool2d(self, layer):
        geo = pool_geometry(layer)
        self.node("AveragePool", [self.x], layer.id, kernel_shape=list(geo.kernel),
                  strides=list(geo.stride))

    def _maxunpool2d(self, layer):
        pool_id = unpool_source(layer)
        geo = pool_geometry(self.net.layer(pool_id))
        source, indices = self.pool_tensors[pool_id]
        value = self.x
        # the output has the pool's input shape, batch included (it may not be whole windows)
        shape = self.node("Shape", [source], f"{layer.id}/output_shape")
        self.node("MaxUnpool", [value, indices, shape], layer.id,
                  kernel_shape=list(geo.kernel), strides=list(geo.stride))

    def _flatten(self, layer):
        self.node("Flatten", [self.x], layer.id, axis=1)

    def _reshape(self, layer):
        shape = self.constant(f"{layer.id}/shape", np.array((-1,) + layer.out_shape, np.int64))
        self.node("Reshape", [self.x, shape], layer.id)

    def _activation(self, layer):
        self.activation(layer.config["function"], layer.alpha, layer.id)

    def _dropout(self, layer):
        """Nothing at inference: inverted dropout already scaled the training outputs."""


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
