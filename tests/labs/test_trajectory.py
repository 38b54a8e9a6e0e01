"""The recorded training trajectory, projected onto the loss-landscape plane through the final
weights: it ends at the origin and its points sit where the plane says they are."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings
from playground.labs import landscape_plane
from playground.labs.trajectory import WeightTrail

SPEC = {"input_shape": [2], "layers": [{"type": "dense", "units": 6, "activation": "tanh"},
                                       {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def test_a_recorded_run_projects_onto_the_plane_and_ends_at_its_origin():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(120, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    net = Network.from_spec(SPEC, seed=1, dtype="float64")
    trainer = Trainer(net, TrainingSettings(optimizer={"type": "adam", "lr": 0.02},
                                            batch_size=10), TrainData(x, y))
    trail = WeightTrail(net.parameters())
    for _ in range(12):
        trainer.run(20)
        snap = trainer.snapshot(with_grid=False, with_probes=False)
        trail.add(snap.step, snap.weights)
    plane = landscape_plane(net, trainer.data, seed=4, n=5, trajectory=trail.points())
    assert plane.trajectory.shape == (12, 2)
    np.testing.assert_allclose(plane.trajectory[-1], [0.0, 0.0], atol=1e-9)   # the weights now
    # each projected point is the least-squares (a, b): the residual is orthogonal to the plane
    for w, (a, b) in zip(trail.points(), plane.trajectory):
        residual = w - plane.weights_at(a, b)
        np.testing.assert_allclose(plane.directions @ residual, [0.0, 0.0], atol=1e-8)
    # the run moved: its start is away from the origin
    assert np.hypot(*plane.trajectory[0]) > 1e-3


def test_the_trail_thins_but_keeps_its_ends_and_restarts_on_a_reset():
    names = ["l.weight"]
    trail = WeightTrail(names, limit=8)
    for step in range(1, 30):
        trail.add(step, {"l.weight": np.full(3, step, float)})
    assert len(trail) <= 8 and trail.steps[0] == 1 and trail.steps[-1] == 29
    assert trail.steps == sorted(trail.steps)
    np.testing.assert_array_equal(trail.points()[-1], [29, 29, 29])
    trail.add(29, {"l.weight": np.zeros(3)})              # the same step: kept once
    assert trail.steps.count(29) == 1
    trail.add(2, {"l.weight": np.zeros(3)})               # a reset
    assert trail.steps == [2]


def test_buffers_are_left_out():
    trail = WeightTrail(["a.weight"])
    trail.add(1, {"a.weight": np.ones((2, 2)), "bn.running_mean": np.ones(5)})
    assert trail.points().shape == (1, 4)
    with pytest.raises(KeyError):
        trail.add(2, {"b.weight": np.ones(4)})

