"""Ring 1: losses - values by the notes' formulas, PyTorch's mean reductions, numeric gradients."""
import numpy as np
import pytest

from playground.engine import Network, make_loss
from playground.engine.losses import auto_loss

from .gradcheck import numeric_grad

rng = np.random.default_rng(0)


def probs(shape):
    return rng.uniform(0.05, 0.95, shape)


def test_mse_is_the_mean_over_every_element():
    y, t = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    assert make_loss("mse").forward(y, t) == pytest.approx(np.mean((y - t) ** 2))


def test_bce_matches_the_notes():
    y, t = probs((5, 2)), rng.integers(0, 2, (5, 2)).astype(float)
    expected = -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y))
    assert make_loss("bce").forward(y, t) == pytest.approx(expected)


def test_cce_sums_over_classes_and_averages_over_the_batch():
    z = rng.standard_normal((6, 4))
    y = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    labels = rng.integers(0, 4, 6)
    expected = -np.mean(np.log(y[np.arange(6), labels]))
    assert make_loss("cce").forward(y, labels) == pytest.approx(expected)
    onehot = np.eye(4)[labels]
    assert make_loss("cce").forward(y, onehot) == pytest.approx(expected)


@pytest.mark.parametrize("name, make_y, make_t", [
    ("mse", lambda: rng.standard_normal((4, 3)), lambda: rng.standard_normal((4, 3))),
    ("bce", lambda: probs((4, 3)), lambda: rng.integers(0, 2, (4, 3)).astype(float)),
    ("cce", lambda: probs((4, 3)), lambda: np.eye(3)[rng.integers(0, 3, 4)]),
])
def test_loss_gradients_are_numeric_gradients(name, make_y, make_t):
    y, t = make_y(), make_t()
    loss = make_loss(name)
    loss.forward(y, t)
    analytic = loss.backward()
    numeric = numeric_grad(lambda: make_loss(name).forward(y, t), y)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_softmax_with_cce_backpropagates_y_minus_t_over_n():
    net = Network.from_spec({"input_shape": [3], "layers": [
        {"type": "dense", "units": 4, "activation": "softmax"}]}, dtype="float64")
    x, labels = rng.standard_normal((5, 3)), rng.integers(0, 4, 5)
    y = net.forward(x)
    loss = make_loss("auto", net.output_activation)
    loss.forward(y, labels)
    net.backward(loss.backward())
    dz = (y - np.eye(4)[labels]) / 5
    np.testing.assert_allclose(net.gradients()["dense1.bias"], dz.sum(0), atol=1e-12)


def test_bce_saturates_like_pytorch_instead_of_returning_inf():
    y = np.array([[0.0], [1.0]])
    t = np.array([[1.0], [0.0]])
    assert make_loss("bce").forward(y, t) == pytest.approx(100.0)


def test_auto_follows_the_notes_table():
    assert auto_loss("sigmoid") == "bce"     # binary and multi-label
    assert auto_loss("softmax") == "cce"     # multi-class
    assert auto_loss("identity") == "mse"    # regression
    assert auto_loss("tanh") == "mse"
