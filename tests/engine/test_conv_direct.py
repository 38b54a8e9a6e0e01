"""The direct convolution (stride 1, few input channels) against the im2col + GEMM path."""
import numpy as np
import pytest

from playground.engine import Network
from playground.engine.kernels.direct import MAX_CHANNELS


def _run(layer_spec, in_shape, direct, first=False):
    net = Network.from_spec({"input_shape": list(in_shape), "layers": [layer_spec]}, seed=5,
                            dtype="float64")
    conv = net.layers[0]
    assert conv.direct == (in_shape[0] <= MAX_CHANNELS and conv.stride == (1, 1))
    conv.direct = direct
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, *in_shape))
    y = net.forward(x)
    dx = net.backward(rng.standard_normal(y.shape), input_grad=not first)
    return y, dx, {k: v.copy() for k, v in net.gradients().items()}


@pytest.mark.parametrize("spec, in_shape", [
    ({"filters": 6, "kernel_size": 5, "padding": 2, "activation": "relu"}, [1, 12, 12]),
    ({"filters": 3, "kernel_size": [3, 7], "padding": [1, 3], "activation": "tanh"}, [3, 9, 11]),
    ({"filters": 2, "kernel_size": [4, 2], "bias": False, "activation": "leaky_relu",
      "alpha": 0.3}, [2, 6, 5]),
    ({"filters": 4, "kernel_size": 1, "activation": "gelu"}, [2, 5, 4]),
    ({"filters": 2, "kernel_size": 6, "padding": 1, "activation": "softmax"}, [1, 7, 8]),
])
@pytest.mark.parametrize("first", [False, True])
def test_direct_path_equals_im2col_path(spec, in_shape, first):
    """Every kernel width (5, 3 and single taps), padding, no bias, unfused activations, and
    the first layer's skipped input gradient: outputs and every gradient agree."""
    spec = {"type": "conv2d", **spec}
    y_direct, dx_direct, g_direct = _run(spec, in_shape, True, first)
    y_gemm, dx_gemm, g_gemm = _run(spec, in_shape, False, first)
    np.testing.assert_allclose(y_direct, y_gemm, rtol=1e-12, atol=1e-12)
    if first:
        assert dx_direct is None and dx_gemm is None
    else:
        np.testing.assert_allclose(dx_direct, dx_gemm, rtol=1e-11, atol=1e-12)
    for name in g_gemm:
        np.testing.assert_allclose(g_direct[name], g_gemm[name], rtol=1e-11, atol=1e-12)


def test_many_channels_or_stride_keep_the_gemm_path():
    net = Network.from_spec({"input_shape": [MAX_CHANNELS + 1, 6, 6], "layers": [
        {"type": "conv2d", "filters": 2, "kernel_size": 3},
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "stride": 2}]})
    assert [layer.direct for layer in net.layers] == [False, False]
