"""Ring 1: conv2d and conv_transpose2d against numeric gradients, PyTorch and the notes."""
import numpy as np
import pytest

from playground.engine import Network, SpecError

from .gradcheck import check_network


def image_net(input_shape, *layers, dtype="float64", seed=3):
    return Network.from_spec({"input_shape": list(input_shape), "layers": list(layers)},
                             seed=seed, dtype=dtype)


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# -- numeric gradient checks (float64, central differences) --------------------------------------

GRAD_CASES = {
    "stride 2, padding 1, 3x2 kernel on 7x5": (
        [2, 7, 5], {"type": "conv2d", "filters": 3, "kernel_size": [3, 2], "stride": 2,
                    "padding": 1, "activation": "tanh"}),
    "same padding, relu": (
        [2, 7, 5], {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": "same",
                    "activation": "relu"}),
    "pairs, no bias, leaky relu": (
        [3, 6, 7], {"type": "conv2d", "filters": 2, "kernel_size": [2, 3], "stride": [1, 2],
                    "padding": [2, 0], "bias": False, "activation": "leaky_relu"}),
    "softmax over channels": (
        [2, 5, 5], {"type": "conv2d", "filters": 3, "kernel_size": 3, "activation": "softmax"}),
    "transposed, stride 2, padding 1, output_padding 1": (
        [3, 4, 3], {"type": "conv_transpose2d", "filters": 2, "kernel_size": 3, "stride": 2,
                    "padding": 1, "output_padding": 1, "activation": "sigmoid"}),
    # stride 3 > kernel 2 leaves gaps where the output is the bias alone: no kink at 0 (tanh)
    "transposed, pairs with gaps, tanh": (
        [2, 3, 4], {"type": "conv_transpose2d", "filters": 3, "kernel_size": [3, 2],
                    "stride": [2, 3], "padding": [1, 0], "output_padding": [1, 2],
                    "activation": "tanh"}),
    "transposed, stride 1, no bias, leaky relu": (
        [2, 4, 5], {"type": "conv_transpose2d", "filters": 2, "kernel_size": 2, "bias": False,
                    "activation": "leaky_relu"}),
}


@pytest.mark.parametrize("case", list(GRAD_CASES))
def test_gradients_match_central_differences(case):
    in_shape, layer = GRAD_CASES[case]
    net = image_net(in_shape, layer)
    check_network(net, rand((2, *in_shape)))


def test_gradients_through_a_small_conv_autoencoder():
    net = image_net([1, 8, 6],
                    {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2, "padding": 1,
                     "activation": "tanh"},
                    {"type": "conv_transpose2d", "filters": 1, "kernel_size": 3, "stride": 2,
                     "padding": 1, "output_padding": 1, "activation": "sigmoid"})
    assert net.output_shape == (1, 8, 6)
    check_network(net, rand((2, 1, 8, 6)))


# -- against PyTorch (float64) --------------------------------------------------------------------

TORCH_CASES = [
    ({"filters": 4, "kernel_size": [3, 2], "stride": 2, "padding": [1, 2]}, [3, 7, 5]),
    ({"filters": 5, "kernel_size": 5, "padding": 2, "activation": "relu"}, [1, 12, 12]),
    ({"filters": 2, "kernel_size": 3, "stride": [2, 1], "bias": False, "activation": "sigmoid"},
     [3, 9, 6]),
]
TORCH_T_CASES = [
    ({"filters": 2, "kernel_size": [3, 4], "stride": [2, 3], "padding": [1, 2],
      "output_padding": [1, 2]}, [3, 4, 5]),
    ({"filters": 4, "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1,
      "activation": "leaky_relu"}, [3, 5, 5]),
    ({"filters": 1, "kernel_size": 2, "bias": False, "activation": "tanh"}, [2, 3, 3]),
]


def torch_compare(net, module, act, x):
    """Our forward and gradients against ``act(module(x))``, with our weights copied over."""
    torch = pytest.importorskip("torch")
    layer = net.layers[0]
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(layer.params["weight"]))
        if module.bias is not None:
            module.bias.copy_(torch.from_numpy(layer.params["bias"]))
    dy = rand((len(x), *net.output_shape), seed=9)
    tx = torch.from_numpy(x.copy()).requires_grad_(True)
    ty = act(module(tx))
    ty.backward(torch.from_numpy(dy))
    y = net.forward(x, training=True)
    dx = net.backward(dy)
    np.testing.assert_allclose(y, ty.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(dx, tx.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.grads["weight"], module.weight.grad.numpy(), atol=1e-10)
    assert ("bias" in layer.grads) == (module.bias is not None)
    if module.bias is not None:
        np.testing.assert_allclose(layer.grads["bias"], module.bias.grad.numpy(), atol=1e-10)


def torch_act(name):
    torch = pytest.importorskip("torch")
    return {"identity": lambda t: t, "relu": torch.relu, "sigmoid": torch.sigmoid,
            "tanh": torch.tanh,
            "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.1)}[name]


@pytest.mark.parametrize("fields, in_shape", TORCH_CASES)
def test_conv2d_matches_pytorch(fields, in_shape):
    torch = pytest.importorskip("torch")
    net = image_net(in_shape, {"type": "conv2d", **fields})
    module = torch.nn.Conv2d(in_shape[0], fields["filters"], fields["kernel_size"],
                             stride=fields.get("stride", 1), padding=fields.get("padding", 0),
                             bias=fields.get("bias", True), dtype=torch.float64)
    torch_compare(net, module, torch_act(fields.get("activation", "identity")),
                  rand((3, *in_shape)))


@pytest.mark.parametrize("fields, in_shape", TORCH_T_CASES)
def test_conv_transpose2d_matches_pytorch(fields, in_shape):
    torch = pytest.importorskip("torch")
    net = image_net(in_shape, {"type": "conv_transpose2d", **fields})
    module = torch.nn.ConvTranspose2d(
        in_shape[0], fields["filters"], fields["kernel_size"], stride=fields.get("stride", 1),
        padding=fields.get("padding", 0), output_padding=fields.get("output_padding", 0),
        bias=fields.get("bias", True), dtype=torch.float64)
    torch_compare(net, module, torch_act(fields.get("activation", "identity")),
                  rand((3, *in_shape)))


def test_float32_stays_float32_and_agrees_with_float64():
    layers = [{"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": 1,
               "activation": "relu"},
              {"type": "conv_transpose2d", "filters": 2, "kernel_size": 3, "stride": 2,
               "padding": 1, "output_padding": 1, "activation": "sigmoid"}]
    x = rand((2, 3, 6, 6))
    results = []
    for dtype in ("float32", "float64"):
        net = image_net([3, 6, 6], *layers, dtype=dtype)
        y = net.forward(x.astype(dtype))
        dx = net.backward(np.ones_like(y))
        assert y.dtype == dx.dtype == net.gradients()["conv1.weight"].dtype == np.dtype(dtype)
        results.append((y, dx, net.gradients()["deconv1.weight"].copy()))
    for ours32, ours64 in zip(*results):
        np.testing.assert_allclose(ours32, ours64, rtol=1e-4, atol=1e-5)


def test_changing_batch_size_keeps_earlier_outputs_and_stays_correct():
    layer = {"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": 1}
    net = image_net([1, 5, 5], layer)
    x5, x3 = rand((5, 1, 5, 5)), rand((3, 1, 5, 5), seed=1)
    y5 = net.forward(x5)
    kept = y5.copy()
    y3 = net.forward(x3)
    np.testing.assert_array_equal(y5, kept)  # the first result was not overwritten
    np.testing.assert_allclose(net.forward(x5[:3]), y5[:3], atol=1e-12)
    assert y3.shape == (3, 2, 5, 5)


# -- the notes' formulas --------------------------------------------------------------------------

@pytest.mark.parametrize("n, f, p, s", [(28, 5, 2, 1), (32, 5, 0, 1), (28, 3, 1, 2), (7, 3, 0, 2),
                                        (10, 4, 1, 3), (5, 5, 0, 1), (9, 2, 3, 4)])
def test_conv_output_size_is_floor_of_n_plus_2p_minus_f_over_s_plus_1(n, f, p, s):
    net = image_net([1, n, n], {"type": "conv2d", "filters": 2, "kernel_size": f, "padding": p,
                                "stride": s})
    size = (n + 2 * p - f) // s + 1
    assert net.summary()[0][2] == (2, size, size)
    assert net.forward(rand((1, 1, n, n))).shape == (1, 2, size, size)


@pytest.mark.parametrize("n, f, p, s, op", [(7, 3, 1, 2, 1), (14, 3, 1, 2, 1), (4, 5, 0, 1, 0),
                                            (3, 4, 1, 3, 2), (5, 2, 0, 2, 0)])
def test_transposed_output_size_is_s_times_n_minus_1_plus_f_minus_2p(n, f, p, s, op):
    net = image_net([2, n, n], {"type": "conv_transpose2d", "filters": 3, "kernel_size": f,
                                "padding": p, "stride": s, "output_padding": op})
    size = s * (n - 1) + f - 2 * p + op
    assert net.summary()[0][2] == (3, size, size)
    assert net.forward(rand((1, 2, n, n))).shape == (1, 3, size, size)


def test_same_padding_keeps_the_size_with_p_equal_f_minus_1_over_2():
    net = image_net([1, 9, 6], {"type": "conv2d", "filters": 2, "kernel_size": [5, 3],
                                "padding": "same"})
    assert net.output_shape == (2, 9, 6)
    assert net.layers[0].padding == (2, 1)


def test_the_notes_parameter_table():
    net = image_net([3, 32, 32],
                    {"type": "conv2d", "filters": 8, "kernel_size": 5},
                    {"type": "maxpool2d", "size": 2},
                    {"type": "conv2d", "filters": 16, "kernel_size": 5},
                    {"type": "maxpool2d", "size": 2},
                    {"type": "flatten"},
                    {"type": "dense", "units": 120},
                    {"type": "dense", "units": 84},
                    {"type": "dense", "units": 10, "activation": "softmax"})
    rows = net.summary()
    assert [r[2] for r in rows] == [(8, 28, 28), (8, 14, 14), (16, 10, 10), (16, 5, 5), (400,),
                                    (120,), (84,), (10,)]
    assert [r[3] for r in rows if r[3]] == [608, 3216, 48120, 10164, 850]
    assert net.parameters()["conv1.weight"].shape == (8, 3, 5, 5)


def test_init_uses_the_fan_in_of_each_convolution():
    net = image_net([8, 6, 6],
                    {"type": "conv2d", "filters": 64, "kernel_size": 3, "activation": "relu"},
                    {"type": "conv_transpose2d", "filters": 32, "kernel_size": 3,
                     "activation": "tanh"})
    conv, deconv = net.parameters()["conv1.weight"], net.parameters()["deconv1.weight"]
    assert deconv.shape == (64, 32, 3, 3)  # (in, out, kh, kw) as PyTorch
    assert conv.std() == pytest.approx(np.sqrt(2 / (8 * 9)), rel=0.05)  # He, n_in = in*kh*kw
    assert deconv.std() == pytest.approx(np.sqrt(1 / (32 * 9)), rel=0.05)  # Xavier, out*kh*kw
    assert not net.parameters()["conv1.bias"].any()


# -- spec errors ----------------------------------------------------------------------------------

SPEC_ERRORS = [
    ([1, 4, 4], {"type": "conv2d", "id": "conv1", "filters": 2, "kernel_size": 5},
     "kernel_size", "conv2d 'conv1': kernel 5 is larger than its 4x4 input (padding 0)"),
    ([1, 4, 4], {"type": "conv2d", "id": "c", "filters": 2, "kernel_size": 3, "stride": 2,
                 "padding": "same"}, "padding", "only with stride 1"),
    ([1, 4, 4], {"type": "conv2d", "id": "c", "filters": 2, "kernel_size": 2, "padding": "same"},
     "padding", "odd kernel size"),
    ([1, 4, 4], {"type": "conv2d", "id": "c", "filters": 2, "kernel_size": 3, "padding": "full"},
     "padding", "'same' or 'valid'"),
    ([1, 4, 4], {"type": "conv2d", "id": "c", "filters": 0, "kernel_size": 3}, "filters",
     "at least 1"),
    ([1, 4, 4], {"type": "conv2d", "id": "c", "filters": 2, "kernel_size": [3, 3, 3]},
     "kernel_size", "pair"),
    ([1, 4, 4], {"type": "conv2d", "id": "c", "filters": 2, "kernel_size": 3, "padding": -1},
     "padding", "at least 0"),
    ([16], {"type": "conv2d", "id": "c", "filters": 2, "kernel_size": 3}, None,
     "needs an image [channels, height, width] input, but gets 16"),
    ([1, 4, 4], {"type": "conv2d", "id": "c", "filters": 2, "kernel_size": 3, "activation": "swoosh"},
     "activation", "unknown activation"),
    ([2, 3, 3], {"type": "conv_transpose2d", "id": "up", "filters": 2, "kernel_size": 3,
                 "stride": 2, "output_padding": 2}, "output_padding",
     "output_padding 2 must be smaller than the stride 2"),
    ([2, 1, 1], {"type": "conv_transpose2d", "id": "up", "filters": 2, "kernel_size": 2,
                 "padding": 1}, "padding", "the output of its 1x1 input would be 0x0"),
    ([2, 3, 3], {"type": "conv_transpose2d", "id": "up", "filters": 2, "kernel_size": 3,
                 "padding": "same"}, "padding", "'padding' must be a number or a pair"),
]


@pytest.mark.parametrize("in_shape, layer, field, words", SPEC_ERRORS)
def test_bad_specs_say_which_layer_and_field(in_shape, layer, field, words):
    with pytest.raises(SpecError) as err:
        image_net(in_shape, layer)
    message = str(err.value)
    assert message.startswith(f"{layer['type']} '{layer['id']}': ")
    assert words in message
    assert err.value.layer_id == layer["id"]
    assert err.value.field == field


@pytest.mark.parametrize("layer", [
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2, "activation": "relu"},
    {"type": "conv_transpose2d", "filters": 3, "kernel_size": 3, "stride": 2, "padding": 1}])
def test_first_layer_can_skip_its_input_gradient_and_keep_its_parameter_gradients(layer):
    net = image_net([2, 7, 7], layer)
    x = rand((2, 2, 7, 7))
    dy = rand((2, *net.output_shape), seed=1)
    net.forward(x)
    assert net.backward(dy) is not None
    full = {k: v.copy() for k, v in net.gradients().items()}
    net.gradients()["conv1.weight" if "conv1.weight" in full else "deconv1.weight"][...] = 0
    net.forward(x)
    assert net.backward(dy, input_grad=False) is None
    for name, grad in net.gradients().items():
        np.testing.assert_array_equal(grad, full[name])


@pytest.mark.parametrize("layer", [
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1, "activation": "relu"},
    {"type": "conv_transpose2d", "filters": 2, "kernel_size": 3, "stride": 2,
     "activation": "sigmoid"}])
def test_big_batches_go_in_parts_with_the_same_results(layer, monkeypatch):
    from playground.engine.layers import conv
    x, dy_seed = rand((7, 2, 5, 5)), 4
    results = []
    for limit in (conv.CHUNK_ELEMENTS, 200):  # 200 values: one or two images per part
        monkeypatch.setattr(conv, "CHUNK_ELEMENTS", limit)
        net = image_net([2, 5, 5], layer)
        y = net.forward(x)
        dx = net.backward(rand(y.shape, seed=dy_seed))
        results.append([y, dx, *(g.copy() for g in net.gradients().values())])
    assert len(net.layers[0]._parts(7, net.layers[0]._col_rows * net.layers[0]._n_pos)) > 3
    for whole, parts in zip(*results):
        np.testing.assert_allclose(parts, whole, rtol=1e-12, atol=1e-12)
