"""tanh: (e^x - e^-x) / (e^x + e^-x), derivative 1 - tanh^2 from the output (notes 1.2.1)."""
import math

import numpy as np
from numba import njit

from .base import Activation


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return math.tanh(x)


@njit(nogil=True, cache=True, inline="always")
def f32(x, a):
    """tanh as a 13/6 rational polynomial on [-7.9988, 7.9988] (Eigen's float tanh): within
    2.4e-7 of the true value, about 20x faster than libm's and vectorizable."""
    x = min(max(x, -7.99881172180175781), 7.99881172180175781)
    x2 = x * x
    p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13
    p = x2 * p + -8.60467152213735e-11
    p = x2 * p + 5.12229709037114e-08
    p = x2 * p + 1.48572235717979e-05
    p = x2 * p + 6.37261928875436e-04
    p = x2 * p + 4.89352455891786e-03
    q = x2 * 1.19825839466702e-06 + 1.18534705686654e-04
    q = x2 * q + 2.26843463243900e-03
    q = x2 * q + 4.89352518554385e-03
    return x * p / q


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return 1.0 - y * y


def numpy_forward(x, a):
    return np.tanh(x)


ACTIVATION = Activation(
    name="tanh", title="tanh", order=3,
    formula="tanh(x) = (e^x - e^-x) / (e^x + e^-x);  tanh' = 1 - tanh^2",
    help="Squashes z into (-1, 1), centred on 0: the classic hidden unit.",
    grad_from="output", torch=lambda v, a: f"torch.tanh({v})",
    onnx=lambda g, x, prefix, a: g.node("Tanh", [x], f"{prefix}/tanh"),
    torch_module=("Tanh", {}))
