"""A training run's weights over time, kept small, for the loss-landscape plane ("this network"
in the optimizer race): ``WeightTrail.add(step, weights)`` with the snapshots' weight dicts;
``points()`` the flat vectors to project onto the plane (``landscape_plane(trajectory=...)``).

At most ``limit`` vectors are kept: past it every other older one is dropped (the first and the
newest always stay), so an hour of training costs the same memory as a minute.
"""
from __future__ import annotations

import numpy as np


class WeightTrail:
    def __init__(self, names, limit: int = 400):
        """``names``: the parameter names in the network's flat order (``network.parameters()``);
        buffers (BatchNorm's running statistics) in a weights dict are left out."""
        self.names = list(names)
        self.limit = max(int(limit), 4)
        self.steps: list[int] = []
        self.vectors: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.vectors)

    def add(self, step: int, weights: dict) -> None:
        """Record the weights at ``step`` (a step before the last one means a reset: start again;
        the same step twice is kept once)."""
        if self.steps and step < self.steps[-1]:
            self.clear()
        if self.steps and step == self.steps[-1]:
            return
        flat = np.concatenate([np.asarray(weights[k], np.float64).reshape(-1) for k in self.names])
        self.steps.append(int(step))
        self.vectors.append(flat)
        if len(self.vectors) > self.limit:
            keep = list(range(0, len(self.vectors) - 1, 2)) + [len(self.vectors) - 1]
            self.steps = [self.steps[i] for i in keep]
            self.vectors = [self.vectors[i] for i in keep]

    def clear(self) -> None:
        self.steps.clear()
        self.vectors.clear()

    def points(self) -> np.ndarray:
        """(k, P) flat weight vectors, oldest first."""
        return np.stack(self.vectors) if self.vectors else np.zeros((0, 0))
