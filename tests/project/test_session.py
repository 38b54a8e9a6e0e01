"""build_session: the data, the features, painted points, autoencoders, saved weights, and clear
errors when the network does not fit the data."""
from __future__ import annotations

import numpy as np
import pytest

from playground.data.features import expand
from playground.engine import Network, TrainingSettings
from playground.project import Project, ProjectError, build_session
from playground.project.fit import FitError
from playground.project.session import CURVE_SIDE, GRID_RESOLUTION


def spec(inputs, *layers):
    return {"format": "playground-network", "version": 1, "input_shape": inputs,
            "layers": [{"type": "dense", "units": u, "activation": a} for u, a in layers]}


def project(network, dataset, features=("x1", "x2"), **kw):
    return Project(network=network, dataset=dataset, features=list(features), **kw)


def test_features_expand_the_data_and_the_grid():
    feats = ["x1", "x2", "x1x2", "sin_x1"]
    session = build_session(project(spec([4], (1, "sigmoid")), {"name": "xor", "n": 100}, feats))
    x = session.trainer.x_train
    assert x.shape == (50, 4)
    np.testing.assert_allclose(x, expand(session.dataset.x_train, feats))
    assert session.grid_points.shape == (GRID_RESOLUTION ** 2, 2)
    np.testing.assert_allclose(session.trainer.grid, expand(session.grid_points, feats))
    snap = session.trainer.snapshot()
    assert snap.grid_outputs["output"].shape == (1, GRID_RESOLUTION, GRID_RESOLUTION)


@pytest.mark.parametrize("network, dataset, message, fix", [
    (spec([2], (1, "sigmoid")), {"name": "spiral3"}, "the data has 3 classes but the last layer has 1 "
                                                     "unit: use 3 units with softmax",
     "Use 3 outputs with softmax"),
    (spec([3], (1, "sigmoid")), {"name": "xor"}, "input takes 3 values but 2 input features",
     "Set the input to 2"),
    (spec([2], (4, "sigmoid")), {"name": "xor"}, "2 classes but the last layer has 4 units",
     "Use 1 output with sigmoid"),
    (spec([2], (1, "softmax")), {"name": "xor"}, "softmax over a single unit",
     "Use 1 output with sigmoid"),
    (spec([2], (1, "sigmoid")), {"name": "multilabel"}, "3 labels per example .* use 3 units with "
                                                        "sigmoid", "Use 3 outputs with sigmoid"),
    (spec([2], (2, "identity")), {"name": "plane"}, "1 target but the last layer has 2 units",
     "Use 1 output with no activation"),
    (spec([2], (1, "identity")), {"name": "sine"}, "input is 2 but the data is 1",
     "Set the input to 1"),
    (spec([2], (1, "sigmoid")), {"name": "stroke_digits", "n": 40}, "input is 2 but the data is "
     "1x28x28", "Set the input to 1x28x28 and add flatten and use 10 outputs with softmax"),
])
def test_networks_that_do_not_fit_the_data_come_with_a_fix_that_works(network, dataset, message,
                                                                        fix):
    """The banner's first button is the error's first fix: applying it makes the project train."""
    p = project(network, dataset, [] if dataset["name"] in ("sine", "stroke_digits") else
                ("x1", "x2"))
    with pytest.raises(FitError, match=message) as caught:
        build_session(p)
    assert caught.value.fix is not None and caught.value.fix.label == fix
    p.network = caught.value.fix.network
    session = build_session(p)
    before = session.trainer.run(1)
    after = session.trainer.run(20)
    assert np.isfinite(after) and after != before


def test_image_network_without_flatten_is_told_to_add_one():
    net = {"format": "playground-network", "version": 1, "input_shape": [1, 12, 12],
           "layers": [{"type": "conv2d", "filters": 10, "kernel_size": 3}]}
    with pytest.raises(ProjectError, match="flatten and a dense layer of 10"):
        build_session(project(net, {"name": "stroke_digits", "n": 40, "size": 12}, []))


def test_rules_need_a_single_unit():
    p = project(spec([2], (4, "tanh"), (1, "step")), {"name": "linear"},
                training=TrainingSettings(rule="perceptron"))
    with pytest.raises(ProjectError, match="single dense layer"):
        build_session(p)


def test_bad_recipe_is_a_project_error():
    with pytest.raises(ProjectError, match="nosie"):
        build_session(project(spec([2], (1, "sigmoid")), {"name": "xor", "nosie": 0.1}))


def test_painted_points_join_the_training_set():
    painted = [[1.0, 2.0, 0], [-3.0, 4.0, 1], [9.0, 0.0, 1]]
    plain = build_session(project(spec([2], (1, "sigmoid")), {"name": "xor", "n": 50}))
    session = build_session(project(spec([2], (1, "sigmoid")),
                                    {"name": "xor", "n": 50, "painted": painted}))
    assert session.dataset.n_train == plain.dataset.n_train + 3
    np.testing.assert_allclose(session.dataset.x_train[-3:], [[1, 2], [-3, 4], [6, 0]])  # clipped
    assert list(session.dataset.y_train[-3:]) == [0, 1, 1]
    assert session.trainer.x_train.shape[0] == plain.trainer.x_train.shape[0] + 3


def test_painted_points_on_a_curve_are_x_and_y():
    session = build_session(project(spec([1], (8, "tanh"), (1, "identity")),
                                    {"name": "sine", "n": 20, "painted": [[2.0, -0.5, 0]]}, []))
    assert session.dataset.x_train[-1, 0] == 2.0 and session.dataset.y_train[-1, 0] == -0.5


def test_painted_class_that_does_not_exist():
    with pytest.raises(ProjectError, match="class this data does not have"):
        build_session(project(spec([2], (1, "sigmoid")), {"name": "xor", "painted": [[0, 0, 5]]}))


def test_one_d_data_gets_a_fit_curve_grid():
    session = build_session(project(spec([1], (8, "tanh"), (1, "identity")), {"name": "sine"}, []))
    assert session.grid_points.shape == (CURVE_SIDE ** 2, 1)
    xs = session.grid_points[:, 0]
    assert xs[0] == -6 and xs[-1] == 6 and np.all(np.diff(xs) > 0)
    curve = session.trainer.snapshot().grid_outputs["output"].reshape(-1)
    np.testing.assert_allclose(curve, session.network.predict(session.grid_points)[:, 0], rtol=1e-5)


def test_reconstruct_makes_the_input_the_target():
    net = {"format": "playground-network", "version": 1, "input_shape": [1, 12, 12],
           "layers": [{"type": "flatten"}, {"type": "dense", "units": 2},
                      {"type": "dense", "units": 144, "activation": "sigmoid"},
                      {"type": "reshape", "shape": [1, 12, 12]}]}
    p = project(net, {"name": "stroke_digits", "n": 40, "size": 12, "reconstruct": True,
                      "shift": 2}, [])
    session = build_session(p)
    assert session.dataset.task == "regression" and session.trainer.augment is None
    np.testing.assert_array_equal(session.dataset.y_train, session.dataset.x_train.reshape(-1, 144))
    assert np.isfinite(session.trainer.run(3))
    net["layers"][2]["units"] = 100
    net["layers"][3]["shape"] = [1, 10, 10]
    with pytest.raises(ProjectError, match="must give back its input: the output has 100 values but "
                                           "the input has 144"):
        build_session(p)


def test_saved_weights_are_used_when_they_fit():
    net = spec([2], (3, "tanh"), (1, "sigmoid"))
    weights = Network.from_spec(net, seed=42).get_weights()
    session = build_session(project(net, {"name": "xor"}, weights=weights))
    for key, value in weights.items():
        np.testing.assert_array_equal(session.network.parameters()[key], value)
    weights["dense1.weight"] = np.zeros((3, 5), np.float32)
    session = build_session(project(net, {"name": "xor"}, weights=weights))
    assert any("do not fit" in note for note in session.notes)
