"""The record every activation fills in: the one place its maths, parameters, words and exports live.

An activation module (one file in this package) defines, at module level:

- ``f(x, a)``: g(x) for one number, ``@njit(inline="always")`` (``a`` is the parameter, if any);
- ``df(x, y, a)``: g'(x) for one number, from the input x or the output y = g(x), whichever
  ``grad_from`` names (the other argument is then ignored, and the kernels may pass anything);
- optionally ``f32(x, a)``: a faster g for float32 runs (tanh's rational polynomial);
- ``ACTIVATION = Activation(...)``: the record below.

Softmax is not elementwise: its module sets ``columns=True`` and defines ``columns_forward`` and
``columns_grad`` over a (units, batch) block instead of ``f``/``df``.

The kernels (``_kernels.py``) are generated from these modules (``generate.py``), so dense layers,
convolutions and the fused MLP all run the same g and g'.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Param:
    """A number an activation takes (leaky ReLU's and ELU's alpha), with its allowed range."""

    name: str
    label: str
    default: float
    low: float
    high: float
    help: str


@dataclass(frozen=True)
class Activation:
    """One activation function: maths (in its module), parameters, words and exports.

    ``torch(var, a)`` returns the PyTorch expression for g(var) (None: the identity);
    ``onnx(graph, x, prefix, a)`` appends the ONNX nodes for g to the graph builder and returns the
    output tensor's name. ``order`` places it in the menus.
    """

    name: str
    title: str
    order: int
    formula: str
    help: str
    grad_from: str                       # "output", "input" (elementwise) or "columns" (softmax)
    torch: Callable[[str, float], str | None]
    onnx: Callable[[Any, str, str, float], str]
    params: tuple[Param, ...] = ()
    #: the loss that suits this output by the notes' table (sigmoid -> bce, softmax -> cce)
    auto_loss: str = "mse"
    #: the nearest torch.nn module, for tests and the activation explorer: (class name, kwargs)
    torch_module: tuple[str, dict] | None = None
    module: Any = field(default=None, compare=False, repr=False)

    @property
    def elementwise(self) -> bool:
        return self.grad_from != "columns"

    @property
    def kernel_ready(self) -> bool:
        """True when the fused kernels (fused MLP, conv layout) can apply it: elementwise with the
        derivative read from the output, which is all those kernels keep."""
        return self.grad_from in ("output", "columns")

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def check_param(self, name: str, value: Any) -> str | float:
        """The value as a float, or a message saying why it is not allowed (range, type)."""
        p = self.param(name)
        if p is None:
            return float("nan")
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(
                float(value)):
            return f"'{name}' of {self.title} must be a number, not {value!r}"
        if not p.low <= float(value) <= p.high:
            return f"'{name}' of {self.title} must be between {p.low:g} and {p.high:g}, not {value}"
        return float(value)
