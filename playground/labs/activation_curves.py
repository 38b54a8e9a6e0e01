"""f and f' of every activation the engine has, computed by the engine's own forward and backward
(for the activation explorer). Softmax is shown for one component with the others held fixed."""
from __future__ import annotations

import numpy as np

from ..engine import activations


def names() -> tuple[str, ...]:
    """Every activation the engine knows, in its own order (new ones appear by themselves)."""
    return tuple(activations.NAMES)


def formula(name: str) -> str:
    return activations.FORMULAS.get(name, name)


def curves(name: str, x, alpha: float | None = None,
           others=(0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """(f(x), f'(x)) over the points ``x``; ``alpha`` is the activation's parameter (None: its
    own default, e.g. leaky ReLU's 0.1, ELU's 1). For softmax: component 1 of
    softmax([x, *others]) and its derivative in x (the others held)."""
    x = np.asarray(x, np.float64).reshape(-1)
    if name == "softmax":
        held = np.broadcast_to(np.asarray(others, np.float64), (x.size, len(others)))
        z = np.column_stack([x, held])
        y = activations.forward("softmax", z)
        dy = np.zeros_like(y)
        dy[:, 0] = 1.0
        return y[:, 0].copy(), activations.backward("softmax", y, dy)[:, 0].copy()
    z = x.reshape(-1, 1)
    y = activations.forward(name, z, alpha)
    # GELU, ELU, softplus and SiLU need the input for their derivative: hand it over always
    dy = activations.backward(name, np.asarray(y, np.float64), np.ones_like(z), alpha, x=z)
    return np.asarray(y, np.float64).reshape(-1).copy(), np.asarray(dy).reshape(-1).copy()
