"""The "continue training in PyTorch" part of an exported model's docstring: Playground's training
settings translated into PyTorch's loss, optimizer and data loader, with the reasons where they
differ (notes chapter 2; engine/losses.py, optimizers.py and regularization.py)."""
from __future__ import annotations

from ..engine.losses import auto_loss
from ..engine.settings import TrainingSettings

_LOSS_TEXT = {
    "mse": ("loss_fn = nn.MSELoss()",
            "Playground's MSE is the mean of (y - t)^2 over every element: nn.MSELoss's default."),
    "bce": ("loss_fn = nn.BCELoss()",
            "Playground's BCE is the mean over every element of -[t log y + (1 - t) log(1 - y)] on\n"
            "the sigmoid's output: nn.BCELoss's default. Numerically safer: remove the final sigmoid\n"
            "from forward() and use nn.BCEWithLogitsLoss(), which gives the same value."),
    "cce": ("loss_fn = lambda y, labels: nn.functional.nll_loss(torch.log(y), labels)",
            "Playground's CCE is -sum_k t_k log y_k on the softmax's output, averaged over the batch.\n"
            "The model ends in a softmax, so take its log and use nn.NLLLoss with class labels\n"
            "(one-hot targets t: loss = -(t * torch.log(y)).sum(1).mean()). Numerically safer:\n"
            "remove the final softmax from forward() so the model outputs logits, and use\n"
            "nn.CrossEntropyLoss(), which applies log-softmax itself: same value, same gradients."),
}


def _optimizer_line(opt: dict) -> tuple[str, str]:
    kind = opt["type"]
    if kind == "sgd":
        return f"torch.optim.SGD(groups, lr={opt['lr']!r})", "theta <- theta - lr g, as Playground."
    if kind == "momentum":
        return (f"torch.optim.SGD(groups, lr={opt['lr']!r}, momentum={opt['rho']!r})",
                "Playground's momentum v <- rho v + lr g, theta <- theta - v equals PyTorch's\n"
                "b <- rho b + g, theta <- theta - lr b (v = lr b) while lr stays constant.")
    if kind == "rmsprop":
        return (f"torch.optim.RMSprop(groups, lr={opt['lr']!r}, alpha={opt['alpha']!r}, "
                f"eps={opt['eps']!r})",
                "s <- alpha s + (1 - alpha) g^2, theta <- theta - lr g / (sqrt(s) + eps): the same\n"
                "update as Playground's.")
    betas = tuple(opt["betas"])
    return (f"torch.optim.Adam(groups, lr={opt['lr']!r}, betas={betas!r}, eps={opt['eps']!r}, "
            f"weight_decay={opt['weight_decay']!r}, amsgrad={opt['amsgrad']!r}, "
            f"maximize={opt['maximize']!r})",
            "Playground's Adam is torch.optim.Adam's algorithm, hyperparameter for hyperparameter.")


def _regularization(settings: TrainingSettings) -> tuple[str, str]:
    """(param-group code, explanation). Penalties apply to weights only, never biases."""
    rate = settings.reg_rate
    # Adam's own weight_decay applies to every parameter; a group's value replaces it, so add
    base = float(settings.optimizer.get("weight_decay", 0.0))
    split = ("weights = [p for n, p in model.named_parameters() if n.endswith('weight')]\n"
             "biases = [p for n, p in model.named_parameters() if n.endswith('bias')]\n")
    if settings.regularization == "l2" and rate > 0:
        return (split + f"groups = [{{'params': weights, 'weight_decay': {base + rate!r}}},\n"
                        f"          {{'params': biases, 'weight_decay': {base!r}}}]",
                f"L2 with rate {rate!r}: Playground adds rate/2 sum w^2 over the weights (not the\n"
                f"biases), whose gradient rate w is exactly PyTorch's weight_decay={rate!r} on the\n"
                f"weights' parameter group.")
    if settings.regularization == "l1" and rate > 0:
        return (split + "groups = weights + biases",
                f"L1 with rate {rate!r}: PyTorch has no built-in, so the loop below adds\n"
                f"Playground's penalty rate sum |w| over the weights (not the biases) to the loss.")
    return "groups = model.parameters()", "No regularization."


def _loss_lines(settings: TrainingSettings) -> str:
    line = "loss = loss_fn(model(x), t)"
    if settings.regularization == "l1" and settings.reg_rate > 0:
        line += f"\nloss = loss + {settings.reg_rate!r} * sum(w.abs().sum() for w in weights)"
    return line


def training_docstring(settings: TrainingSettings | dict | None, output_activation: str,
                       class_name: str) -> str:
    """Text for the generated module's docstring: how to go on training this model in PyTorch."""
    if settings is None:
        settings, origin = TrainingSettings(), "Playground's default training settings"
    else:
        if isinstance(settings, dict):
            settings = TrainingSettings.from_dict(settings)
        origin = "the project's training settings"
    loss = settings.loss if settings.loss != "auto" else auto_loss(output_activation)
    loss_code, loss_why = _LOSS_TEXT[loss]
    opt_code, opt_why = _optimizer_line(settings.optimizer)
    groups_code, reg_why = _regularization(settings)
    batch = ("len(dataset)  # \"full\": batch gradient descent" if settings.batch_size == "full"
             else repr(settings.batch_size))
    rule = ("" if settings.rule == "backprop" else
            f"\nPlayground trained this network with the {settings.rule} rule, not backpropagation;\n"
            f"PyTorch has no such rule built in, so the loop below trains it with backpropagation.\n")
    return f"""Continue training in PyTorch
----------------------------
From {origin}:

Loss: {loss_why}
Optimizer: {opt_why}
Regularization: {reg_why}
{rule}
    model = {class_name}().load_weights()
    {loss_code}
    {_indent(groups_code, 4)}
    optimizer = {opt_code}
    torch.manual_seed({settings.seed!r})
    loader = torch.utils.data.DataLoader(dataset, batch_size={batch}, shuffle=True)
    for epoch in range(10):
        model.train()
        for x, t in loader:
            optimizer.zero_grad()
            {_indent(_loss_lines(settings), 12)}
            loss.backward()
            optimizer.step()

``dataset`` is any torch.utils.data.Dataset of (input, target) pairs, e.g.
torch.utils.data.TensorDataset(torch.tensor(inputs), torch.tensor(targets)).
"""


def _indent(text: str, spaces: int) -> str:
    return text.replace("\n", "\n" + " " * spaces)
