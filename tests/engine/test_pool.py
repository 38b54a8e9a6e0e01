"""Ring 1: maxpool2d, avgpool2d and maxunpool2d against numeric gradients, PyTorch and the notes."""
import numpy as np
import pytest

from playground.engine import Network, SpecError

from .gradcheck import check_network


def image_net(input_shape, *layers, dtype="float64"):
    return Network.from_spec({"input_shape": list(input_shape), "layers": list(layers)},
                             seed=3, dtype=dtype)


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


POOL_UNPOOL = [{"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": 1,
                "activation": "tanh"},
               {"type": "maxpool2d", "id": "pool1", "size": 2},
               {"type": "maxunpool2d", "id": "unpool1", "pool": "pool1"},
               {"type": "conv2d", "filters": 1, "kernel_size": 3, "activation": "sigmoid"}]


# -- numeric gradient checks (float64) ------------------------------------------------------------

@pytest.mark.parametrize("layer", [
    {"type": "maxpool2d", "size": 3, "stride": 1},            # overlapping windows
    {"type": "maxpool2d", "size": [3, 2], "stride": [2, 1]},  # overlapping in width only
    {"type": "maxpool2d", "size": 2},
    {"type": "avgpool2d", "size": 3, "stride": 1},
    {"type": "avgpool2d", "size": [3, 2], "stride": [2, 1]},
    {"type": "avgpool2d", "size": 2},
], ids=lambda layer: f"{layer['type']} {layer['size']}/{layer.get('stride', 'same')}")
def test_gradients_match_central_differences(layer):
    check_network(image_net([2, 7, 5], layer), rand((2, 2, 7, 5)))


def test_pool_then_unpool_inside_a_network_has_correct_gradients():
    net = image_net([1, 6, 7], *POOL_UNPOOL)
    assert [r[2] for r in net.summary()] == [(2, 6, 7), (2, 3, 3), (2, 6, 7), (1, 4, 5)]
    check_network(net, rand((2, 1, 6, 7)))


def test_overlapping_windows_send_a_shared_maximum_every_window_gradient():
    net = image_net([1, 3, 3], {"type": "maxpool2d", "size": 2, "stride": 1})
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0  # the centre is the maximum of all four windows
    net.forward(x)
    dx = net.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    expected = np.zeros((3, 3))
    expected[1, 1] = 10.0
    np.testing.assert_array_equal(dx[0, 0], expected)


# -- positions: argmax and unpooling --------------------------------------------------------------

def test_argmax_holds_flat_positions_and_ties_go_to_the_first_maximum():
    net = image_net([1, 4, 4], {"type": "maxpool2d", "size": 2})
    x = np.array([[1, 3, 0, 0],
                  [2, 3, 0, 0],
                  [9, 1, 4, 5],
                  [0, 8, 7, 6]], float)[None, None]
    y = net.forward(x)
    np.testing.assert_array_equal(y[0, 0], [[3, 0], [9, 7]])
    argmax = net.layers[0].extra_state()["argmax"]
    assert argmax.dtype == np.int64 and argmax.shape == (1, 1, 2, 2)
    # flat index h*W + w in the 4x4 plane; ties (3, 3) and (0, 0, 0, 0) keep the first
    np.testing.assert_array_equal(argmax[0, 0], [[1, 2], [8, 14]])


def test_unpool_puts_each_value_exactly_where_its_maximum_was():
    net = image_net([3, 6, 8], {"type": "maxpool2d", "id": "pool1", "size": 2},
                    {"type": "maxunpool2d", "pool": "pool1"})
    x = rand((2, 3, 6, 8))
    out = net.forward(x)
    assert out.shape == x.shape
    # the notes' figure 3.4: every window keeps its maximum in place and zeros elsewhere
    windows = x.reshape(2, 3, 3, 2, 4, 2)
    is_max = windows == windows.max(axis=(3, 5), keepdims=True)
    expected = np.where(is_max, windows, 0).reshape(x.shape)
    np.testing.assert_array_equal(out, expected)
    assert np.count_nonzero(out) == x.size // 4


def test_unpool_uses_the_argmax_of_the_pools_latest_forward():
    net = image_net([1, 4, 4], {"type": "maxpool2d", "id": "pool1", "size": 2},
                    {"type": "maxunpool2d", "pool": "pool1"})
    pool, unpool = net.layers
    first = rand((1, 1, 4, 4), seed=1)
    second = rand((1, 1, 4, 4), seed=2)
    net.forward(first)
    pool.forward(second)
    out = unpool.forward(np.ones((1, 1, 2, 2)))
    flat = out.reshape(-1)
    assert sorted(np.flatnonzero(flat)) == sorted(pool.argmax.reshape(-1))


def test_unpool_refuses_a_batch_the_pool_did_not_see():
    net = image_net([1, 4, 4], {"type": "maxpool2d", "id": "pool1", "size": 2},
                    {"type": "maxunpool2d", "id": "unpool1", "pool": "pool1"})
    unpool = net.layers[1]
    with pytest.raises(ValueError, match="'pool1' has not run yet"):
        unpool.forward(np.ones((2, 1, 2, 2)))
    net.forward(rand((3, 1, 4, 4)))
    with pytest.raises(ValueError, match="gets a batch of 2, but maxpool2d 'pool1' last pooled "
                                         "a batch of 3"):
        unpool.forward(np.ones((2, 1, 2, 2)))


# -- against PyTorch (float64) --------------------------------------------------------------------

@pytest.mark.parametrize("size, stride", [(2, None), (3, 1), ((3, 2), (2, 1)), (3, 2)])
def test_maxpool_values_indices_and_gradient_match_pytorch(size, stride):
    torch = pytest.importorskip("torch")
    net = image_net([3, 7, 6], {"type": "maxpool2d", "size": size, "stride": stride})
    x = rand((2, 3, 7, 6))
    x[0, 0, :2, :2] = 1.5  # a tie
    tx = torch.from_numpy(x.copy()).requires_grad_(True)
    ty, tidx = torch.nn.functional.max_pool2d(tx, size, stride, return_indices=True)
    dy = rand(tuple(ty.shape), seed=4)
    ty.backward(torch.from_numpy(dy))
    y = net.forward(x)
    np.testing.assert_array_equal(y, ty.detach().numpy())
    np.testing.assert_array_equal(net.layers[0].extra_state()["argmax"], tidx.numpy())
    np.testing.assert_allclose(net.backward(dy), tx.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("size, stride", [(2, None), (3, 1), ((3, 2), (2, 1))])
def test_avgpool_matches_pytorch(size, stride):
    torch = pytest.importorskip("torch")
    net = image_net([3, 7, 6], {"type": "avgpool2d", "size": size, "stride": stride})
    x = rand((2, 3, 7, 6))
    tx = torch.from_numpy(x.copy()).requires_grad_(True)
    ty = torch.nn.functional.avg_pool2d(tx, size, stride)
    dy = rand(tuple(ty.shape), seed=4)
    ty.backward(torch.from_numpy(dy))
    np.testing.assert_allclose(net.forward(x), ty.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(net.backward(dy), tx.grad.numpy(), atol=1e-12)


def test_maxunpool_matches_pytorch():
    torch = pytest.importorskip("torch")
    net = image_net([2, 6, 5], {"type": "maxpool2d", "id": "pool1", "size": 2},
                    {"type": "maxunpool2d", "pool": "pool1"})
    pool, unpool = net.layers
    x = rand((3, 2, 6, 5))
    pooled = pool.forward(x)
    values = rand(pooled.shape, seed=5)  # unpool something other than the maxima themselves
    indices = torch.from_numpy(pool.argmax)
    tv = torch.from_numpy(values.copy()).requires_grad_(True)
    ty = torch.nn.MaxUnpool2d(2)(tv, indices, output_size=x.shape[2:])
    dy = rand(x.shape, seed=6)
    ty.backward(torch.from_numpy(dy))
    np.testing.assert_array_equal(unpool.forward(values), ty.detach().numpy())
    np.testing.assert_allclose(unpool.backward(dy), tv.grad.numpy(), atol=1e-12)


# -- sizes and spec errors ------------------------------------------------------------------------

@pytest.mark.parametrize("layer, out_hw", [
    ({"type": "maxpool2d"}, (3, 2)),
    ({"type": "maxpool2d", "size": 2, "stride": None}, (3, 2)),
    ({"type": "avgpool2d", "size": 3}, (2, 1)),
    ({"type": "maxpool2d", "size": 3, "stride": 1}, (5, 3)),
    ({"type": "avgpool2d", "size": [2, 5], "stride": [3, 1]}, (2, 1)),
])
def test_pool_output_keeps_whole_windows_only(layer, out_hw):
    net = image_net([4, 7, 5], layer)
    assert net.output_shape == (4, *out_hw)
    assert net.forward(rand((1, 4, 7, 5))).shape == (1, 4, *out_hw)


def test_float32_stays_float32():
    net = image_net([1, 6, 6], *POOL_UNPOOL[:3], {"type": "avgpool2d"}, dtype="float32")
    y = net.forward(rand((2, 1, 6, 6)))
    assert y.dtype == np.float32 and net.backward(np.ones_like(y)).dtype == np.float32


SPEC_ERRORS = [
    ([2, 1, 1], [{"type": "maxpool2d", "id": "pool1", "size": 2}], "size",
     "maxpool2d 'pool1': window 2 does not fit its 1x1 input"),
    ([2, 5, 3], [{"type": "avgpool2d", "id": "avg", "size": [2, 4]}], "size",
     "avgpool2d 'avg': window 2x4 does not fit its 5x3 input"),
    ([2, 4, 4], [{"type": "maxpool2d", "id": "pool1", "stride": 0}], "stride", "at least 1"),
    ([8], [{"type": "maxpool2d", "id": "pool1"}], None, "needs an image"),
    ([1, 4, 4], [{"type": "maxpool2d", "id": "pool1"},
                 {"type": "maxunpool2d", "id": "unpool1", "pool": "pool9"}], "pool",
     "maxunpool2d 'unpool1': 'pool' must name an earlier maxpool2d layer; 'pool9' is not one"),
    ([1, 4, 4], [{"type": "avgpool2d", "id": "avg"},
                 {"type": "maxunpool2d", "id": "unpool1", "pool": "avg"}], "pool",
     "'avg' is not one"),
    ([1, 4, 4], [{"type": "maxunpool2d", "id": "unpool1", "pool": "pool1"},
                 {"type": "maxpool2d", "id": "pool1"}], "pool", "earlier maxpool2d"),
    ([1, 8, 8], [{"type": "maxpool2d", "id": "pool1"}, {"type": "maxpool2d", "id": "pool2"},
                 {"type": "maxunpool2d", "id": "unpool1", "pool": "pool1"}], "pool",
     "its input is 1x2x2, but maxpool2d 'pool1' gives 1x4x4"),
]


@pytest.mark.parametrize("in_shape, layers, field, words", SPEC_ERRORS)
def test_bad_specs_say_which_layer_and_field(in_shape, layers, field, words):
    with pytest.raises(SpecError) as err:
        image_net(in_shape, *layers)
    assert words in str(err.value)
    bad = next(layer for layer in layers if str(err.value).startswith(
        f"{layer['type']} '{layer['id']}': "))
    assert err.value.layer_id == bad["id"]
    assert err.value.field == field
