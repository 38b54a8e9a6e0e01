"""Ring 1: dense, shape and activation layers against numeric gradients and the notes' formulas."""
import numpy as np
import pytest

from playground.engine import Network, SpecError, activations

from .gradcheck import check_network

ACTS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]


def dense_net(act, units=4, n_in=3, **extra):
    spec = {"input_shape": [n_in], "layers": [
        {"type": "dense", "units": 5, "activation": "tanh"},
        {"type": "dense", "units": units, "activation": act, **extra}]}
    return Network.from_spec(spec, seed=3, dtype="float64")


@pytest.mark.parametrize("act", ACTS)
def test_dense_gradients_for_every_activation(act):
    x = np.random.default_rng(0).standard_normal((6, 3))
    check_network(dense_net(act), x)


def test_dense_without_bias_and_activation_layer_and_dropout_at_test_time():
    spec = {"input_shape": [4], "layers": [
        {"type": "dense", "units": 3, "bias": False},
        {"type": "activation", "function": "leaky_relu", "alpha": 0.2},
        {"type": "dropout", "rate": 0.3},
        {"type": "reshape", "shape": [3, 1, 1]},
        {"type": "flatten"},
        {"type": "dense", "units": 2, "activation": "sigmoid"}]}
    net = Network.from_spec(spec, dtype="float64")
    assert "dense1.bias" not in net.parameters()
    check_network(net, np.random.default_rng(1).standard_normal((5, 4)))


def test_dropout_zeroes_and_rescales_only_while_training():
    net = Network.from_spec({"input_shape": [1000], "layers": [{"type": "dropout", "rate": 0.25}]},
                            seed=0, dtype="float64")
    x = np.ones((4, 1000))
    y = net.forward(x, training=True)
    kept = y != 0
    assert 0.70 < kept.mean() < 0.80
    np.testing.assert_allclose(y[kept], 1 / 0.75)
    dx = net.backward(np.ones_like(x))
    np.testing.assert_array_equal(dx, y)
    np.testing.assert_array_equal(net.forward(x, training=False), x)


def test_activation_values_follow_the_notes():
    x = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    np.testing.assert_allclose(activations.forward("sigmoid", x), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(activations.forward("tanh", x),
                               (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)))
    np.testing.assert_allclose(activations.forward("relu", x), np.maximum(0, x))
    np.testing.assert_allclose(activations.forward("leaky_relu", x), np.maximum(0.1 * x, x))
    np.testing.assert_array_equal(activations.forward("step", x), [[0, 0, 1, 1, 1]])
    s = activations.forward("softmax", x)
    np.testing.assert_allclose(s, np.exp(x) / np.exp(x).sum())
    # tanh is a rescaled sigmoid: tanh(x) = 2 sigma(2x) - 1
    np.testing.assert_allclose(activations.forward("tanh", x),
                               2 * activations.forward("sigmoid", 2 * x) - 1)


def test_sigmoid_is_stable_for_huge_inputs():
    x = np.array([[-1000.0, 1000.0]], dtype=np.float32)
    with np.errstate(all="raise"):
        y = activations.forward("sigmoid", x)
    np.testing.assert_array_equal(y, [[0.0, 1.0]])


def test_init_scales_follow_xavier_and_he():
    spec = {"input_shape": [400], "layers": [
        {"type": "dense", "units": 300, "activation": "tanh"},
        {"type": "dense", "units": 300, "activation": "relu"},
        {"type": "dense", "units": 10, "init": "zeros"}]}
    net = Network.from_spec(spec, seed=0)
    p = net.parameters()
    assert abs(p["dense1.weight"].std() - np.sqrt(1 / 400)) < 0.002   # Xavier: sqrt(1/n_in)
    assert abs(p["dense2.weight"].std() - np.sqrt(2 / 300)) < 0.003   # He: sqrt(2/n_in)
    assert not p["dense3.weight"].any() and not p["dense1.bias"].any()


def test_same_seed_same_weights_and_other_seed_other_weights():
    a1, a2 = dense_net("tanh"), dense_net("tanh")
    np.testing.assert_array_equal(a1.flat_params, a2.flat_params)
    other = Network.from_spec(a1.spec, seed=4, dtype="float64")
    assert not np.array_equal(a1.flat_params, other.flat_params)


@pytest.mark.parametrize("spec, words", [
    ({"input_shape": [1, 28, 28], "layers": [{"type": "dense", "units": 3}]}, "flatten"),
    ({"input_shape": [2], "layers": [{"type": "dense", "units": 0}]}, "'units' must be at least 1"),
    ({"input_shape": [2], "layers": [{"type": "dense", "units": 3, "activation": "swish"}]},
     "unknown activation"),
    ({"input_shape": [2], "layers": [{"type": "dense"}]}, "needs a value for 'units'"),
    ({"input_shape": [2], "layers": [{"type": "dense", "units": 2, "colour": 1}]}, "unknown field"),
    ({"input_shape": [2], "layers": [{"type": "lstm"}]}, "unknown type"),
    ({"input_shape": [4], "layers": [{"type": "reshape", "shape": [3, 2]}]}, "cannot reshape"),
    ({"input_shape": "2", "layers": []}, "input_shape"),
    ({"input_shape": [2], "layers": [{"type": "dense", "units": 2, "id": "a"},
                                      {"type": "dense", "units": 2, "id": "a"}]}, "unique"),
])
def test_bad_specs_raise_spec_errors_in_plain_words(spec, words):
    with pytest.raises(SpecError) as info:
        Network.from_spec(spec)
    assert words in str(info.value)


def test_spec_error_names_the_layer_and_field():
    with pytest.raises(SpecError) as info:
        Network.from_spec({"input_shape": [2], "layers": [
            {"type": "dense", "units": 4}, {"type": "dense", "units": -1, "id": "out"}]})
    assert info.value.layer_id == "out" and info.value.field == "units"
    assert str(info.value).startswith("dense 'out':")


def test_default_ids_and_summary():
    net = Network.from_spec({"input_shape": [2], "layers": [
        {"type": "dense", "units": 8}, {"type": "dense", "units": 1}]})
    assert net.summary() == [("dense1", "dense", (8,), 24), ("dense2", "dense", (1,), 9)]
    assert set(net.parameters()) == {"dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias"}
    assert net.parameters()["dense1.weight"].shape == (8, 2)  # PyTorch's (out, in)
