"""What the training thread publishes for the views (DESIGN.md section 4).

A Snapshot holds copies, never live arrays, so the UI may keep it while training goes on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Snapshot:
    """The state of a run at one moment, small enough to publish ~30 times a second.

    - ``weights`` / ``gradients``: "<id>.weight" -> copy, as ``Network.parameters()``.
    - ``grad_norms``: "<id>" -> L2 norm of that layer's weight gradient (vanishing/exploding gradients).
    - ``grid_outputs``: for 2-D data, layer id -> its outputs over the decision-map grid, shaped
      (units, R, R) (row 0 is the top of the plane: high x2); "output" is the network's output
      (n_outputs, R, R). Empty for image data. ``grid_inputs``: the input features over the same
      grid, (features, R, R), for the input block's maps.
    - ``probe_activations``: layer id -> that layer's output on the probe inputs (images: (P, C, H, W)).
    - ``pool_argmax``: maxpool id -> argmax positions on the probe inputs (P, C, Ho, Wo).
    - ``history``: per-epoch records (epoch, step, train_loss, test_loss, metrics...).
    - ``optimizer`` / ``optimizer_stats``: the optimizer's name and, per layer id, what it did in
      its latest update (``engine.optimizer_stats.LayerStats``; filled by the training worker).
    - ``unit_health``: layer id -> saturated and dead fractions and a sample of z on a probe batch
      (``labs.unit_health.LayerHealth``; filled by the training worker).
    """

    step: int = 0
    epoch: int = 0
    train_loss: float = float("nan")
    test_loss: float = float("nan")
    metrics: dict[str, float] = field(default_factory=dict)
    weights: dict[str, np.ndarray] = field(default_factory=dict)
    gradients: dict[str, np.ndarray] = field(default_factory=dict)
    grad_norms: dict[str, float] = field(default_factory=dict)
    grid_outputs: dict[str, np.ndarray] = field(default_factory=dict)
    grid_inputs: np.ndarray | None = None
    probe_inputs: np.ndarray | None = None
    probe_activations: dict[str, np.ndarray] = field(default_factory=dict)
    pool_argmax: dict[str, np.ndarray] = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)
    steps_per_second: float = 0.0
    diverged: str | None = None
    running: bool = False
    optimizer: str = ""
    optimizer_stats: dict = field(default_factory=dict)
    unit_health: dict = field(default_factory=dict)
    rule: str = "backprop"          # or a classic rule: its curves show mistakes / MSE on z
    #: a comparison's configurations, one record each (``project.comparison_run.VariantState``)
    variants: list = field(default_factory=list)
