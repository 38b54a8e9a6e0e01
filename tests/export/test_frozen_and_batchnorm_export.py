"""Frozen layers and batch norm survive export: requires_grad=False in PyTorch, running statistics
in both the PyTorch state_dict and the ONNX graph (eval mode)."""
import importlib.util

import numpy as np
import pytest

from playground.engine import Network
from playground.export import export_pytorch

torch = pytest.importorskip("torch")

SPEC = {"input_shape": [1, 6, 6], "layers": [
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "trainable": False},
    {"type": "batchnorm", "momentum": 0.3, "eps": 1e-3},
    {"type": "flatten"},
    {"type": "dense", "units": 4},
    {"type": "batchnorm", "id": "bn_dense"},
    {"type": "dense", "units": 2, "activation": "softmax"}]}


def _trained_net(dtype):
    net = Network.from_spec(SPEC, seed=1, dtype=dtype)
    rng = np.random.default_rng(0)
    for _ in range(3):  # running statistics move away from 0 and 1
        net.forward(rng.normal(2, 3, (8, 1, 6, 6)).astype(dtype), training=True)
    return net, rng.normal(2, 3, (4, 1, 6, 6)).astype(dtype)


def _load(tmp_path, net):
    export_pytorch(SPEC, net.get_weights(), tmp_path / "m.py", tmp_path / "m.npz")
    spec = importlib.util.spec_from_file_location("frozen_bn", tmp_path / "m.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pytorch_export_freezes_and_keeps_running_statistics(tmp_path):
    net, x = _trained_net("float64")
    module = _load(tmp_path, net)
    model = module.PlaygroundNet().double().load_weights().eval()
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    assert frozen == {"conv1.weight", "conv1.bias"}
    np.testing.assert_allclose(model.bn1.running_var.numpy(),
                               net.buffers()["bn1.running_var"], rtol=1e-12)
    with torch.no_grad():
        out = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(out, net.forward(x), rtol=1e-10, atol=1e-12)
    assert isinstance(model.bn1, torch.nn.BatchNorm2d)
    assert isinstance(model.bn_dense, torch.nn.BatchNorm1d)


def test_onnx_export_uses_the_running_statistics(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    onnx_export = pytest.importorskip("playground.export.onnx_export")
    net, x = _trained_net("float32")
    onnx_export.export_onnx(SPEC, net.get_weights(), tmp_path / "m.onnx")
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    out = session.run(["output"], {"input": x})[0]
    np.testing.assert_allclose(out, net.forward(x), rtol=1e-5, atol=1e-6)
