"""The ONNX export computes what the engine computes (in onnxruntime), and is a valid opset-17
model with the weights inside."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import SpecError

from .networks import build, network_params

onnx = pytest.importorskip("onnx", reason="onnx is not installed (pip install -e .[onnx])")
ort = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed "
                                                "(pip install -e .[onnx])")
onnx_export = pytest.importorskip("playground.export.onnx_export")


def run(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["output"], {"input": x})[0]


@pytest.mark.parametrize("name", network_params())
def test_outputs_match_the_engine(tmp_path, name):
    spec, net, x = build(name, dtype="float32")
    path = tmp_path / "model.onnx"
    onnx_export.export_onnx(spec, net.get_weights(), path)
    out = run(path, x)
    assert out.shape == (len(x), *net.output_shape)
    np.testing.assert_allclose(out, net.forward(x), rtol=0, atol=1e-5)
    # the batch size is free: one sample gives the same row
    np.testing.assert_allclose(run(path, x[:1]), out[:1], rtol=0, atol=1e-6)


def test_model_is_opset_17_with_named_weights(tmp_path):
    spec, net, _ = build("mlp", dtype="float32")
    model = onnx_export.build_onnx_model(spec, net.get_weights())
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)]
    stored = {t.name: onnx.numpy_helper.to_array(t) for t in model.graph.initializer}
    for key, value in net.parameters().items():
        np.testing.assert_array_equal(stored[key], value)
    ops = {node.op_type for node in model.graph.node}
    assert {"Gemm", "Tanh", "LeakyRelu", "Sigmoid", "Relu", "Reshape", "Flatten",
            "GreaterOrEqual", "Cast", "Softmax"} <= ops
    assert "Dropout" not in ops


def test_unpool_keeps_argmax_positions(tmp_path):
    """Values go back where their maxima were, zeros elsewhere (notes figure 3.4)."""
    spec = {"input_shape": [1, 4, 4], "layers": [
        {"id": "pool", "type": "maxpool2d", "size": 2},
        {"type": "maxunpool2d", "pool": "pool"}]}
    x = np.arange(32, dtype=np.float32).reshape(2, 1, 4, 4)[:, :, ::-1].copy()
    path = tmp_path / "unpool.onnx"
    onnx_export.export_onnx(spec, {}, path)
    out = run(path, x)
    expected = np.where(np.isin(x, x.reshape(2, 1, 2, 2, 2, 2).max(axis=(3, 5))), x, 0)
    np.testing.assert_array_equal(out, expected)


def test_weights_that_do_not_fit_are_refused(tmp_path):
    spec, net, _ = build("mlp")
    weights = net.get_weights()
    del weights["dense1.bias"]
    with pytest.raises(SpecError, match="dense1.bias"):
        onnx_export.export_onnx(spec, weights, tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()
