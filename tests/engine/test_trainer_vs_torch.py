"""The Trainer's own path (fast and general) against PyTorch, for every output activation: the
weights after a few full-batch SGD steps agree to float64 rounding."""
import numpy as np
import pytest

from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config
from playground.engine.activations import RECORDS

torch = pytest.importorskip("torch")
OUTPUTS = [n for n, r in RECORDS.items() if r.torch_module]
rng = np.random.default_rng(5)
X = rng.normal(0, 1, (20, 3))
LABELS = (X[:, 0] - X[:, 1] > 0).astype(np.int64)


def _torch_act(name, alpha):
    cls, kwargs = RECORDS[name].torch_module
    return getattr(torch.nn, cls)(**{k: alpha if v == "alpha" else v for k, v in kwargs.items()})


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("name", OUTPUTS)
def test_trainer_steps_equal_pytorch(name, fast):
    alpha = 0.3 if RECORDS[name].params else None
    units = 2 if name == "softmax" else 1
    loss = {"sigmoid": "bce", "softmax": "cce"}.get(name, "mse")
    spec = {"input_shape": [3], "layers": [
        {"type": "dense", "units": 4, "activation": "tanh"},
        {"type": "dense", "units": units, "activation": name,
         **({"alpha": alpha} if alpha is not None else {})}]}
    net = Network.from_spec(spec, seed=7, dtype="float64")
    start = net.get_weights()
    trainer = Trainer(net, TrainingSettings(loss=loss, optimizer=optimizer_config("sgd", lr=0.2),
                                            batch_size="full"),
                      TrainData(X, LABELS), fast_path=fast)
    trainer.run(6)

    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, units),
                                _torch_act(name, alpha)).double()
    with torch.no_grad():
        for i, layer_id in ((0, "dense1"), (2, "dense2")):
            model[i].weight.copy_(torch.from_numpy(start[f"{layer_id}.weight"]))
            model[i].bias.copy_(torch.from_numpy(start[f"{layer_id}.bias"]))
    opt = torch.optim.SGD(model.parameters(), lr=0.2)
    x, labels = torch.from_numpy(X), torch.from_numpy(LABELS)
    for _ in range(6):
        opt.zero_grad()
        y = model(x)
        if loss == "bce":
            value = torch.nn.functional.binary_cross_entropy(y[:, 0], labels.double())
        elif loss == "cce":
            value = torch.nn.functional.nll_loss(torch.log(y), labels)
        else:
            value = torch.nn.functional.mse_loss(y[:, 0], labels.double())
        value.backward()
        opt.step()
    for i, layer_id in ((0, "dense1"), (2, "dense2")):
        np.testing.assert_allclose(net.parameters()[f"{layer_id}.weight"],
                                   model[i].weight.detach().numpy(), rtol=1e-9, atol=1e-11)
    assert trainer.fast_path == (fast and RECORDS[name].kernel_ready)
