"""Ring 1: the engine against PyTorch (same definitions): forward, backward and optimizer sequences."""
import numpy as np
import pytest

from playground.engine import Network, Trainer, TrainData, TrainingSettings, make_loss, make_optimizer

torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install torch==2.13.0")
nn = torch.nn

ACT = {"tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "relu": nn.ReLU, "identity": nn.Identity,
       "leaky_relu": lambda: nn.LeakyReLU(0.1), "softmax": lambda: nn.Softmax(dim=1)}


def torch_mlp(net):
    mods = []
    for layer in net.layers:
        lin = nn.Linear(layer.in_shape[0], layer.out_shape[0], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(layer.params["weight"]))
            lin.bias.copy_(torch.from_numpy(layer.params["bias"]))
        mods += [lin, ACT[layer.activation]()]
    return nn.Sequential(*mods)


SPEC = {"input_shape": [3], "layers": [
    {"type": "dense", "units": 7, "activation": "tanh"},
    {"type": "dense", "units": 5, "activation": "leaky_relu"},
    {"type": "dense", "units": 4, "activation": "softmax"}]}


def test_forward_backward_match_pytorch():
    net = Network.from_spec(SPEC, seed=2, dtype="float64")
    model = torch_mlp(net)
    x = np.random.default_rng(0).standard_normal((9, 3))
    labels = np.random.default_rng(1).integers(0, 4, 9)
    xt = torch.from_numpy(x).requires_grad_(True)
    out = model(xt)
    ref = nn.NLLLoss()(torch.log(out), torch.from_numpy(labels))
    ref.backward()
    y = net.forward(x)
    loss = make_loss("cce")
    value = loss.forward(y, labels)
    dx = net.backward(loss.backward())
    np.testing.assert_allclose(y, out.detach().numpy(), rtol=1e-10)
    assert value == pytest.approx(ref.item(), rel=1e-10)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-8, atol=1e-12)
    for i, layer in enumerate(net.layers):
        np.testing.assert_allclose(net.gradients()[f"{layer.id}.weight"],
                                   model[2 * i].weight.grad.numpy(), rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("loss_name, out_act, torch_loss", [
    ("bce", "sigmoid", nn.BCELoss), ("mse", "identity", nn.MSELoss)])
def test_bce_and_mse_gradients_match_pytorch(loss_name, out_act, torch_loss):
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 3, "activation": out_act}]}
    net = Network.from_spec(spec, seed=5, dtype="float64")
    model = torch_mlp(net)
    rng = np.random.default_rng(3)
    x, t = rng.standard_normal((6, 2)), rng.integers(0, 2, (6, 3)).astype(float)
    ref = torch_loss()(model(torch.from_numpy(x)), torch.from_numpy(t))
    ref.backward()
    loss = make_loss(loss_name)
    assert loss.forward(net.forward(x), t) == pytest.approx(ref.item(), rel=1e-10)
    net.backward(loss.backward())
    np.testing.assert_allclose(net.gradients()["dense1.weight"], model[0].weight.grad.numpy(),
                               rtol=1e-8, atol=1e-12)


OPTIMIZERS = [
    ({"type": "sgd", "lr": 0.1}, lambda p: torch.optim.SGD(p, lr=0.1)),
    ({"type": "momentum", "lr": 0.05, "rho": 0.9}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    ({"type": "rmsprop", "lr": 0.01, "alpha": 0.95, "eps": 1e-8},
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.95, eps=1e-8)),
    ({"type": "adam", "lr": 0.01}, lambda p: torch.optim.Adam(p, lr=0.01)),
    ({"type": "adam", "lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.05,
      "amsgrad": True}, lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6,
                                                   weight_decay=0.05, amsgrad=True)),
    ({"type": "adam", "lr": 0.01, "maximize": True},
     lambda p: torch.optim.Adam(p, lr=0.01, maximize=True)),
]


@pytest.mark.parametrize("ours, theirs", OPTIMIZERS, ids=lambda c: getattr(c, "get", lambda k: "")("type"))
def test_optimizer_sequences_match_pytorch(ours, theirs):
    net = Network.from_spec(SPEC, seed=7, dtype="float64")
    model = torch_mlp(net)
    opt = make_optimizer(ours, net.parameters())
    topt = theirs(model.parameters())
    rng = np.random.default_rng(4)
    for _ in range(12):
        x, labels = rng.standard_normal((8, 3)), rng.integers(0, 4, 8)
        loss = make_loss("cce")
        loss.forward(net.forward(x), labels)
        net.backward(loss.backward())
        opt.step(net.gradients())
        topt.zero_grad()
        nn.NLLLoss()(torch.log(model(torch.from_numpy(x))), torch.from_numpy(labels)).backward()
        topt.step()
    for i, layer in enumerate(net.layers):
        np.testing.assert_allclose(layer.params["weight"], model[2 * i].weight.detach().numpy(),
                                   rtol=1e-9, atol=1e-12)


def test_trainer_with_l2_matches_pytorch_weight_penalty():
    """L2 with rate r adds r/2 sum w^2 to the loss (weights only, not biases)."""
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 1, "activation": "sigmoid"}]}
    net = Network.from_spec(spec, seed=1, dtype="float64")
    model = torch_mlp(net)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((16, 2)), rng.integers(0, 2, 16)
    settings = TrainingSettings(optimizer={"type": "sgd", "lr": 0.5}, regularization="l2",
                                reg_rate=0.1, batch_size="full")
    Trainer(net, settings, TrainData(x, y)).run(5)
    topt = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(5):
        topt.zero_grad()
        out = model(torch.from_numpy(x))
        loss = nn.BCELoss()(out, torch.from_numpy(y.astype(float)).reshape(-1, 1))
        (loss + 0.05 * (model[0].weight ** 2).sum()).backward()
        topt.step()
    np.testing.assert_allclose(net.parameters()["dense1.weight"], model[0].weight.detach().numpy(),
                               rtol=1e-10)
