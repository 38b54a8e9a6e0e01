"""The exported PyTorch script computes what the engine computes, runs on its own, and loads its
weights by name from a pickle-free .npz."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from playground.engine import SpecError
from playground.export import export_pytorch

from .networks import build, network_params

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install -e .[torch])")


def load_module(path):
    spec = importlib.util.spec_from_file_location(f"exported_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def export(tmp_path, name, dtype="float64", settings=None):
    spec, net, x = build(name, dtype)
    path_py, path_w = tmp_path / "model.py", tmp_path / "model_weights.npz"
    export_pytorch(spec, net.get_weights(), path_py, path_w, settings=settings)
    return net, x, load_module(path_py), path_py, path_w


@pytest.mark.parametrize("name", network_params())
def test_float64_outputs_match_the_engine(tmp_path, name):
    net, x, module, _, _ = export(tmp_path, name)
    model = module.PlaygroundNet().double().load_weights().eval()
    with torch.no_grad():
        out = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(out, net.forward(x), rtol=0, atol=1e-10)


@pytest.mark.parametrize("name", network_params())
def test_float32_outputs_match_the_engine(tmp_path, name):
    net, x, module, _, _ = export(tmp_path, name, dtype="float32")
    model = module.PlaygroundNet().load_weights().eval()
    with torch.no_grad():
        out = model(torch.from_numpy(x)).numpy()
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, net.forward(x), rtol=0, atol=1e-5)


def test_script_runs_by_itself(tmp_path):
    _, _, _, path_py, _ = export(tmp_path, "mlp")
    other = tmp_path / "elsewhere"
    other.mkdir()  # from another folder: the script finds its weights beside itself
    result = subprocess.run([sys.executable, str(path_py)], cwd=other, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "input (4, 3) -> output (4, 4)" in result.stdout


def test_weights_file_is_plain_npz_named_like_the_engine(tmp_path):
    net, _, module, _, path_w = export(tmp_path, "mlp")
    with np.load(path_w, allow_pickle=False) as data:
        assert sorted(data.files) == sorted(net.parameters())
        for key in data.files:
            np.testing.assert_array_equal(data[key], net.parameters()[key])
    # ids that are not Python names ("my layer", "class") are renamed, and mapped back on loading
    state = module.PlaygroundNet().load_weights().state_dict()
    assert "my_layer.weight" in state and "layer_class.weight" in state
    assert "layer_class.bias" not in state  # that layer has no bias
    np.testing.assert_array_equal(state["my_layer.weight"].numpy(),
                                  net.parameters()["my layer.weight"].astype(np.float32))


def test_dropout_is_active_in_train_mode_only(tmp_path):
    _, x, module, _, _ = export(tmp_path, "mlp")
    model = module.PlaygroundNet().double().load_weights()
    inputs = torch.from_numpy(x)
    model.eval()
    assert torch.equal(model(inputs), model(inputs))
    model.train()
    torch.manual_seed(0)
    first = model(inputs)
    assert not torch.equal(first, model(inputs))  # a fresh mask each call
    assert model.dropout1.p == 0.3


def test_weights_that_do_not_fit_are_refused(tmp_path):
    spec, net, _ = build("mlp")
    weights = net.get_weights()
    weights["dense1.weight"] = weights["dense1.weight"][:, :2]
    with pytest.raises(SpecError, match="dense1.weight"):
        export_pytorch(spec, weights, tmp_path / "m.py", tmp_path / "m.npz")
    assert not (tmp_path / "m.py").exists()
