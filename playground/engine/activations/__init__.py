"""Activation functions: one module per activation, each the single home of its maths, parameters,
words and exports (notes section 1.2.1). Adding an activation is adding one module here.

A module's ``ACTIVATION`` record (see ``base.py``) is found by itself; its code is its index in
``NAMES`` (ordered by ``order``), and the numba kernels dispatching on that code are generated from
the modules (``generate.py`` -> ``_kernels.py``). Softmax acts over axis 1 (the classes, or the
channels of an image tensor).
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import numpy as np

from .base import Activation, Param

_SKIP = {"base", "generate"}


def _discover() -> dict[str, Activation]:
    records = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in _SKIP or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        record = getattr(module, "ACTIVATION", None)
        if not isinstance(record, Activation) or record.name != info.name:
            raise ImportError(f"activation module {info.name!r} must define ACTIVATION = "
                              f"Activation(name={info.name!r}, ...)")
        object.__setattr__(record, "module", module)
        records.append(record)
    records.sort(key=lambda r: (r.order, r.name))
    return {r.name: r for r in records}


RECORDS: dict[str, Activation] = _discover()
NAMES: tuple[str, ...] = tuple(RECORDS)
#: the kernels' code of each activation: its index in NAMES (derived here, nowhere else)
CODES: dict[str, int] = {name: i for i, name in enumerate(NAMES)}
FORMULAS: dict[str, str] = {name: r.formula for name, r in RECORDS.items()}
#: leaky ReLU's default slope (the notes' max(0.1 x, x))
LEAKY_ALPHA = RECORDS["leaky_relu"].params[0].default


def _load_kernels():
    """The generated kernels, first rewritten if the activation modules changed (a source
    checkout; a frozen app ships them as built)."""
    if not getattr(sys, "frozen", False):
        from . import generate

        try:
            generate.write(list(RECORDS.values()))
        except OSError:
            pass  # a read-only install: the check below still refuses a stale table
    from . import _kernels

    if tuple(_kernels.NAMES) != NAMES:
        raise ImportError("the activation kernels (_kernels.py) do not match the activation "
                          "modules; run python -m playground.engine.activations.generate")
    return _kernels


kernels = _load_kernels()


def get(name: str) -> Activation:
    return RECORDS[name]


def check_name(name) -> str | None:
    """None if ``name`` is an activation, else the message saying which ones there are."""
    if isinstance(name, str) and name in RECORDS:
        return None
    return f"unknown activation {name!r}; choose one of {', '.join(NAMES)}"


def param_value(name: str, value=None) -> float:
    """The activation's parameter (alpha) from a config value, or its default when ``value`` is
    None; raises ValueError with the message for a value out of range or not a number. 0.0 for
    activations without a parameter (the kernels take a number anyway)."""
    record = RECORDS[name]
    if not record.params:
        return 0.0
    p = record.params[0]
    if value is None:
        return float(p.default)
    checked = record.check_param(p.name, value)
    if isinstance(checked, str):
        raise ValueError(checked)
    return checked


def _alpha(name: str, alpha) -> float:
    return param_value(name, None) if alpha is None else float(alpha)


def forward(name: str, x: np.ndarray, alpha: float | None = None) -> np.ndarray:
    """g(x), as a new array of x's dtype (the identity returns x itself)."""
    record = RECORDS.get(name)
    if record is None:
        raise ValueError(check_name(name))
    a = _alpha(name, alpha)
    own = getattr(record.module, "numpy_forward", None)
    if own is not None:
        return own(x, x.dtype.type(a))
    x = np.ascontiguousarray(x)
    out = np.empty_like(x)
    kernels.map_forward(CODES[name], x.dtype.type(a), x.reshape(-1), out.reshape(-1))
    return out


def backward(name: str, y: np.ndarray, dy: np.ndarray, alpha: float | None = None,
             x: np.ndarray | None = None) -> np.ndarray:
    """dL/dx given dL/dy, the output y = g(x) and (for activations whose derivative needs it, as
    ``grad_from == "input"`` says) the input x."""
    record = RECORDS[name]
    a = _alpha(name, alpha)
    own = getattr(record.module, "numpy_backward", None)
    if own is not None:
        return own(x, y, dy, y.dtype.type(a))
    if record.grad_from == "input":
        if x is None:
            raise ValueError(f"{name}'s derivative needs the input x")
        x = np.ascontiguousarray(x)
    else:
        x = y
    y, dy = np.ascontiguousarray(y), np.ascontiguousarray(dy)
    out = np.empty_like(dy)
    kernels.map_grad(CODES[name], y.dtype.type(a), np.ascontiguousarray(x).reshape(-1),
                     y.reshape(-1), dy.reshape(-1), out.reshape(-1))
    return out


__all__ = ["Activation", "Param", "RECORDS", "NAMES", "CODES", "FORMULAS", "LEAKY_ALPHA", "get",
           "check_name", "param_value", "forward", "backward", "kernels"]
