"""Divergence seen before it is infinite: a saturated run or exploding weights stop the run like a
NaN does, with the last healthy weights; healthy runs (every small example) never raise it."""
import numpy as np
import pytest

from playground.engine import Diverged, Network, TrainData, Trainer, TrainingSettings, optimizer_config
from playground.engine.divergence import LOSS_FACTOR, constant_loss
from playground.engine.losses import make_loss
from playground.project.examples import load_example
from playground.project.session import build_session

rng = np.random.default_rng(0)
X = rng.uniform(-6, 6, (240, 2)).astype(np.float32)
Y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
MLP = {"input_shape": [2], "layers": [
    {"type": "dense", "units": 12, "activation": "tanh"},
    {"type": "dense", "units": 12, "activation": "tanh"},
    {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def make(optimizer, fused=True, batch_size=10):
    net = Network.from_spec(MLP, seed=0)
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer, batch_size=batch_size),
                      TrainData(X[:160], Y[:160], X[160:], Y[160:], "classification", 2))
    if not fused:
        trainer._fused = None
    return trainer


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("kind", ["sgd", "adam"])
def test_a_saturated_run_stops_with_the_last_healthy_weights(kind, fused):
    # lr 10 saturates the sigmoid: the loss sits at BCE 30-60 with finite weights, for ever
    trainer = make(optimizer_config(kind, lr=10.0), fused)
    with pytest.raises(Diverged) as info:
        for _ in range(20):
            trainer.run_epoch()
    message = str(info.value)
    assert message.startswith(f"diverged at step {trainer.step_count}: the loss stayed over")
    assert "smaller learning rate" in message
    assert trainer.epoch < 8                                   # seen within a few epochs
    # the weights put back are those of the last healthy steps: the loss is near its start again
    assert trainer.evaluate()["train_loss"] < LOSS_FACTOR * trainer.watch.reference
    trainer.set_lr(0.01)                                       # and the run can go on
    trainer.run(300)


@pytest.mark.parametrize("fused", [True, False])
def test_exploding_weights_stop_the_run_with_the_starting_weights(fused):
    trainer = make(optimizer_config("sgd", lr=1e6), fused)
    start = trainer.net.flat_params.copy()
    with pytest.raises(Diverged) as info:
        trainer.run(200)
    assert "the weights grew" in str(info.value) and "smaller learning rate" in str(info.value)
    assert trainer.step_count < 50                             # the first check catches it
    np.testing.assert_array_equal(trainer.net.flat_params, start)


def test_the_reference_is_the_best_constant_prediction():
    t = np.array([[0.0], [1.0], [1.0], [1.0]])
    assert constant_loss(make_loss("mse"), t) == pytest.approx(0.1875)          # the variance
    p = 0.75
    assert constant_loss(make_loss("bce"), t) == pytest.approx(-(p * np.log(p) + (1 - p) * np.log(1 - p)))
    onehot = np.eye(3)[[0, 1, 2, 2]]
    freq = np.array([0.25, 0.25, 0.5])
    assert constant_loss(make_loss("cce"), onehot) == pytest.approx(-(freq * np.log(freq)).sum())


@pytest.mark.parametrize("name", ["perceptron", "adaline", "logistic_regression", "xor", "spiral",
                                  "spiral3", "multilabel", "universal_approximation",
                                  "regression_plane"])
def test_healthy_examples_train_long_without_an_alarm(name):
    trainer = build_session(load_example(name)).trainer
    start = trainer.evaluate()["train_loss"]
    trainer.run(6000)                                          # 240 epochs of 25 batches
    assert trainer.evaluate()["train_loss"] <= start          # they learn, and nothing stopped them


def test_weights_too_large_for_float32_are_named_not_blamed_on_the_learning_rate():
    net = Network.from_spec(MLP, seed=0)
    weights = net.get_weights()
    weights["dense1.weight"] = weights["dense1.weight"].astype(np.float64)
    weights["dense1.weight"][0, 0] = 1e39                      # finite in float64, inf in float32
    with np.errstate(over="ignore"):
        net.set_weights(weights)
    with pytest.raises(ValueError, match="not all finite numbers"):
        Trainer(net, TrainingSettings(), TrainData(X, Y))


def test_the_default_spirals_late_adam_jump_is_not_called_divergence():
    """Left running, the default project's Adam jumps after ~2,300 epochs (its loss goes to 4-13x
    the start for thousands of steps, the quirk the spiral's lesson describes). A run that has
    learned is not stopped for that: only NaN, infinity or exploding weights stop it."""
    from playground.project.examples import default_project
    from playground.project.session import build_session
    trainer = build_session(default_project()).trainer
    for _ in range(140):
        trainer.run(500)                       # 70,000 steps: past the jump at ~57,600
    assert trainer.step_count == 70_000


def test_a_new_learning_rate_must_show_again_that_it_learns():
    """After learning, a learning rate raised far too high saturates the loss: that is caught,
    because a new rate re-arms the loss rule."""
    from playground.project.examples import load_example
    from playground.project.session import build_session
    trainer = build_session(load_example("xor")).trainer
    trainer.run(3000)
    assert trainer.watch.learned
    trainer.set_lr(1e3)
    with pytest.raises(Diverged):
        trainer.run(5000)
