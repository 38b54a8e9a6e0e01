"""What differs between two runs' settings, in a few words: "batch 1", "He init", "Adam lr 0.01".

``difference(pinned, current)`` compares two settings records (training settings, network spec,
dataset recipe and features, as dicts) and names what the first has that the second has not:
the label a pinned run carries beside the current run's curves.
"""
from __future__ import annotations

from typing import Any

OPTIMIZERS = {"sgd": "SGD", "momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}
ACTIVATIONS = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "tanh": "tanh", "sigmoid": "sigmoid",
               "identity": "identity", "step": "step", "softmax": "softmax"}
INITS = {"xavier": "Xavier init", "he": "He init", "zeros": "zero init", "normal": "normal init",
         "uniform": "uniform init", "auto": "auto init"}
LOSSES = {"mse": "MSE", "bce": "BCE", "cce": "CCE", "auto": "auto loss"}
MAX_PARTS = 3
SAME = "same settings"


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _optimizer(mine: dict, theirs: dict) -> list[str]:
    kind = mine.get("type", "sgd")
    name = "AMSGrad" if kind == "adam" and mine.get("amsgrad") else OPTIMIZERS.get(kind, kind)
    other = "AMSGrad" if theirs.get("type") == "adam" and theirs.get("amsgrad") else \
        OPTIMIZERS.get(theirs.get("type"), theirs.get("type"))
    if name != other:
        return [f"{name} lr {_num(mine.get('lr'))}"]
    parts = []
    if mine.get("lr") != theirs.get("lr"):
        parts.append(f"lr {_num(mine.get('lr'))}")
    for key in sorted(set(mine) | set(theirs)):
        if key in ("type", "lr", "amsgrad") or mine.get(key) == theirs.get(key):
            continue
        value = mine.get(key)
        text = "β " + ", ".join(_num(b) for b in value) if key == "betas" and isinstance(value, list) \
            else f"{key.replace('_', ' ')} {_num(value)}"
        parts.append(text)
    return parts


def _training(mine: dict, theirs: dict) -> list[str]:
    parts = _optimizer(mine.get("optimizer", {}), theirs.get("optimizer", {}))
    if mine.get("batch_size") != theirs.get("batch_size"):
        b = mine.get("batch_size")
        parts.append("full batch" if b == "full" else f"batch {b}")
    if mine.get("loss") != theirs.get("loss"):
        parts.append(f"loss {LOSSES.get(mine.get('loss'), mine.get('loss'))}")
    reg, rate = mine.get("regularization", "none"), mine.get("reg_rate", 0)
    if (reg, rate) != (theirs.get("regularization", "none"), theirs.get("reg_rate", 0)):
        parts.append("no regularization" if reg == "none" or not rate else f"{reg.upper()} {_num(rate)}")
    if mine.get("rule") != theirs.get("rule"):
        parts.append(str(mine.get("rule")).replace("_", " "))
    if mine.get("seed") != theirs.get("seed"):
        parts.append(f"seed {mine.get('seed')}")
    return parts


def _shared(layers: list[dict], key: str):
    """The value every hidden layer that has ``key`` shares, or None."""
    values = {str(layer.get(key)) for layer in layers[:-1] if key in layer}
    return values.pop() if len(values) == 1 else None


def _network(mine: dict, theirs: dict) -> list[str]:
    a, b = mine.get("layers", []), theirs.get("layers", [])
    if a == b and mine.get("input_shape") == theirs.get("input_shape"):
        return []
    if [layer.get("type") for layer in a] != [layer.get("type") for layer in b]:
        hidden = len(a) - 1
        return [f"{hidden} hidden layer{'s' if hidden != 1 else ''}"]
    parts = []
    for key, names, unit in (("activation", ACTIVATIONS, ""), ("init", INITS, ""),
                             ("units", None, " units"), ("filters", None, " filters")):
        va, vb = _shared(a, key), _shared(b, key)
        if va is not None and va != vb:
            parts.append(names.get(va, va) if names else f"{va}{unit}")
    if not parts:
        last_a, last_b = a[-1] if a else {}, b[-1] if b else {}
        if last_a.get("activation") != last_b.get("activation"):
            parts.append(f"{ACTIVATIONS.get(last_a.get('activation'), last_a.get('activation'))} output")
    return parts or ["another network"]


def _data(mine: dict, theirs: dict) -> list[str]:
    parts = []
    da, db = mine.get("dataset", {}), theirs.get("dataset", {})
    if da.get("name") != db.get("name"):
        parts.append(f"{da.get('name')} data")
    elif da != db:
        changed = [k for k in sorted(set(da) | set(db)) if da.get(k) != db.get(k) and k != "painted"]
        parts += [f"{k} {_num(da.get(k))}" for k in changed[:2]]
        if da.get("painted") != db.get("painted"):
            parts.append("other painted points")
    if mine.get("features") != theirs.get("features"):
        parts.append("features " + ", ".join(mine.get("features") or []))
    return parts


def difference(mine: dict, theirs: dict) -> str:
    """What ``mine`` (a pinned run's settings) has that ``theirs`` (the current settings) has
    not, as a short label; ``SAME`` when nothing differs. Both are dicts with "training",
    "network", "dataset" and "features"."""
    parts = (_training(mine.get("training", {}), theirs.get("training", {}))
             + _network(mine.get("network", {}), theirs.get("network", {}))
             + _data(mine, theirs))
    if not parts:
        return SAME
    if len(parts) > MAX_PARTS:
        parts = parts[:MAX_PARTS] + [f"+{len(parts) - MAX_PARTS} more"]
    return ", ".join(parts)
