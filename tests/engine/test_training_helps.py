"""Ring 1: training helps - on the app's own datasets, with the notes' learning rules."""
import numpy as np
import pytest

from playground.data import default_recipe, expand, make_dataset
from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config


def dataset(name, seed, **recipe):
    return make_dataset({**default_recipe(name), "seed": seed, **recipe})


def binary_trainer(d, features, widths, seed, lr=0.01, **settings):
    layers = [{"type": "dense", "units": w, "activation": "tanh"} for w in widths]
    layers.append({"type": "dense", "units": 1, "activation": "sigmoid"})
    net = Network.from_spec({"input_shape": [len(features)], "layers": layers}, seed=seed)
    settings = TrainingSettings(optimizer=optimizer_config("adam", lr=lr), batch_size=10, seed=seed,
                                **settings)
    data = TrainData(expand(d.x_train, features), d.y_train, expand(d.x_test, features), d.y_test,
                     "classification", 2)
    return Trainer(net, settings, data)


@pytest.mark.parametrize("seed", [0, 7, 21])
def test_xor_needs_a_hidden_layer_and_reaches_95_percent(seed):
    d = dataset("xor", seed)
    trainer = binary_trainer(d, ["x1", "x2"], [8, 8], seed)
    for _ in range(60):
        trainer.run_epoch()
    assert trainer.history[-1]["test_accuracy"] >= 0.95
    linear = binary_trainer(d, ["x1", "x2"], [], seed)  # logistic regression cannot draw XOR
    for _ in range(40):
        linear.run_epoch()
    assert linear.history[-1]["test_accuracy"] < 0.8


@pytest.mark.parametrize("seed", [0, 5, 13])
def test_spiral_reaches_95_percent(seed):
    trainer = binary_trainer(dataset("spiral", seed), ["x1", "x2", "sin_x1", "sin_x2"], [8, 8], seed)
    for _ in range(200):
        trainer.run_epoch()
    assert trainer.history[-1]["test_accuracy"] >= 0.95


def test_three_class_spiral_with_softmax():
    d = dataset("spiral3", 0)
    spec = {"input_shape": [2], "layers": [
        {"type": "dense", "units": 32, "activation": "relu"},
        {"type": "dense", "units": 32, "activation": "relu"},
        {"type": "dense", "units": 3, "activation": "softmax"}]}
    net = Network.from_spec(spec, seed=0)
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer_config("adam", lr=0.01), batch_size=16),
                      TrainData(d.x_train, d.y_train, d.x_test, d.y_test, "classification", 3))
    for _ in range(150):
        trainer.run_epoch()
    assert trainer.loss_name == "cce"
    assert trainer.history[-1]["test_accuracy"] >= 0.9


def rule_trainer(rule, lr, seed=0):
    d = dataset("linear", seed)
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 1, "activation": "step",
                                            "init": "zeros"}]}
    net = Network.from_spec(spec, seed=seed)
    settings = TrainingSettings(optimizer=optimizer_config("sgd", lr=lr), batch_size=1, rule=rule,
                                seed=seed)
    return Trainer(net, settings, TrainData(d.x_train, d.y_train, d.x_test, d.y_test))


@pytest.mark.parametrize("seed", [0, 3])
def test_perceptron_converges_on_separable_data_and_counts_its_mistakes(seed):
    trainer = rule_trainer("perceptron", 0.1, seed)
    for _ in range(100):
        trainer.run_epoch()
        if trainer.history[-1]["mistakes"] == 0:
            break
    mistakes = [h["mistakes"] for h in trainer.history]
    assert mistakes[0] > 0            # it starts wrong (zero weights) and learns from mistakes
    assert mistakes[-1] == 0          # a full epoch without a mistake: converged
    assert trainer.history[-1]["train_accuracy"] == 1.0


def test_perceptron_update_is_the_notes_rule():
    """W <- W + eta (y - y_hat) x, one sample at a time, starting from zero weights."""
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 1, "activation": "step",
                                            "init": "zeros"}]}
    net = Network.from_spec(spec)
    x = np.array([[1.0, 2.0], [-1.0, -3.0]], np.float32)
    y = np.array([0, 1])
    settings = TrainingSettings(optimizer=optimizer_config("sgd", lr=0.5), batch_size=2,
                                rule="perceptron")
    trainer = Trainer(net, settings, TrainData(x, y))
    order = trainer._order.copy()
    trainer.step()
    w, b = np.zeros(2), 0.0
    for i in order:
        y_hat = 1.0 if w @ x[i] + b >= 0 else 0.0
        w, b = w + 0.5 * (y[i] - y_hat) * x[i], b + 0.5 * (y[i] - y_hat)
    np.testing.assert_allclose(net.parameters()["dense1.weight"][0], w)
    np.testing.assert_allclose(net.parameters()["dense1.bias"][0], b)


@pytest.mark.parametrize("rule", ["adaline", "adaline_normalized"])
def test_adaline_rules_learn_the_separable_set(rule):
    trainer = rule_trainer(rule, 0.01)
    for _ in range(30):
        trainer.run_epoch()
    assert trainer.history[-1]["test_accuracy"] >= 0.95


def test_rules_refuse_a_hidden_layer():
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 4},
                                           {"type": "dense", "units": 1}]}
    with pytest.raises(ValueError, match="single dense layer"):
        Trainer(Network.from_spec(spec), TrainingSettings(rule="perceptron"),
                TrainData(np.zeros((4, 2)), np.zeros(4)))


def test_one_hidden_layer_approximates_sine():
    d = dataset("sine", 0)
    spec = {"input_shape": [1], "layers": [{"type": "dense", "units": 16, "activation": "tanh"},
                                           {"type": "dense", "units": 1}]}
    net = Network.from_spec(spec, seed=0)
    trainer = Trainer(net, TrainingSettings(optimizer=optimizer_config("adam", lr=0.02),
                                            batch_size="full"),
                      TrainData(d.x_train, d.y_train, d.x_test, d.y_test, "regression", 0))
    trainer.run(3000)
    assert trainer.history[-1]["test_mse"] < 0.01
    assert trainer.history[-1]["test_r2"] > 0.97
