"""fit.py: the fixes the banner offers are real edits that make the project train, and a rebuild
keeps the weights that still fit (a first layer keeps the columns of the features that stayed)."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network
from playground.project import Project, build_session
from playground.project.examples import load_example
from playground.project.fit import FitError, carry_weights, follow_input, suggest_fixes
from playground.project.session import expected_input, load_dataset


def fixes_for(example: str, recipe: dict, features: list[str]):
    """Switch ``example`` to new data the way the Data panel does (the input follows)."""
    p = load_example(example)
    p.dataset, p.features = recipe, features
    p.network = follow_input(p.network, expected_input(load_dataset(recipe), features))
    with pytest.raises(FitError) as caught:
        build_session(p)
    return p, caught.value.fixes


def trains(p: Project) -> bool:
    trainer = build_session(p).trainer
    first, later = trainer.run(1), trainer.run(30)
    return bool(np.isfinite(later) and later != first)


def test_the_lenet_template_for_images_on_a_dense_network():
    p, fixes = fixes_for("spiral", {"name": "stroke_digits", "n": 200}, [])
    labels = [f.label for f in fixes]
    assert labels == ["Add flatten and use 10 outputs with softmax", "Start from the LeNet template"]
    lenet = fixes[1].network
    assert [c["type"] for c in lenet["layers"]][:4] == ["conv2d", "maxpool2d", "conv2d", "maxpool2d"]
    assert lenet["layers"][-1]["units"] == 10 and lenet["layers"][-1]["activation"] == "softmax"
    for fix in fixes:
        p.network = fix.network
        assert trains(p), fix.label


def test_lenet_adapts_to_colour_images_and_their_classes():
    p, fixes = fixes_for("spiral", {"name": "shapes", "color": "rgb", "n": 60}, [])
    lenet = next(f for f in fixes if f.kind == "template").network
    assert lenet["input_shape"] == [3, 32, 32]
    assert lenet["layers"][-1]["units"] == 5           # the shapes' five classes
    p.network = lenet
    assert trains(p)


def test_convolutions_on_points_are_offered_a_dense_network():
    p, fixes = fixes_for("lenet_digits", {"name": "spiral"}, ["x1", "x2"])
    assert [f.label for f in fixes] == ["Start from the dense template"]
    p.network = fixes[0].network
    assert Network.from_spec(p.network).input_shape == (2,)
    assert trains(p)


def test_no_fix_is_offered_that_would_not_build():
    # an autoencoder whose output is not its input: no simple edit, so no button
    p = load_example("dense_autoencoder")
    ds = load_dataset(p.dataset)
    spec = follow_input(p.network, [5])          # the input would be fixed, but not the output
    spec["layers"][-1]["units"] = 7
    assert suggest_fixes(spec, ds, expected_input(ds, p.features), reconstruct=True) == []


def test_carry_weights_keeps_what_fits_and_maps_feature_columns():
    old_net = Network.from_spec({"input_shape": [2], "layers": [
        {"type": "dense", "units": 3, "activation": "tanh"}, {"type": "dense", "units": 1}]}, seed=1)
    old = old_net.get_weights()
    new_net = Network.from_spec({"input_shape": [3], "layers": [
        {"type": "dense", "units": 3, "activation": "tanh"}, {"type": "dense", "units": 1}]}, seed=2)
    fresh_column = new_net.get_weights()["dense1.weight"][:, 0].copy()
    fresh = carry_weights(old, new_net, ["x1", "x2"], ["x1^2", "x2", "x1"])
    w = new_net.get_weights()
    assert fresh == ["dense1.weight"]                  # partly kept: it says so
    np.testing.assert_array_equal(w["dense1.weight"][:, 1], old["dense1.weight"][:, 1])  # x2
    np.testing.assert_array_equal(w["dense1.weight"][:, 2], old["dense1.weight"][:, 0])  # x1
    np.testing.assert_array_equal(w["dense1.weight"][:, 0], fresh_column)   # x1² starts fresh
    for key in ("dense1.bias", "dense2.weight", "dense2.bias"):
        np.testing.assert_array_equal(w[key], old[key])


def test_session_keeps_the_fitting_weights_and_says_what_it_chose():
    p = load_example("xor")
    trained = build_session(p)
    trained.trainer.run(50)
    weights = trained.network.get_weights()
    p.features = ["x1", "x2", "x1x2"]
    p.network = follow_input(p.network, [3])
    session = build_session(p, carry=(weights, ["x1", "x2"]))
    np.testing.assert_array_equal(session.network.get_weights()["dense2.weight"],
                                  weights["dense2.weight"])
    assert "dense1.weight" not in session.kept and "dense2.weight" in session.kept
    assert any("starts X1X2 from fresh random weights" in n for n in session.notes)
