"""How the editor presents a layer type (Qt-free, so the classes can carry it): editable fields,
palette group and colour family, and the glyph drawn on its palette icon.

A glyph is a tuple of drawing steps in a 28x28 box, white on the family colour:
("line", x1, y1, x2, y2), ("rect", x, y, w, h, filled), ("dot", x, y, r, filled),
("grid", n, size, x, y, filled cells), ("curve", x0, y0, c1x, c1y, c2x, c2y, x1, y1).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import activations, init

#: palette groups, in palette order
GROUPS = ("Dense", "Convolution", "Pooling", "Shape", "Regularization")


@dataclass(frozen=True)
class FieldSpec:
    """One editable field of a layer type: how the inspector edits it and within what bounds.

    ``kind`` is int, float, choice, bool, pair (an int or [h, w]), padding (a pair, "same" or
    "valid"), shape (a list of ints, -1 once) or pool_ref (the id of an earlier maxpool2d).
    """

    name: str
    label: str
    kind: str
    minimum: float = 0
    maximum: float = 0
    step: float = 1
    options: tuple[str, ...] = ()
    default: Any = None


ACTIVATION = FieldSpec("activation", "Activation", "choice", options=activations.NAMES,
                       default="identity")
INIT = FieldSpec("init", "Initialization", "choice", options=init.NAMES, default="auto")
BIAS = FieldSpec("bias", "Bias", "bool", default=True)
#: the activation's parameter (leaky ReLU's slope, ELU's scale); unset means the activation's own
#: default, and the engine checks the range of the chosen activation
ALPHA = FieldSpec("alpha", "α", "float", 0.0, 10.0, 0.01, default=activations.LEAKY_ALPHA)
KERNEL = FieldSpec("kernel_size", "Kernel size", "pair", 1, 64)
STRIDE = FieldSpec("stride", "Stride", "pair", 1, 32, default=1)
TRAINABLE = FieldSpec("trainable", "Trainable", "bool", default=True)
