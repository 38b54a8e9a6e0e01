"""The loss-landscape plane through a live network's weights (Li et al. 2018)."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings
from playground.labs import landscape_plane

SPEC = {"input_shape": [2], "layers": [{"type": "dense", "units": 6, "activation": "tanh"},
                                       {"type": "dense", "units": 1, "activation": "sigmoid"}]}


@pytest.fixture
def trained():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(120, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    net = Network.from_spec(SPEC, seed=1, dtype="float64")
    settings = TrainingSettings(optimizer={"type": "adam", "lr": 0.02}, batch_size=10)
    trainer = Trainer(net, settings, TrainData(x, y))
    trainer.run(200)
    return net, trainer


def test_origin_is_the_current_training_loss(trained):
    net, trainer = trained
    before = net.get_weights()
    plane = landscape_plane(net, trainer.data, "auto", seed=5, extent=1.0, n=11)
    assert plane.losses[5, 5] == pytest.approx(trainer.evaluate()["train_loss"], rel=1e-12)
    for key, w in net.get_weights().items():               # the network is left as it was
        np.testing.assert_array_equal(w, before[key])


def test_a_point_on_the_plane_is_the_loss_with_the_weights_moved_there(trained):
    net, trainer = trained
    plane = landscape_plane(net, trainer.data, "bce", seed=5, extent=1.0, n=11)
    for i, j in [(5, 9), (0, 5), (2, 8)]:                  # along d1, along d2, both
        np.copyto(net.flat_params, plane.weights_at(plane.alphas[j], plane.betas[i]))
        assert plane.losses[i, j] == pytest.approx(trainer.evaluate()["train_loss"], rel=1e-12)
    assert plane.losses.max() > 2 * plane.losses[5, 5]     # the plane is not flat


def test_directions_are_filter_normalised_and_leave_biases(trained):
    net, trainer = trained
    plane = landscape_plane(net, trainer.data, seed=2, n=3)
    offset = 0
    for key, w in net.parameters().items():
        for d in plane.directions:
            part = d[offset:offset + w.size].reshape(w.shape[0], -1)
            if key.endswith(".bias"):
                assert not part.any()
            else:
                np.testing.assert_allclose(np.linalg.norm(part, axis=1),
                                           np.linalg.norm(w.reshape(w.shape[0], -1), axis=1))
        offset += w.size
    other = landscape_plane(net, trainer.data, seed=3, n=3)
    assert not np.allclose(plane.directions, other.directions)


def test_a_trajectory_projects_onto_its_plane_coordinates(trained):
    net, trainer = trained
    plane = landscape_plane(net, trainer.data, seed=5, n=3)
    points = [(0.0, 0.0), (0.3, -0.2), (-0.7, 0.9)]
    weights = [plane.weights_at(a, b) for a, b in points]
    np.testing.assert_allclose(plane.project(weights), points, atol=1e-9)
    origin = net.flat_params.copy()
    as_dicts = []
    for w in weights:                                      # get_weights() dicts work as well
        np.copyto(net.flat_params, w)
        as_dicts.append(net.get_weights())
    np.copyto(net.flat_params, origin)
    again = landscape_plane(net, trainer.data, seed=5, n=3, trajectory=as_dicts)
    np.testing.assert_allclose(again.trajectory, points, atol=1e-9)
