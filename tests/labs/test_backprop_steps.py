"""The stepper's steps carry the engine's numbers: the gradients shown equal Network.backward for
that one example (float64, 1e-6) and PyTorch's autograd, for a dense and a conv network; the
sequence is example, forward per layer, loss, backward per layer (last first), gradients, updates."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network, make_loss
from playground.labs import backprop_trace
from playground.labs.backprop_steps import build_steps, float64_copy

DENSE = {"input_shape": [2], "layers": [
    {"type": "dense", "units": 4, "activation": "tanh"},
    {"type": "dense", "units": 3, "activation": "relu"},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}
CONV = {"input_shape": [1, 6, 6], "layers": [
    {"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": 1, "activation": "relu"},
    {"type": "maxpool2d", "size": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 4, "activation": "tanh"},
    {"type": "dense", "units": 3, "activation": "softmax"}]}


def walk(spec, x, target, lr=0.1, optimizer="sgd", seed=3):
    """As the window does: the training network (float32) copied into float64, then traced."""
    trained = Network.from_spec(spec, seed=seed)
    net = float64_copy(trained.spec, trained.flat_params.astype(np.float64))
    trace = backprop_trace(net, x, target, "auto")
    return net, trace, build_steps(trace, net, lr, optimizer)


def engine_gradients(net, x, target):
    fn = make_loss("auto", net.output_activation)
    fn.forward(net.forward(np.asarray(x)[None]), np.asarray(target).reshape((1,) + np.shape(target)))
    net.backward(fn.backward())
    return {k: g.copy() for k, g in net.gradients().items()}


CASES = [(DENSE, np.array([0.7, -1.1]), np.array(1)),
         (CONV, np.random.default_rng(5).normal(size=(1, 6, 6)), np.array(2))]


@pytest.mark.parametrize("spec, x, target", CASES)
def test_gradient_and_update_steps_show_network_backward(spec, x, target):
    net, trace, steps = walk(spec, x, target, lr=0.1)
    expected = engine_gradients(net, x, target)
    grads = {s.layer_id: s for s in steps if s.kind == "gradient"}
    updates = {s.layer_id: s for s in steps if s.kind == "update"}
    weighted = sorted({k.split(".")[0] for k in expected})
    assert sorted(grads) == weighted == sorted(updates)
    for lid in weighted:
        g, u = grads[lid], updates[lid]
        np.testing.assert_allclose(g.arrays[g.roles["grad_w"]], expected[f"{lid}.weight"],
                                   atol=1e-6, rtol=0)
        np.testing.assert_allclose(g.arrays[g.roles["grad_b"]], expected[f"{lid}.bias"],
                                   atol=1e-6, rtol=0)
        np.testing.assert_allclose(u.arrays[u.roles["dw"]], -0.1 * expected[f"{lid}.weight"],
                                   atol=1e-7, rtol=0)
        assert np.abs(expected[f"{lid}.weight"]).max() > 1e-6


def test_the_chain_rule_step_holds_with_its_own_numbers():
    """δ⁽ᵐ⁾ = (W⁽ᵐ⁺¹⁾ᵀ δ⁽ᵐ⁺¹⁾) ⊙ g′(z⁽ᵐ⁾), every factor as the step shows it."""
    _, trace, steps = walk(DENSE, np.array([0.4, 0.9]), np.array(0))
    hidden = [s for s in steps if s.kind == "backward" and "next_weight" in s.roles]
    assert [s.layer_id for s in hidden] == ["dense2", "dense1"]
    for s in hidden:
        a, r = s.arrays, s.roles
        np.testing.assert_allclose(a[r["upstream"]], a[r["next_weight"]].T @ a[r["next_delta"]],
                                   atol=1e-12)
        np.testing.assert_allclose(a[r["delta"]], a[r["upstream"]] * a[r["gprime"]], atol=1e-12)
    z = trace.layers[0].z
    np.testing.assert_allclose(hidden[1].arrays[hidden[1].roles["gprime"]], 1 - np.tanh(z) ** 2,
                               atol=1e-12)
    assert "(W⁽³⁾ᵀ δ⁽³⁾) ⊙ g′(z⁽²⁾)" in hidden[0].formula


def test_the_walk_goes_forward_then_back():
    _, _, steps = walk(CONV, np.zeros((1, 6, 6)), np.array(0))
    order = [(s.kind, s.layer_id) for s in steps]
    layers = ["conv1", "pool1", "flatten1", "dense1", "dense2"]
    weighted = ["conv1", "dense1", "dense2"]
    assert order == ([("example", None)] + [("forward", i) for i in layers] + [("loss", None)]
                     + [("backward", i) for i in reversed(layers)]
                     + [("gradient", i) for i in weighted] + [("update", i) for i in weighted])


def test_other_optimizers_are_named_and_the_sgd_formula_shown():
    _, _, steps = walk(DENSE, np.array([0.1, 0.2]), np.array(1), lr=0.003, optimizer="adam")
    update = next(s for s in steps if s.kind == "update")
    assert "Adam" in update.note and "transforms the gradient" in update.note
    assert "ΔW⁽¹⁾ = −η ∂L/∂W⁽¹⁾" in update.formula and "η = 0.003" in update.formula


def test_dense_steps_equal_torch_autograd():
    torch = pytest.importorskip("torch")
    net, trace, steps = walk(DENSE, np.array([0.7, -1.1]), np.array(1), lr=0.5)
    h = torch.tensor([[0.7, -1.1]], dtype=torch.float64)
    ws = []
    for layer, act in zip(net.layers, (torch.tanh, torch.relu, torch.sigmoid)):
        w = torch.tensor(layer.params["weight"], requires_grad=True)
        b = torch.tensor(layer.params["bias"], requires_grad=True)
        ws.append((layer.id, w, b))
        h = act(h @ w.T + b)
    torch.nn.functional.binary_cross_entropy(h, torch.ones_like(h)).backward()
    for lid, w, b in ws:
        g = next(s for s in steps if s.kind == "gradient" and s.layer_id == lid)
        np.testing.assert_allclose(g.arrays[g.roles["grad_w"]], w.grad.numpy(), atol=1e-9)
        u = next(s for s in steps if s.kind == "update" and s.layer_id == lid)
        np.testing.assert_allclose(u.arrays[u.roles["new_w"]],
                                   (w - 0.5 * w.grad).detach().numpy(), atol=1e-9)


def test_conv_steps_equal_torch_autograd():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = np.random.default_rng(5).normal(size=(1, 6, 6))
    net, trace, steps = walk(CONV, x, np.array(2))
    conv, _, _, d1, d2 = net.layers
    t = {k: torch.tensor(v, requires_grad=True) for k, v in net.parameters().items()}
    z1 = F.conv2d(torch.tensor(x)[None], t["conv1.weight"], t["conv1.bias"], padding=1)
    z1.retain_grad()
    h = F.max_pool2d(torch.relu(z1), 2).flatten(1)
    h = torch.tanh(h @ t["dense1.weight"].T + t["dense1.bias"])
    logits = h @ t["dense2.weight"].T + t["dense2.bias"]
    F.cross_entropy(logits, torch.tensor([2])).backward()
    delta = next(s for s in steps if s.kind == "backward" and s.layer_id == "conv1")
    np.testing.assert_allclose(delta.arrays[delta.roles["delta"]], z1.grad.numpy()[0], atol=1e-9)
    for key, tensor in t.items():
        lid, name = key.split(".")
        g = next(s for s in steps if s.kind == "gradient" and s.layer_id == lid)
        shown = g.arrays[g.roles["grad_w" if name == "weight" else "grad_b"]]
        np.testing.assert_allclose(shown, tensor.grad.numpy(), atol=1e-9)
