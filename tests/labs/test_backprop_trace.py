"""backprop_trace's z, y, delta and gradients are the engine's, and equal PyTorch's autograd."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network, make_loss
from playground.labs import backprop_trace

DENSE = {"input_shape": [3], "layers": [
    {"type": "dense", "units": 5, "activation": "tanh"},
    {"type": "dense", "units": 4, "activation": "leaky_relu", "alpha": 0.2},
    {"type": "dense", "units": 3, "activation": "softmax"}]}
CONV = {"input_shape": [1, 6, 6], "layers": [
    {"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": 1, "activation": "relu"},
    {"type": "maxpool2d", "size": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def engine_gradients(net, x, target, loss):
    y = net.forward(x[None])
    fn = make_loss(loss, net.output_activation)
    fn.forward(y, np.asarray(target).reshape((1,) + np.shape(target)))
    net.backward(fn.backward())
    return {k: g.copy() for k, g in net.gradients().items()}


@pytest.mark.parametrize("spec, target", [(DENSE, 2), (CONV, np.array([1.0]))])
def test_gradients_equal_network_backward_for_that_example(spec, target):
    net = Network.from_spec(spec, seed=4, dtype="float64")
    x = np.random.default_rng(0).normal(size=tuple(spec["input_shape"]))
    trace = backprop_trace(net, x, target, "auto")
    expected = engine_gradients(net, x, target, "auto")
    assert set(trace.gradients) == set(expected)
    for key, g in expected.items():
        np.testing.assert_allclose(trace.gradients[key], g, atol=1e-6, rtol=0)
        assert np.abs(g).max() > 1e-6                    # every parameter really gets a gradient


def test_the_network_is_left_as_it_was():
    net = Network.from_spec(DENSE, seed=4, dtype="float64")
    params, grads = net.flat_params.copy(), net.flat_grads.copy()
    backprop_trace(net, np.ones(3), 1)
    np.testing.assert_array_equal(net.flat_params, params)
    np.testing.assert_array_equal(net.flat_grads, grads)


def _torch_dense(torch, net, x):
    F = torch.nn.functional
    h = torch.tensor(x)[None]
    zs = []
    for layer, act in zip(net.layers, (torch.tanh, lambda z: F.leaky_relu(z, 0.2),
                                       lambda z: torch.softmax(z, 1))):
        w = torch.tensor(layer.params["weight"], requires_grad=True)
        b = torch.tensor(layer.params["bias"], requires_grad=True)
        z = h @ w.T + b
        z.retain_grad()
        zs.append((layer.id, z, w, b))
        h = act(z)
    return h, zs


def test_dense_trace_equals_torch_autograd():
    torch = pytest.importorskip("torch")
    net = Network.from_spec(DENSE, seed=7, dtype="float64")
    x = np.array([0.3, -1.2, 0.8])
    trace = backprop_trace(net, x, 2, "cce")
    y, zs = _torch_dense(torch, net, x)
    loss = -torch.log(y[0, 2])
    loss.backward()
    assert trace.loss == pytest.approx(loss.item(), rel=1e-12)
    for rec, (lid, z, w, b) in zip(trace.layers, zs):
        assert rec.id == lid
        np.testing.assert_allclose(rec.z, z.detach().numpy()[0], atol=1e-12)
        np.testing.assert_allclose(rec.delta, z.grad.numpy()[0], atol=1e-9)
        np.testing.assert_allclose(trace.gradients[f"{lid}.weight"], w.grad.numpy(), atol=1e-9)
        np.testing.assert_allclose(trace.gradients[f"{lid}.bias"], b.grad.numpy(), atol=1e-9)
    # the chain rule as the notes print it: delta(m) = (W(m+1)^T delta(m+1)) * g'(z(m)), with tanh'
    w2 = net.layers[1].params["weight"]
    np.testing.assert_allclose(trace.layers[0].delta,
                               (w2.T @ trace.layers[1].delta) * (1 - np.tanh(trace.layers[0].z) ** 2))
    np.testing.assert_allclose(trace.gradients["dense1.weight"],
                               np.outer(trace.layers[0].delta, trace.layers[0].x))


def test_conv_trace_equals_torch_autograd():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    net = Network.from_spec(CONV, seed=3, dtype="float64")
    x = np.random.default_rng(2).normal(size=(1, 6, 6))
    trace = backprop_trace(net, x, np.array([1.0]), "bce")
    conv, _, _, dense = net.layers
    cw = torch.tensor(conv.params["weight"], requires_grad=True)
    cb = torch.tensor(conv.params["bias"], requires_grad=True)
    dw = torch.tensor(dense.params["weight"], requires_grad=True)
    db = torch.tensor(dense.params["bias"], requires_grad=True)
    z1 = F.conv2d(torch.tensor(x)[None], cw, cb, padding=1)
    z1.retain_grad()
    h = F.max_pool2d(torch.relu(z1), 2).flatten(1)
    z2 = h @ dw.T + db
    z2.retain_grad()
    loss = F.binary_cross_entropy(torch.sigmoid(z2), torch.ones(1, 1, dtype=torch.float64))
    loss.backward()
    assert trace.loss == pytest.approx(loss.item(), rel=1e-12)
    assert (trace.layers[0].z < 0).any()                 # ReLU cuts something: z is not y
    np.testing.assert_allclose(trace.layers[0].z, z1.detach().numpy()[0], atol=1e-12)
    np.testing.assert_allclose(trace.layers[0].delta, z1.grad.numpy()[0], atol=1e-9)
    np.testing.assert_allclose(trace.layers[3].delta, z2.grad.numpy()[0], atol=1e-9)
    for key, t in (("conv1.weight", cw), ("conv1.bias", cb), ("dense1.weight", dw),
                   ("dense1.bias", db)):
        np.testing.assert_allclose(trace.gradients[key], t.grad.numpy(), atol=1e-9)


def test_one_example_only():
    net = Network.from_spec(DENSE, seed=4, dtype="float64")
    with pytest.raises(ValueError, match="one example"):
        backprop_trace(net, np.ones((2, 3)), 1)
