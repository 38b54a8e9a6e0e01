"""Each classic rule records its own numbers: the perceptron its mistakes per epoch, ADALINE the
mean squared error of z (what the rule minimises), the unit-norm variant the ||x|| it divides by."""
import numpy as np
import pytest

from playground.project.examples import load_example
from playground.project.session import build_session


def trainer_for(rule):
    project = load_example("adaline")
    project.training.rule = rule
    return build_session(project).trainer


@pytest.mark.parametrize("rule", ["adaline", "adaline_normalized"])
def test_adaline_curve_is_the_mse_of_z_not_of_the_thresholded_output(rule):
    trainer = trainer_for(rule)
    start = trainer.evaluate()["train_loss"]
    for _ in range(40):
        trainer.run_epoch()
    last = trainer.history[-1]
    assert last["train_accuracy"] == 1.0                 # separated: the thresholded error is 0 ...
    w = trainer.net.parameters()["dense1.weight"].astype(np.float64)
    b = trainer.net.parameters()["dense1.bias"].astype(np.float64)
    z = trainer.x_train.astype(np.float64) @ w.T + b
    target = 2.0 * trainer.y_train.reshape(-1, 1) - 1.0
    expected = float(np.mean((target - z) ** 2))
    assert last["train_loss"] == pytest.approx(expected, rel=1e-6)
    assert last["train_loss"] > 0.01                     # ... but z is not exactly +-1: it reads > 0
    assert last["train_loss"] < start / 2                # and it fell as the rule minimised it


def test_unit_norm_adaline_records_the_norms_of_x_it_divides_by():
    trainer = trainer_for("adaline_normalized")
    trainer.run_epoch()
    norms = np.linalg.norm(trainer.x_train.astype(np.float64), axis=1)
    record = trainer.history[-1]
    assert record["x_norm_mean"] == pytest.approx(norms.mean())
    assert record["x_norm_min"] == pytest.approx(norms.min())
    assert record["x_norm_max"] == pytest.approx(norms.max())
    assert "x_norm_mean" not in trainer_for("adaline").history     # only the variant that uses it


def test_perceptron_records_mistakes_and_its_error_rate():
    trainer = build_session(load_example("perceptron")).trainer
    for _ in range(5):
        trainer.run_epoch()
    record = trainer.history[-1]
    assert isinstance(record["mistakes"], int)
    assert record["train_loss"] == pytest.approx(1 - record["train_accuracy"])
    assert trainer.snapshot().rule == "perceptron"
