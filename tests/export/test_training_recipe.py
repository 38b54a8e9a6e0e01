"""The exported script's docstring says how to go on training in PyTorch. Run that recipe as
written and check it trains exactly as Playground does: same loss, optimizer, regularization."""
from __future__ import annotations

import importlib.util
import textwrap

import numpy as np
import pytest

from playground.engine import Network, TrainingSettings, make_loss, make_optimizer
from playground.engine.regularization import apply_penalty
from playground.export import export_pytorch

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install -e .[torch])")

N, STEPS = 12, 10  # the recipe runs 10 epochs; one full batch each makes 10 steps

CASES = {
    "mse-sgd": ("identity", {"loss": "mse", "optimizer": {"type": "sgd", "lr": 0.1}}),
    "mse-momentum-l2": ("identity", {"loss": "auto", "optimizer": {"type": "momentum", "lr": 0.05},
                                     "regularization": "l2", "reg_rate": 0.01}),
    "bce-rmsprop-l1": ("sigmoid", {"loss": "auto", "optimizer": {"type": "rmsprop", "lr": 0.01},
                                   "regularization": "l1", "reg_rate": 0.003}),
    "cce-adam-l2": ("softmax", {"loss": "cce", "regularization": "l2", "reg_rate": 0.02,
                                "optimizer": {"type": "adam", "lr": 0.02, "weight_decay": 0.01,
                                              "amsgrad": True}}),
}


def recipe_code(docstring: str) -> str:
    """The indented example in the docstring, from the model line to optimizer.step()."""
    start = docstring.index("    model = ", docstring.index("Continue training in PyTorch"))
    end = docstring.index("optimizer.step()", start) + len("optimizer.step()")
    return textwrap.dedent(docstring[start:end])


def engine_training(spec, weights, settings, x, t):
    net = Network.from_spec(spec, dtype="float64")
    net.set_weights(weights)
    loss = make_loss(settings.loss, net.output_activation)
    opt = make_optimizer(settings.optimizer, net.parameters())
    for _ in range(STEPS):
        loss.forward(net.forward(x, training=True), t)
        net.flat_grads[...] = 0
        net.backward(loss.backward())
        if settings.regularization != "none":
            apply_penalty(settings.regularization, settings.reg_rate, net.flat_params,
                          net.flat_grads, net.weight_mask)
        opt.step(net.gradients())
    return net.get_weights()


@pytest.mark.parametrize("case", list(CASES))
def test_the_docstring_recipe_trains_like_playground(tmp_path, case):
    output, settings = CASES[case]
    settings = TrainingSettings.from_dict({**settings, "batch_size": N})
    units = 3 if output == "softmax" else 2
    spec = {"input_shape": [3], "layers": [
        {"type": "dense", "units": 6, "activation": "tanh"},
        {"type": "dense", "units": units, "activation": output}]}
    rng = np.random.default_rng(7)
    start = Network.from_spec(spec, seed=2, dtype="float64").get_weights()
    x = rng.normal(size=(N, 3))
    t = {"identity": rng.normal(size=(N, units)), "sigmoid": rng.integers(0, 2, (N, units)) * 1.0,
         "softmax": rng.integers(0, units, N)}[output]
    export_pytorch(spec, start, tmp_path / "model.py", tmp_path / "w.npz", settings=settings)
    module_spec = importlib.util.spec_from_file_location(f"recipe_{case}", tmp_path / "model.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    target = torch.from_numpy(t) if output != "softmax" else torch.from_numpy(t).long()
    scope = {"torch": torch, "nn": torch.nn, "PlaygroundNet": module.PlaygroundNet,
             "dataset": torch.utils.data.TensorDataset(torch.from_numpy(x), target)}
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # so the recipe's model compares at float64
    try:
        exec(recipe_code(module.__doc__), scope)
    finally:
        torch.set_default_dtype(default)
    trained = {k: v.detach().numpy() for k, v in scope["model"].state_dict().items()}
    expected = engine_training(spec, start, settings, x, t)
    assert not np.allclose(expected["dense1.weight"], start["dense1.weight"])  # it did train
    for key, value in expected.items():
        np.testing.assert_allclose(trained[key], value, rtol=0, atol=1e-9, err_msg=key)
