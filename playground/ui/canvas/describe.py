"""Words for the canvas: a block's one-line settings, what each layer type does and its formula.

The formulas are the notes' (deep-learning-notes.md): dense z = W x + b, y = g(z) (1.2.2); conv
output floor((n + 2p - f)/s) + 1 (3.1); transposed s(n - 1) + f - 2p (4.1.3); pooling (3.4.1);
unpooling (3.4.2).
"""
from __future__ import annotations

import numpy as np

from playground.engine import activations
from playground.engine.layers import REGISTRY
from playground.engine.layers.base import shape_text

#: each activation's short name, from its record
ACTIVATION_TEXT = {name: r.title for name, r in activations.RECORDS.items()}

#: layer type -> (what it does, its formula), from the layer classes
LAYER_HELP = {name: cls.help for name, cls in REGISTRY.items() if cls.group}

FIELD_HELP = {
    "units": "How many neurons the layer has: its output size.",
    "activation": "The nonlinearity g applied to z = W x + b. tanh and sigmoid squash, ReLU keeps "
                  "positives; softmax turns outputs into class probabilities.",
    "function": "The activation function applied to every value.",
    "init": "How the weights start: xavier N(0,1)·√(1/n_in), he N(0,1)·√(2/n_in); auto picks he "
            "before ReLU and xavier otherwise.",
    "bias": "Add a learned bias b to every output (z = W x + b).",
    "alpha": " ".join(p.help for r in activations.RECORDS.values() for p in r.params),
    "filters": "How many kernels: the number of output channels.",
    "kernel_size": "The filter size f: each output looks at an f × f patch.",
    "stride": "How far the window moves between outputs (s): output floor((n + 2p − f)/s) + 1.",
    "padding": "Zeros added around the border (p). 'same' keeps the size for stride 1.",
    "output_padding": "Extra rows/columns added to one side of a transposed conv's output.",
    "size": "The pooling window f × f.",
    "pool": "The max pool whose stored argmax positions this layer unpools to.",
    "shape": "The new shape, e.g. 1x28x28; one entry may be -1.",
    "rate": "The probability p that a value is dropped while training.",
    "trainable": "Untick to freeze the layer: training leaves its weights as they are.",
}


def pair_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return f"{value[0]}x{value[1]}" if value[0] != value[1] else f"{value[0]}x{value[0]}"
    return f"{value}x{value}"


def _act(config: dict, key: str = "activation") -> str:
    name = config.get(key, "identity")
    return ACTIVATION_TEXT.get(name, str(name))


def _conv_text(config: dict) -> str:
    parts = [f"{config.get('filters', '?')} filters {pair_text(config.get('kernel_size', '?'))}"]
    stride = config.get("stride", 1)
    if stride not in (1, [1, 1]):
        parts.append(f"stride {stride if not isinstance(stride, list) else pair_text(stride)}")
    padding = config.get("padding", 0)
    if padding not in (0, [0, 0], "valid"):
        parts.append(f"pad {padding if not isinstance(padding, list) else pair_text(padding)}")
    if config.get("output_padding", 0) not in (0, [0, 0]):
        parts.append(f"out pad {config['output_padding']}")
    parts.append(_act(config))
    return " · ".join(parts)


def settings_text(config: dict) -> str:
    """The key settings on one line: '8 units · tanh', '6 filters 5x5 · pad 2 · relu'."""
    kind = config.get("type")
    if kind == "dense":
        units = config.get("units", "?")
        return f"{units} unit{'' if units == 1 else 's'} · {_act(config)}"
    if kind in ("conv2d", "conv_transpose2d"):
        return _conv_text(config)
    if kind in ("maxpool2d", "avgpool2d"):
        text = f"{'max' if kind == 'maxpool2d' else 'average'} {pair_text(config.get('size', 2))}"
        stride = config.get("stride")
        if stride is not None and stride != config.get("size", 2):
            text += f" · stride {stride}"
        return text
    if kind == "maxunpool2d":
        return f"back to {config.get('pool') or '(no max pool)'}'s argmax"
    if kind == "reshape":
        shape = config.get("shape")
        return "to " + ("x".join(str(s) for s in shape) if isinstance(shape, list) else "?")
    if kind == "activation":
        return _act(config, "function")
    if kind == "dropout":
        return f"drop {config.get('rate', 0.5):g} while training"
    if kind == "flatten":
        return "image → vector"
    return ""


def layer_tooltip(config: dict, shape_in, shape_out, n_params, error: str = "") -> str:
    """Rich-text tooltip: what the layer does, its formula, and its shapes."""
    what, formula = LAYER_HELP.get(config.get("type"), ("", ""))
    rows = [f"<b>{config.get('type')} ‘{config.get('id')}’</b>", what,
            "<pre>" + formula + "</pre>"]
    if shape_in is not None:
        rows.append(f"input {shape_text(shape_in)}"
                    + (f" → output {shape_text(shape_out)}" if shape_out is not None else ""))
    if n_params:
        rows.append(f"{n_params:,} parameters")
    if error:
        rows.append(f"<span style='color:#db3236'><b>{error}</b></span>")
    return "<br>".join(r for r in rows if r)


def params_text(n_params: int | None) -> str:
    if n_params is None:
        return ""
    return "no params" if n_params == 0 else f"{n_params:,} params"


SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _num(value: float) -> str:
    return f"{'−' if value < 0 else ''}{abs(value):.2f}"


def softmax_text(z_formula: str, unit: int, z: np.ndarray, point: str,
                 max_terms: int = 4) -> str:
    """What a softmax unit computes, with the live numbers at one point of the plane:

    z₂ = 0.83·h1 − 1.20·h2 + 0.05
    softmax normalises over the layer's 3 units: y₂ = e^z₂ / Σₖ e^zₖ
    at (0.06, −0.06): z = (1.20, −0.30, 0.50)
    y₂ = e^−0.30 / (e^1.20 + e^−0.30 + e^0.50) = 0.74 / 5.71 = 0.13

    ``z`` is every unit's z at ``point`` (unit is 0-based)."""
    z = np.asarray(z, dtype=np.float64).reshape(-1)
    j = str(unit + 1).translate(SUBSCRIPTS)
    shift = float(z.max())                        # the same ratio, without overflow
    e = np.exp(z - shift)
    total = float(e.sum())
    y = float(e[unit] / total)
    z_values = ", ".join(_num(v) for v in z[:max_terms * 2])
    if len(z) > max_terms * 2:
        z_values += ", …"
    if len(z) <= max_terms:
        sum_text = " + ".join(f"e^{_num(v)}" for v in z)
    else:
        sum_text = f"e^{_num(z[0])} + … + e^{_num(z[-1])} ({len(z)} terms)"
    scale = f" (all shifted by −{shift:.2f} so nothing overflows)" if shift > 30 else ""
    ez, sm = (float(np.exp(z[unit])), float(np.exp(z).sum())) if shift <= 30 else \
        (float(e[unit]), total)
    return (f"{z_formula}\n"
            f"softmax normalises over the layer's {len(z)} units: y{j} = e^z{j} / Σₖ e^zₖ\n"
            f"at {point}: z = ({z_values})\n"
            f"y{j} = e^{_num(z[unit])} / ({sum_text}) = {ez:.2f} / {sm:.2f} = {y:.2f}{scale}")
