"""Central-difference gradient checks in float64, shared by the engine tests."""
from __future__ import annotations

import numpy as np


def numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences; ``f`` reads ``x`` (mutated in place and restored)."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = f()
        flat[i] = old - eps
        minus = f()
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * eps)
    return grad


def check_network(net, x: np.ndarray, atol: float = 1e-6, rtol: float = 1e-5) -> None:
    """Compare backward's input and parameter gradients with numeric ones for L = sum(y * r)."""
    rng = np.random.default_rng(1)
    y = net.forward(x)
    r = rng.standard_normal(y.shape)

    def loss():
        return float(np.sum(net.forward(x) * r))

    net.forward(x)
    dx = net.backward(r.copy())
    analytic = {k: v.copy() for k, v in net.gradients().items()}
    np.testing.assert_allclose(dx, numeric_grad(loss, x), atol=atol, rtol=rtol,
                               err_msg="input gradient")
    for name, p in net.parameters().items():
        np.testing.assert_allclose(analytic[name], numeric_grad(loss, p), atol=atol, rtol=rtol,
                                   err_msg=name)
