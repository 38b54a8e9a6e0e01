"""Axis ticks a student reads without doubt: whole numbers on axes of whole quantities (epochs,
steps, counts), and tick labels with significant digits, never "0.0000" for 5e-05.

Both are applied to an existing pyqtgraph AxisItem (``integer_axis(axis)``,
``significant_axis(axis)``), so any view can opt in with one line.
"""
from __future__ import annotations

import math
import types

from .log_x import number_label


def significant(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` significant digits: 0.5, 12, 0.00123 -> 0.00123, 5e-05 -> 5e-05,
    123456 -> 1.23e+05; exact zero is "0" and tiny rounding noise around zero is "0" too."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}e{int(exp)}"
    return text


def integer_ticks(levels: list) -> list:
    """pyqtgraph tick levels [(spacing, values), ...] without any level whose spacing is not a
    whole number, and without non-integer values: a whole quantity has no tick at 0.5."""
    out = []
    for spacing, values in levels:
        if spacing < 1 or abs(spacing - round(spacing)) > 1e-9:
            continue
        out.append((spacing, [v for v in values if abs(v - round(v)) < 1e-9]))
    return out


def integer_axis(axis) -> None:
    """Make ``axis`` tick whole numbers only (at least a tick every 1), labelled without ".0", in
    thousands (k) and millions (M) from 10,000 on."""
    original = axis.tickValues

    def tick_values(self, minVal, maxVal, size):
        levels = integer_ticks(original(minVal, maxVal, size))
        if not levels and 0 <= maxVal - minVal <= 20:
            first, last = math.ceil(minVal), math.floor(maxVal)
            levels = [(1.0, [float(v) for v in range(first, last + 1)])]
        return levels

    def tick_strings(self, values, scale, spacing):
        # as the log axis writes them: 2,000, 20k, 1.5M (not 1500000)
        return [number_label(round(v * scale), integer=True) for v in values]

    axis.tickValues = types.MethodType(tick_values, axis)
    axis.tickStrings = types.MethodType(tick_strings, axis)
    axis.picture = None
    axis.update()


def significant_axis(axis, digits: int = 3) -> None:
    """Label ``axis``'s ticks with significant digits (5e-05, 0.0012, 0.5), not fixed decimals.
    A log axis keeps pyqtgraph's own labels (its values are exponents)."""
    original = axis.tickStrings

    def tick_strings(self, values, scale, spacing):
        if self.logMode:
            return original(values, scale, spacing)
        # enough digits that neighbouring ticks differ (1.0001 next to 1.0002)
        top = max((abs(v * scale) for v in values), default=0.0)
        step = abs(spacing * scale)
        need = math.ceil(math.log10(top / step)) + 1 if top > 0 and step > 0 else digits
        return [significant(v * scale, max(digits, need)) if abs(v) > step * 1e-6 else "0"
                for v in values]

    axis.enableAutoSIPrefix(False)
    axis.tickStrings = types.MethodType(tick_strings, axis)
    axis.picture = None
    axis.update()
