"""Every optimizer setting is checked against its real domain, with a message naming it."""
from __future__ import annotations

import pytest

from playground.engine import TrainingSettings, optimizer_config

BAD = [
    ("adam", "eps", 0), ("adam", "eps", -1e-8), ("rmsprop", "eps", 0.0),
    ("sgd", "lr", 0), ("adam", "lr", float("inf")), ("momentum", "lr", float("nan")),
    ("momentum", "rho", 1.0), ("momentum", "rho", -0.1), ("rmsprop", "alpha", 1),
    ("adam", "weight_decay", -0.01), ("adam", "betas", [0.9, 1.0]), ("adam", "betas", [-0.1, 0.9]),
    ("adam", "amsgrad", 1), ("adam", "eps", 10 ** 400),
]


@pytest.mark.parametrize("kind,key,value", BAD)
def test_a_setting_outside_its_domain_is_refused_by_name(kind, key, value):
    with pytest.raises(ValueError) as info:
        TrainingSettings.from_dict({"optimizer": optimizer_config(kind, **{key: value})})
    assert (key if key != "lr" else "learning rate") in str(info.value)


@pytest.mark.parametrize("kind,key,value", [("adam", "eps", 1e-12), ("momentum", "rho", 0.0),
                                            ("rmsprop", "alpha", 0.999), ("adam", "weight_decay", 0),
                                            ("adam", "betas", [0.0, 0.999])])
def test_edge_values_inside_the_domain_are_accepted(kind, key, value):
    settings = TrainingSettings.from_dict({"optimizer": optimizer_config(kind, **{key: value})})
    assert settings.optimizer[key] == value


@pytest.mark.parametrize("seed", [-1, 2 ** 32, 10 ** 30, True, 1.5])
def test_a_seed_numpy_cannot_use_is_refused(seed):
    with pytest.raises(ValueError, match="seed"):
        TrainingSettings.from_dict({"seed": seed})


def test_the_largest_seed_is_accepted():
    assert TrainingSettings.from_dict({"seed": 2 ** 32 - 1}).seed == 2 ** 32 - 1
