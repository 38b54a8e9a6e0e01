"""The Curves' key: the header line over the plots, coloured marks with the latest losses
("● train 0.1234  ● test 0.2345  ━ batch"), the perceptron's mistakes instead, and nothing while
a comparison names its configurations under the plots. Outside the plots, it never hides a
curve."""
from __future__ import annotations

import math

from .. import theme

MISTAKES_COLOR = (128, 80, 170)
BATCH_COLOR = (140, 140, 140)
WIDEST = ("00.0000", "00.0000")     #: the latest losses at their widest: the label's steady width


def loss_key(train: str, test: str) -> str:
    """The curves' key with the latest losses ("" when there is none yet)."""
    return "&nbsp;&nbsp;".join([dot(theme.BLUE, "train" + (f" {train}" if train else "")),
                                dot(theme.ORANGE, "test" + (f" {test}" if test else "")),
                                dot(BATCH_COLOR, "batch", line=True)])


def dot(color, text: str, line: bool = False) -> str:
    r, g, b = color
    mark = "━" if line else "●"
    return f'<span style="color: rgb({r},{g},{b})">{mark}</span>&nbsp;{text}'


def legend_text(rule: str, comparing: bool, last_mistakes, train_loss, test_loss) -> str:
    """The header line for training ``rule``, with the latest losses (None or NaN: not yet)."""
    def value(v):
        return f"{v:.4f}" if v is not None and math.isfinite(v) else ""
    if rule == "perceptron":
        last = "" if last_mistakes is None else f" {last_mistakes:g} in the last epoch"
        return dot(MISTAKES_COLOR, "mistakes" + last)
    if comparing:
        return ""                       # each configuration is named under the plots
    return loss_key(value(train_loss), value(test_loss))
