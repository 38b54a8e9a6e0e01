"""Every registered layer type, found by itself: gradients, PyTorch and ONNX exports that compute
the same, a palette entry with icon and help, and its id prefix.

The parameter list is the engine's REGISTRY, so a new layer type is tested the moment it is
registered; one without an example, a glyph, help text, an export or a right gradient fails here.
"""
import importlib.util

import numpy as np
import pytest

from playground.engine import Network
from playground.engine.layers import REGISTRY
from playground.engine.layers.fields import GROUPS

from .gradcheck import check_network

TYPES = sorted(REGISTRY)


def _example(type_name, dtype="float64"):
    cls = REGISTRY[type_name]
    assert cls.example is not None, f"{type_name} needs an example network (Layer.example)"
    input_shape, layers = cls.example
    spec = {"input_shape": input_shape, "layers": layers}
    net = Network.from_spec(spec, seed=4, dtype=dtype)
    rng = np.random.default_rng(8)
    for key, value in net.get_weights().items():  # non-trivial biases and statistics
        if key.endswith((".bias", ".running_mean")):
            net.buffers().get(key, net.parameters().get(key))[...] = rng.normal(0, 0.3, value.shape)
        elif key.endswith(".running_var"):
            net.buffers()[key][...] = rng.uniform(0.5, 2.0, value.shape)
    x = rng.normal(0, 1, (3, *input_shape)).astype(dtype)
    assert net.layers[-1].type_name == type_name
    return spec, net, x


@pytest.mark.parametrize("type_name", TYPES)
def test_gradient_check(type_name):
    _, net, x = _example(type_name)
    check_network(net, x)


@pytest.mark.parametrize("type_name", TYPES)
def test_pytorch_export_computes_the_same(tmp_path, type_name):
    torch = pytest.importorskip("torch")
    from playground.export import export_pytorch
    spec, net, x = _example(type_name)
    export_pytorch(spec, net.get_weights(), tmp_path / "m.py", tmp_path / "m.npz")
    module_spec = importlib.util.spec_from_file_location(f"layer_{type_name}", tmp_path / "m.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    model = module.PlaygroundNet().double().load_weights().eval()
    with torch.no_grad():
        out = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(out, net.forward(x), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("type_name", TYPES)
def test_onnx_export_computes_the_same(tmp_path, type_name):
    ort = pytest.importorskip("onnxruntime")
    onnx_export = pytest.importorskip("playground.export.onnx_export")
    spec, net, x = _example(type_name, "float32")
    onnx_export.export_onnx(spec, net.get_weights(), tmp_path / "m.onnx")
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    out = session.run(["output"], {"input": x})[0]
    np.testing.assert_allclose(out, net.forward(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("type_name", TYPES)
def test_presentation_title_group_help_glyph_and_prefix(type_name):
    cls = REGISTRY[type_name]
    assert cls.title and cls.group in GROUPS and cls.family
    what, formula = cls.help
    assert len(what) > 30 and formula
    assert cls.glyph, f"{type_name} has no palette glyph"
    from playground.engine.network import ID_PREFIX
    assert ID_PREFIX[type_name]
    names = [f.name for f in cls.fields]
    assert set(names) <= set(cls.defaults) | {"trainable"}, "a field the layer does not take"


@pytest.mark.parametrize("type_name", TYPES)
def test_palette_entry_with_icon_and_tooltip(qtbot, type_name):
    pytest.importorskip("PySide6")
    from playground.ui.canvas.palette import LayersPalette
    palette = LayersPalette()
    qtbot.addWidget(palette)
    item = palette.item_for(type_name)
    assert item.text(0) == REGISTRY[type_name].title
    assert REGISTRY[type_name].help[0] in item.toolTip(0)
    image = item.icon(0).pixmap(28, 28).toImage()
    colours = {image.pixel(x, y) for x in range(0, 28, 2) for y in range(0, 28, 2)}
    assert len(colours) > 3, "the icon has no glyph drawn on it"
