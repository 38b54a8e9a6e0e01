"""The loss landscape of a live network on a plane through its weights (Li, Xu, Taylor, Studer and
Goldstein, "Visualizing the Loss Landscape of Neural Nets", 2018).

The plane is w(a, b) = w0 + a d1 + b d2 with two random Gaussian directions, each *filter
normalised*: every filter of d (a row of a dense weight, one output channel of a conv kernel) is
scaled to the norm of the same filter of w0, so a step of 1 along d changes every filter by its own
size and planes of differently scaled networks compare. Bias directions are zero (as the paper's
default). The loss at each point is the network's training loss on all the given data, computed
by the engine's own forward pass and loss.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Network, make_loss
from ..engine.losses import Loss


@dataclass
class LandscapePlane:
    """``losses[i, j]`` is the loss at a = ``alphas[j]``, b = ``betas[i]`` (rows run along b, as
    an image's rows run along y). ``origin`` is w0 as a flat vector; ``directions`` is (2, P)."""

    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    origin: np.ndarray
    directions: np.ndarray
    trajectory: np.ndarray | None = None

    def weights_at(self, a: float, b: float) -> np.ndarray:
        """The flat weight vector at (a, b) on the plane."""
        return self.origin + a * self.directions[0] + b * self.directions[1]

    def project(self, weights) -> np.ndarray:
        """(k, 2) plane coordinates of k weight vectors (flat arrays or ``get_weights()`` dicts):
        the least-squares (a, b) with w0 + a d1 + b d2 closest to each w."""
        flat = np.stack([_flat(w, self.origin.size) for w in weights]) - self.origin
        coords, *_ = np.linalg.lstsq(self.directions.T.astype(np.float64),
                                     flat.T.astype(np.float64), rcond=None)
        return coords.T


def _flat(w, size: int) -> np.ndarray:
    if isinstance(w, dict):
        w = np.concatenate([np.asarray(v).reshape(-1) for v in w.values()])
    w = np.asarray(w, np.float64).reshape(-1)
    if w.size != size:
        raise ValueError(f"a weight vector of {w.size} numbers does not fit a network of {size}")
    return w


def filter_normalized_direction(network: Network, rng: np.random.Generator) -> np.ndarray:
    """A random direction over the flat parameters, filter-normalised; zero on biases."""
    d = np.zeros(network.n_params, np.float64)
    offset = 0
    for key, w in network.parameters().items():
        size = w.size
        if key.endswith(".weight"):
            r = rng.standard_normal(w.shape)
            rows = r.reshape(w.shape[0], -1)
            w_rows = np.asarray(w, np.float64).reshape(w.shape[0], -1)
            scale = np.linalg.norm(w_rows, axis=1) / (np.linalg.norm(rows, axis=1) + 1e-10)
            d[offset:offset + size] = (rows * scale[:, None]).reshape(-1)
        offset += size
    return d


def _data(data) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(data, (tuple, list)) and len(data) == 2:
        return np.asarray(data[0]), np.asarray(data[1])
    if hasattr(data, "x_train") and hasattr(data, "y_train"):
        return np.asarray(data.x_train), np.asarray(data.y_train)
    raise TypeError("data is (inputs, targets) or a TrainData")


def _loss(loss, network: Network) -> Loss:
    if isinstance(loss, Loss):
        return loss
    return make_loss(loss if loss is not None else "auto", network.output_activation)


def landscape_plane(network: Network, data, loss="auto", seed: int = 0, extent: float = 1.0,
                    n: int = 41, trajectory=None) -> LandscapePlane:
    """The loss over an n x n grid of a, b in [-extent, extent] on the plane through the network's
    current weights. ``data``: (inputs, targets) or a TrainData (its training set); ``loss``: a
    loss name ("auto" picks it from the output activation, as training does) or a Loss;
    ``trajectory``: weight vectors to project onto the plane (see ``LandscapePlane.project``).
    The network's weights are left as they were.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"the grid needs at least 2 points a side, not {n!r}")
    if not extent > 0:
        raise ValueError(f"the extent must be positive, not {extent!r}")
    x, y = _data(data)
    x = np.ascontiguousarray(x, network.dtype)
    loss_fn = _loss(loss, network)
    rng = np.random.default_rng(seed)
    origin = network.flat_params.astype(np.float64)
    directions = np.stack([filter_normalized_direction(network, rng),
                           filter_normalized_direction(network, rng)])
    alphas = np.linspace(-extent, extent, n)
    betas = np.linspace(-extent, extent, n)
    losses = np.empty((n, n))
    saved = network.flat_params.copy()
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for i, b in enumerate(betas):
                row = origin + b * directions[1]
                for j, a in enumerate(alphas):
                    np.copyto(network.flat_params, row + a * directions[0], casting="unsafe")
                    losses[i, j] = loss_fn.forward(network.predict(x), y)
    finally:
        np.copyto(network.flat_params, saved)
    plane = LandscapePlane(alphas, betas, losses, origin, directions)
    if trajectory is not None and len(trajectory):
        plane.trajectory = plane.project(trajectory)
    return plane
