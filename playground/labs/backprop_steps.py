"""Backpropagation as a sequence of steps a student clicks through (notes 1.2.3-1.2.4; issue 11
section 2): the example, forward layer by layer, the loss, backward layer by layer, the gradients
and the plain-SGD update, each with its formula and the numbers it uses.

    net64 = float64_copy(spec, flat_params)       # the training network's weights, in float64
    trace = backprop_trace(net64, x, target, loss_name)
    steps = build_steps(trace, net64, lr=0.03, optimizer="adam")

Every array in a ``Step`` is one of ``trace``'s (or the network's weights, or a product of the two
named in the formula: g'(z), -lr * dL/dW); nothing is recomputed another way.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..engine import Network, activations
from ..engine.layers.common import WeightedLayer
from .backprop import BackpropTrace

KINDS = ("example", "forward", "loss", "backward", "gradient", "update")
SUP = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")

LOSS_FORMULAS = {
    "cce": "L = −Σₖ tₖ log ŷₖ   (cross-entropy of the softmax output)",
    "bce": "L = −[t log ŷ + (1 − t) log(1 − ŷ)]   (binary cross-entropy), averaged over outputs",
    "mse": "L = mean over outputs of (ŷ − t)²",
}
SGD_NOTE = ("This is the plain gradient-descent update of the notes, with this one example's "
            "gradient. Training averages the gradient over a mini-batch first")
OPTIMIZER_NOTE = ("Your optimizer is {name}: it does not step along −η·∂L/∂W directly but "
                  "transforms the gradient first (running averages of it and of its square, "
                  "notes chapter 2). Shown here is the plain SGD update ΔW = −η·∂L/∂W of the notes "
                  "with the same η")


def sup(m: int | str) -> str:
    """'⁽²⁾': the notes' layer superscript."""
    return f"⁽{str(m).translate(SUP)}⁾"


@dataclass
class Step:
    """One click of the stepper. ``layer`` indexes ``trace.layers`` (None for the example and the
    loss); ``arrays`` are the named numbers the step shows, in display order; ``focus`` names the
    array whose neurons (or maps) the canvas colours."""

    kind: str
    layer: int | None
    layer_id: str | None
    title: str
    formula: str
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    note: str = ""
    focus: str | None = None
    #: role ("input", "weight", "bias", "z", "y", "upstream", "gprime", "delta", "grad_w",
    #: "grad_b", "dw", "new_w", "next_weight", "next_delta") -> key in ``arrays``
    roles: dict[str, str] = field(default_factory=dict)
    #: the layer's type ("dense", "conv2d", "maxpool2d" ...), None for the example and the loss
    layer_type: str | None = None


def float64_copy(spec: dict, flat_params: np.ndarray) -> Network:
    """The network of ``spec`` with these weights, in float64 (the stepper's numbers are exact to
    1e-6 there; a float32 training network is the same network rounded)."""
    net = Network.from_spec(spec, seed=0, dtype="float64")
    if flat_params.shape != net.flat_params.shape:
        raise ValueError("the weights do not fit this network (it changed since they were read)")
    np.copyto(net.flat_params, flat_params)
    return net


def derivative(layer, z: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """g'(z) element by element, from the engine's own activation backward with dL/dy = 1; None
    for softmax, whose derivative is a matrix (its δ comes from the loss directly)."""
    act = getattr(layer, "activation", None)
    if act is None or not activations.get(act).elementwise:
        return None
    ones = np.ones((1,) + y.shape, y.dtype)
    return activations.backward(act, y[None], ones, getattr(layer, "alpha", None), z[None])[0]


def _names(trace: BackpropTrace) -> dict[int, str]:
    """Layer index -> the notes' m, counting only layers with weights or an activation."""
    names, m = {}, 0
    for k, rec in enumerate(trace.layers):
        if rec.activation is not None or rec.gradients:
            m += 1
            names[k] = str(m)
    return names


def build_steps(trace: BackpropTrace, network: Network, lr: float,
                optimizer: str = "sgd") -> list[Step]:
    """The whole walk: example, forward (every layer), loss, backward (every layer, last first),
    gradients and updates (every layer with weights, first to last, as the notes' summary)."""
    m = _names(trace)
    target = np.asarray(trace.target)
    what = (f"The target t is class {int(target)}." if target.ndim == 0
            and np.issubdtype(target.dtype, np.integer) else "")
    steps = [Step("example", None, None, "The example",
                  "x = the input, t = the target: one training example",
                  {"x": trace.x, "t": np.atleast_1d(np.asarray(trace.target))},
                  note=what + " Pick another by its number, or click a point on the Output map "
                  "(2-D data).")]
    steps += [_forward(trace, network, k, m) for k in range(len(trace.layers))]
    steps.append(_loss(trace, network))
    steps += [_backward(trace, network, k, m) for k in reversed(range(len(trace.layers)))]
    weighted = [k for k, rec in enumerate(trace.layers) if rec.gradients]
    steps += [_gradient(trace, k, m) for k in weighted]
    steps += [_update(trace, network, k, m, lr, optimizer) for k in weighted]
    for step in steps:
        if step.layer is not None:
            step.layer_type = trace.layers[step.layer].type
    return steps


def _prev(k: int, m: dict[int, str], trace: BackpropTrace) -> str:
    """The name of layer k's input: x for the first layer, y⁽ᵐ⁾ after a layer with weights or an
    activation, else the previous layer's id (pool1, flatten1)."""
    if k == 0:
        return "x"
    return f"y{sup(m[k - 1])}" if k - 1 in m else trace.layers[k - 1].id


def _forward(trace, network, k, m) -> Step:
    rec, layer = trace.layers[k], network.layers[k]
    mk, x = m.get(k, ""), _prev(k, m, trace)
    title = f"Forward: {rec.id}"
    if isinstance(layer, WeightedLayer):
        w, b = layer.params["weight"], layer.params.get("bias")
        act = rec.activation or "identity"
        conv = rec.type != "dense"
        op = "W{0} ∗ {1} + b{0}   (cross-correlation, notes 3.1)" if conv else "W{0} {1} + b{0}"
        formula = (f"z{sup(mk)} = " + op.format(sup(mk), x)
                   + f",   y{sup(mk)} = {act}(z{sup(mk)})")
        arrays = {x: rec.x, f"W{sup(mk)}": w}
        if b is not None:
            arrays[f"b{sup(mk)}"] = b
        arrays[f"z{sup(mk)}"] = rec.z
        arrays[f"y{sup(mk)}"] = rec.y
        roles = {"input": x, "weight": f"W{sup(mk)}", "z": f"z{sup(mk)}", "y": f"y{sup(mk)}"}
        if b is not None:
            roles["bias"] = f"b{sup(mk)}"
        return Step("forward", k, rec.id, title, formula, arrays, focus=f"y{sup(mk)}",
                    roles=roles)
    if rec.activation is not None:
        formula = f"y{sup(mk)} = {rec.activation}(z{sup(mk)}),   z{sup(mk)} = {x}"
        return Step("forward", k, rec.id, title, formula,
                    {f"z{sup(mk)}": rec.z, f"y{sup(mk)}": rec.y}, focus=f"y{sup(mk)}",
                    roles={"z": f"z{sup(mk)}", "y": f"y{sup(mk)}"})
    what = {"maxpool2d": "the largest value of each window", "avgpool2d": "the mean of each window",
            "flatten": "the same numbers in one row", "dropout": "unchanged (dropout is off when "
            "not training)"}.get(rec.type, f"{rec.type} of its input")
    return Step("forward", k, rec.id, title, f"{rec.id} = {rec.type}({x}): {what}",
                {x: rec.x, rec.id: rec.y}, focus=rec.id)


def _loss(trace, network) -> Step:
    out = trace.layers[-1]
    formula = LOSS_FORMULAS.get(trace.loss_name, f"L = {trace.loss_name}(ŷ, t)")
    arrays = {"ŷ": trace.output, "t": np.atleast_1d(np.asarray(trace.target)),
              "L": np.array(trace.loss), "∂L/∂ŷ": out.dy}
    note = ("L is in nats (natural logarithms). " if trace.loss_name in ("bce", "cce") else "") \
        + "∂L/∂ŷ starts the backward pass: it is what the output layer passes back."
    return Step("loss", None, None, f"The loss ({trace.loss_name})", formula + ",   ∂L/∂ŷ",
                arrays, note, focus="∂L/∂ŷ")


def _next_weighted(trace, network, k) -> int | None:
    """The layer right after k, if it is a dense layer (then ∂L/∂y = Wᵀδ as the notes write it)."""
    j = k + 1
    if j < len(trace.layers) and isinstance(network.layers[j], WeightedLayer) \
            and trace.layers[j].type == "dense":
        return j
    return None


def _backward(trace, network, k, m) -> Step:
    rec, layer = trace.layers[k], network.layers[k]
    mk, last = m.get(k, ""), k == len(trace.layers) - 1
    title = f"Backward: {rec.id}"
    d = f"δ{sup(mk)}"
    if rec.delta is None:            # pooling, flatten: the gradient is routed back, no δ
        route = {"maxpool2d": "each gradient goes back to the position of its window's maximum, "
                 "0 elsewhere", "avgpool2d": "each gradient is shared equally by its window",
                 "flatten": "the row is folded back into the maps"}.get(rec.type, "routed back")
        return Step("backward", k, rec.id, title, f"∂L/∂(input) from ∂L/∂(output): {route}",
                    {"∂L/∂(output)": rec.dy, "∂L/∂(input)": rec.dx}, focus="∂L/∂(input)")
    g = derivative(layer, rec.z, rec.y)
    j = _next_weighted(trace, network, k)
    if last:
        upstream, source = "∂L/∂ŷ", "∂L/∂ŷ"
    elif j is not None:
        mj = m[j]
        upstream, source = f"W{sup(mj)}ᵀ δ{sup(mj)}", f"W{sup(mj)}ᵀ δ{sup(mj)}"
    else:
        upstream, source = f"∂L/∂y{sup(mk)}", f"∂L/∂y{sup(mk)}"
    arrays: dict[str, np.ndarray] = {}
    roles = {"upstream": source, "delta": d}
    if j is not None:
        arrays[f"W{sup(m[j])}"] = network.layers[j].params["weight"]
        arrays[f"δ{sup(m[j])}"] = trace.layers[j].delta
        roles.update(next_weight=f"W{sup(m[j])}", next_delta=f"δ{sup(m[j])}")
    arrays[source] = rec.dy
    if g is None:                    # softmax: the Jacobian is a matrix
        formula = f"{d} = J_softmax(z{sup(mk)})ᵀ {upstream}"
        note = ("Softmax's derivative is a matrix, not one number per neuron; with cross-entropy "
                "the product simplifies to δ = ŷ − t.") if trace.loss_name == "cce" else ""
    else:
        arrays[f"g′(z{sup(mk)})"] = g
        roles["gprime"] = f"g′(z{sup(mk)})"
        formula = f"{d} = ({upstream}) ⊙ g′(z{sup(mk)})"
        note = ""
    arrays[d] = rec.delta
    return Step("backward", k, rec.id, title, formula, arrays, note, focus=d, roles=roles)


def _param_names(rec) -> tuple[str, str | None]:
    return f"{rec.id}.weight", (f"{rec.id}.bias" if f"{rec.id}.bias" in rec.gradients else None)


def _gradient(trace, k, m) -> Step:
    rec, mk = trace.layers[k], m[k]
    wkey, bkey = _param_names(rec)
    x = _prev(k, m, trace)
    if rec.type == "dense":
        formula = f"∂L/∂W{sup(mk)} = δ{sup(mk)} {x}ᵀ,   ∂L/∂b{sup(mk)} = δ{sup(mk)}"
    else:
        formula = (f"∂L/∂W{sup(mk)}[k, c] = Σ over positions of δ{sup(mk)}[k] × {x}[c] "
                   f"(the input under the kernel),   ∂L/∂b{sup(mk)}[k] = Σ δ{sup(mk)}[k]")
    arrays = {f"δ{sup(mk)}": rec.delta, x: rec.x, f"∂L/∂W{sup(mk)}": rec.gradients[wkey]}
    roles = {"delta": f"δ{sup(mk)}", "input": x, "grad_w": f"∂L/∂W{sup(mk)}"}
    if bkey:
        arrays[f"∂L/∂b{sup(mk)}"] = rec.gradients[bkey]
        roles["grad_b"] = f"∂L/∂b{sup(mk)}"
    return Step("gradient", k, rec.id, f"Gradient: {rec.id}", formula, arrays,
                focus=f"∂L/∂W{sup(mk)}", roles=roles)


def _update(trace, network, k, m, lr, optimizer) -> Step:
    rec, mk = trace.layers[k], m[k]
    wkey, bkey = _param_names(rec)
    params = network.layers[k].params
    dw = -lr * rec.gradients[wkey]
    arrays = {f"ΔW{sup(mk)}": dw, f"W{sup(mk)} + ΔW{sup(mk)}": params["weight"] + dw}
    formula = f"ΔW{sup(mk)} = −η ∂L/∂W{sup(mk)},   η = {lr:g}"
    if bkey:
        db = -lr * rec.gradients[bkey]
        arrays[f"Δb{sup(mk)}"] = db
        arrays[f"b{sup(mk)} + Δb{sup(mk)}"] = params["bias"] + db
        formula += f",   Δb{sup(mk)} = −η ∂L/∂b{sup(mk)}"
    name = optimizer.lower()
    note = SGD_NOTE + "." if name == "sgd" else OPTIMIZER_NOTE.format(
        name={"adam": "Adam", "rmsprop": "RMSProp", "momentum": "momentum"}.get(name, name)) + "."
    return Step("update", k, rec.id, f"Update: {rec.id}", formula, arrays, note,
                focus=f"ΔW{sup(mk)}", roles={"dw": f"ΔW{sup(mk)}",
                                             "new_w": f"W{sup(mk)} + ΔW{sup(mk)}"})
