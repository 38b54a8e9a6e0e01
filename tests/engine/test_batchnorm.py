"""Batch normalization against torch.nn.BatchNorm1d/2d in training and eval modes, its running
statistics as buffers (saved, restored, exported), and frozen layers ("trainable": false)."""
import numpy as np
import pytest

from playground.engine import (Network, SpecError, TrainData, Trainer, TrainingSettings,
                               optimizer_config)

from .gradcheck import check_network, numeric_grad

torch = pytest.importorskip("torch")

DENSE_BN = {"input_shape": [4], "layers": [
    {"type": "dense", "units": 5},
    {"type": "batchnorm", "momentum": 0.2, "eps": 1e-4},
    {"type": "dense", "units": 2, "activation": "tanh"}]}
CONV_BN = {"input_shape": [2, 5, 5], "layers": [
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1},
    {"type": "batchnorm"},
    {"type": "conv2d", "filters": 2, "kernel_size": 2, "activation": "relu"}]}


def _gamma_beta(net, rng):
    bn = net.layer("bn1")
    bn.params["weight"][...] = rng.uniform(0.5, 1.5, bn.params["weight"].shape)
    bn.params["bias"][...] = rng.normal(0, 0.3, bn.params["bias"].shape)
    return bn


@pytest.mark.parametrize("spec, shape, torch_cls", [(DENSE_BN, (6, 4), "BatchNorm1d"),
                                                    (CONV_BN, (3, 2, 5, 5), "BatchNorm2d")])
def test_training_and_eval_equal_torch_batchnorm(spec, shape, torch_cls):
    rng = np.random.default_rng(0)
    net = Network.from_spec(spec, seed=1, dtype="float64")
    bn = _gamma_beta(net, rng)
    cfg = spec["layers"][1]
    tb = getattr(torch.nn, torch_cls)(bn.in_shape[0], eps=cfg.get("eps", 1e-5),
                                      momentum=cfg.get("momentum", 0.1)).double()
    with torch.no_grad():
        tb.weight.copy_(torch.from_numpy(bn.params["weight"]))
        tb.bias.copy_(torch.from_numpy(bn.params["bias"]))
    tb.train()
    for step in range(3):  # three training batches: outputs, gradients and running statistics
        x = rng.normal(1.0, 2.0, (shape[0], *bn.in_shape))
        dy = rng.normal(0, 1, x.shape)
        tx = torch.tensor(x, requires_grad=True)
        ty = tb(tx)
        ty.backward(torch.from_numpy(dy))
        y = bn.forward(x, training=True)
        np.testing.assert_allclose(y, ty.detach().numpy(), rtol=1e-10, atol=1e-10)
        dx = bn.backward(dy)
        np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(bn.grads["weight"], tb.weight.grad.numpy(), rtol=1e-9)
        np.testing.assert_allclose(bn.grads["bias"], tb.bias.grad.numpy(), rtol=1e-9)
        tb.weight.grad = tb.bias.grad = None
        np.testing.assert_allclose(bn.buffers["running_mean"], tb.running_mean.numpy(), rtol=1e-12)
        np.testing.assert_allclose(bn.buffers["running_var"], tb.running_var.numpy(), rtol=1e-12)
    tb.eval()
    x = rng.normal(1.0, 2.0, (2, *bn.in_shape))
    with torch.no_grad():
        expect = tb(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(bn.forward(x, training=False), expect, rtol=1e-10, atol=1e-10)
    # eval mode: a sample's output does not depend on its batch
    np.testing.assert_allclose(bn.forward(x[:1], training=False), expect[:1], rtol=1e-10)


@pytest.mark.parametrize("spec, shape", [(DENSE_BN, (6, 4)), (CONV_BN, (3, 2, 5, 5))])
def test_gradients_in_eval_and_training_modes(spec, shape):
    rng = np.random.default_rng(2)
    net = Network.from_spec(spec, seed=2, dtype="float64")
    bn = _gamma_beta(net, rng)
    bn.buffers["running_mean"][...] = rng.normal(0, 0.5, bn.buffers["running_mean"].shape)
    bn.buffers["running_var"][...] = rng.uniform(0.5, 2, bn.buffers["running_var"].shape)
    x = rng.normal(0, 1, shape)
    check_network(net, x)  # eval mode: fixed statistics
    r = rng.normal(0, 1, net.forward(x).shape)

    def loss():
        return float(np.sum(net.forward(x, training=True) * r))

    net.forward(x, training=True)
    dx = net.backward(r.copy())
    grads = {k: v.copy() for k, v in net.gradients().items()}
    np.testing.assert_allclose(dx, numeric_grad(loss, x), atol=1e-6, rtol=1e-5)
    for name, p in net.parameters().items():
        np.testing.assert_allclose(grads[name], numeric_grad(loss, p), atol=1e-6, rtol=1e-5,
                                   err_msg=name)


def test_running_statistics_are_buffers_saved_and_restored():
    net = Network.from_spec(DENSE_BN, seed=0)
    shapes = net.state_shapes()
    assert shapes["bn1.running_mean"] == (5,) and shapes["bn1.running_var"] == (5,)
    assert "bn1.running_mean" not in net.parameters()  # never trained by an optimizer
    x = np.random.default_rng(0).normal(3, 2, (32, 4)).astype(np.float32)
    y = (x[:, 0] > 3).astype(np.int64)
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer_config("adam", lr=0.01),
                                            batch_size=8), TrainData(x, y, x, y))
    trainer.run(8)
    saved = net.get_weights()
    assert abs(saved["bn1.running_mean"]).max() > 0.1  # it has learned the statistics
    other = Network.from_spec(DENSE_BN, seed=5)
    other.set_weights(saved)
    np.testing.assert_array_equal(other.predict(x), net.predict(x))
    with pytest.raises(SpecError, match="missing bn1.running_var"):
        other.set_weights({k: v for k, v in saved.items() if k != "bn1.running_var"})


def test_bad_batchnorm_fields_are_spec_errors():
    for layer, field in (({"type": "batchnorm", "momentum": 2}, "momentum"),
                         ({"type": "batchnorm", "eps": "small"}, "eps"),
                         ({"type": "batchnorm", "trainable": "no"}, "trainable")):
        with pytest.raises(SpecError) as err:
            Network.from_spec({"input_shape": [3], "layers": [layer]})
        assert err.value.field == field


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("opt", ["sgd", "adam"])
def test_a_frozen_layer_keeps_its_weights_and_the_rest_trains(fast, opt):
    spec = {"input_shape": [2], "layers": [
        {"type": "dense", "units": 6, "activation": "tanh", "trainable": False},
        {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    net = Network.from_spec(spec, seed=0)
    x = np.random.default_rng(1).uniform(-1, 1, (40, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    settings = TrainingSettings(optimizer=optimizer_config(opt, lr=0.1, **(
        {"weight_decay": 0.1} if opt == "adam" else {})), regularization="l2", reg_rate=0.01)
    trainer = Trainer(net, settings, TrainData(x, y), fast_path=fast)
    assert trainer.fast_path == fast
    before = net.get_weights()
    trainer.run(20)
    after = net.get_weights()
    for key in ("dense1.weight", "dense1.bias"):
        np.testing.assert_array_equal(after[key], before[key])
    assert not np.array_equal(after["dense2.weight"], before["dense2.weight"])
