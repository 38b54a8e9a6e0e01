"""step: 1 where x >= 0, else 0 (the perceptron's threshold unit; its gradient is zero)."""
import numpy as np
from numba import njit

from .base import Activation


@njit(nogil=True, cache=True, inline="always")
def f(x, a):
    return 1.0 if x >= 0 else 0.0


@njit(nogil=True, cache=True, inline="always")
def df(x, y, a):
    return 0.0


def numpy_forward(x, a):
    return (x >= 0).astype(x.dtype)


def _onnx(graph, x, prefix, a):
    zero = graph.constant(f"{prefix}/zero", np.zeros((), np.float32))
    mask = graph.node("GreaterOrEqual", [x, zero], f"{prefix}/step_mask")
    return graph.node("Cast", [mask], f"{prefix}/step", to=1)  # 1 = TensorProto.FLOAT


ACTIVATION = Activation(
    name="step", title="step", order=1, formula="step(x) = 1 if x >= 0 else 0",
    help="The perceptron's threshold: 1 where z >= 0, else 0. Its gradient is zero, so "
         "backpropagation cannot train through it.",
    grad_from="output", torch=lambda v, a: f"({v} >= 0).to({v}.dtype)", onnx=_onnx)
