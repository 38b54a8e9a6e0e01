"""Every registered activation, found by itself: gradients, PyTorch, exports, words, validation.

The parameter lists come from ``activations.RECORDS``, so a new activation module is tested the
moment it exists, and one that misses any of these (a wrong derivative, a missing lowering, no
help text) fails here, not in a user's hands.
"""
import importlib.util

import numpy as np
import pytest

from playground.engine import Network, SpecError, activations
from playground.engine.activations import RECORDS

from .gradcheck import check_network

torch = pytest.importorskip("torch")
NAMES = list(RECORDS)
ELEMENTWISE = [n for n, r in RECORDS.items() if r.elementwise]
SMOOTH = [n for n in NAMES if n != "step"]  # step's gradient is zero: nothing to compare


def _alpha(name):
    r = RECORDS[name]
    return {"alpha": 0.5 * (r.params[0].low + r.params[0].high) * 0.6} if r.params else {}


def _with_biases(net):
    """Biases start at 0; an all-zero input to a ReLU then sits on its kink."""
    rng = np.random.default_rng(9)
    for key, value in net.parameters().items():
        if key.endswith(".bias"):
            value[...] = rng.uniform(0.2, 0.6, value.shape) * rng.choice([-1, 1], value.shape)
    return net


def _x(shape, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape) * 2
    return x + np.where(np.abs(x) < 1e-3, 0.01, 0)  # keep clear of relu's kink


@pytest.mark.parametrize("name", SMOOTH)
def test_gradient_in_dense_conv_and_activation_layers(name):
    extra = _alpha(name)
    dense = {"input_shape": [3], "layers": [
        {"type": "dense", "units": 4, "activation": name, **extra},
        {"type": "activation", "function": name, **extra},
        {"type": "dense", "units": 2, "activation": "tanh"}]}
    check_network(_with_biases(Network.from_spec(dense, seed=1, dtype="float64")), _x((5, 3)))
    conv = {"input_shape": [2, 5, 5], "layers": [
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1, "activation": name,
         **extra},
        {"type": "conv_transpose2d", "filters": 2, "kernel_size": 2, "stride": 2,
         "activation": name, **extra}]}
    check_network(_with_biases(Network.from_spec(conv, seed=2, dtype="float64")), _x((2, 2, 5, 5)))


def _torch_module(name, alpha):
    cls, kwargs = RECORDS[name].torch_module
    kwargs = {k: (alpha if v == "alpha" else v) for k, v in kwargs.items()}
    return getattr(torch.nn, cls)(**kwargs)


@pytest.mark.parametrize("name", [n for n in SMOOTH if RECORDS[n].torch_module])
@pytest.mark.parametrize("dtype, tol", [("float64", 1e-12), ("float32", 2e-6)])
def test_forward_and_backward_equal_pytorch(name, dtype, tol):
    alpha = _alpha(name).get("alpha")
    x = _x((6, 5), 3).astype(dtype)
    dy = _x((6, 5), 4).astype(dtype)
    tx = torch.tensor(x, requires_grad=True)
    ty = _torch_module(name, alpha)(tx)
    ty.backward(torch.tensor(dy))
    y = activations.forward(name, x, alpha)
    assert y.dtype == x.dtype
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=tol, atol=tol)
    dx = activations.backward(name, y, dy, alpha, x)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=10 * tol, atol=10 * tol)


@pytest.mark.parametrize("name", [n for n in SMOOTH if RECORDS[n].torch_module])
def test_fused_kernels_equal_pytorch(name):
    """The fused MLP and the conv layout kernels (where they apply it) run the same g and g'."""
    record = RECORDS[name]
    if not record.kernel_ready:
        pytest.skip(f"{name} runs on the general path (its derivative needs the input)")
    alpha = _alpha(name).get("alpha")
    spec = {"input_shape": [4], "layers": [{"type": "dense", "units": 3, "activation": name,
                                            **_alpha(name)}]}
    from playground.engine.fused import FusedMLP
    net = Network.from_spec(spec, seed=5, dtype="float64")
    x = _x((7, 4), 6)
    fused = FusedMLP(net, 7).predict_all(x)[-3:].T
    w, b = (torch.tensor(net.parameters()[k]) for k in ("dense1.weight", "dense1.bias"))
    expect = _torch_module(name, alpha)(torch.tensor(x) @ w.T + b).numpy()
    np.testing.assert_allclose(fused, expect, rtol=1e-12, atol=1e-12)


def _export_spec(name):
    extra = _alpha(name)
    return {"input_shape": [2, 4, 4], "layers": [
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": 1, "activation": name,
         **extra},
        {"type": "flatten"},
        {"type": "dense", "units": 3, "activation": name, **extra},
        {"type": "activation", "function": name, **extra}]}


@pytest.mark.parametrize("name", NAMES)
def test_pytorch_export_computes_the_same(tmp_path, name):
    from playground.export import export_pytorch
    spec = _export_spec(name)
    net = _with_biases(Network.from_spec(spec, seed=3, dtype="float64"))
    x = _x((3, 2, 4, 4), 7)
    export_pytorch(spec, net.get_weights(), tmp_path / "m.py", tmp_path / "m.npz")
    module_spec = importlib.util.spec_from_file_location(f"m_{name}", tmp_path / "m.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    model = module.PlaygroundNet().double().load_weights().eval()
    with torch.no_grad():
        out = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(out, net.forward(x), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", NAMES)
def test_onnx_export_computes_the_same(tmp_path, name):
    ort = pytest.importorskip("onnxruntime")
    onnx_export = pytest.importorskip("playground.export.onnx_export")
    spec = _export_spec(name)
    net = _with_biases(Network.from_spec(spec, seed=3, dtype="float32"))
    x = _x((3, 2, 4, 4), 7).astype(np.float32)
    onnx_export.export_onnx(spec, net.get_weights(), tmp_path / "m.onnx")
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    out = session.run(["output"], {"input": x})[0]
    np.testing.assert_allclose(out, net.forward(x), rtol=1e-5, atol=2e-5)


@pytest.mark.parametrize("name", NAMES)
def test_words_and_formula(name):
    record = RECORDS[name]
    assert record.title and len(record.help) > 30 and "=" in record.formula
    for p in record.params:
        assert p.low <= p.default <= p.high and p.label and len(p.help) > 20


@pytest.mark.parametrize("name", [n for n in NAMES if RECORDS[n].params])
@pytest.mark.parametrize("layer", ["dense", "conv2d", "activation"])
@pytest.mark.parametrize("bad", [-0.5, 11.0, "abc", True, None])
def test_a_bad_parameter_is_a_spec_error_naming_the_field(name, layer, bad):
    p = RECORDS[name].params[0]
    if bad is None:  # unset: the activation's own default
        built = _layer_with(name, layer, None)
        assert built.alpha == p.default
        return
    if isinstance(bad, float) and p.low <= bad <= p.high:
        pytest.skip("inside this activation's range")
    with pytest.raises(SpecError) as err:
        _layer_with(name, layer, bad)
    assert err.value.field == p.name and p.name in str(err.value)


def _layer_with(name, layer, alpha):
    config = {"dense": {"type": "dense", "units": 2, "activation": name},
              "conv2d": {"type": "conv2d", "filters": 1, "kernel_size": 1, "activation": name},
              "activation": {"type": "activation", "function": name}}[layer]
    if alpha is not None:
        config["alpha"] = alpha
    shape = [3] if layer != "conv2d" else [1, 2, 2]
    return Network.from_spec({"input_shape": shape, "layers": [config]}).layers[0]


def test_the_kernel_table_is_generated_from_the_records():
    from playground.engine.activations import _kernels, generate
    assert _kernels.NAMES == activations.NAMES
    assert generate.TARGET.read_text(encoding="utf-8") == generate.source(list(RECORDS.values()))
