"""The stepper's numbers as HTML: aligned tables whose cells are tinted with the canvas's weight
colours (orange below zero, blue above, stronger for larger magnitudes), big layers cut to their
first rows and columns with "…" while the selected neuron's row is always shown in full.

Everything here formats arrays it is given; nothing is computed but the products that the filled-in
formula of one neuron writes out (w·x terms), whose total is the traced value itself.
"""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtGui import QColor

from ..canvas import style

MAX_ROWS = 6         #: matrix rows shown before "…" (the selected neuron's row is added after)
MAX_COLS = 10        #: vector entries / matrix columns shown before "…"
MAX_TERMS = 4        #: terms of a sum written out in a neuron's formula
MINUS = "−"


def number(value: float) -> str:
    """Four decimals, or three significant digits in e-notation for tiny or huge values; a true
    minus sign. Exact zeros read "0" (a ReLU that cut, a pooling route not taken)."""
    v = float(value)
    if v == 0:
        return "0"
    if not np.isfinite(v):
        return str(v)
    a = abs(v)
    text = f"{a:.4f}" if 1e-3 <= a < 1e4 else f"{a:.2e}".replace("e-0", "e-").replace("e+0", "e")
    return (MINUS if v < 0 else "") + text.replace("-", MINUS)


def tint(value: float, peak: float, base: QColor) -> str:
    """The cell colour of ``value`` on levels ±peak: the canvas's hue mixed into the base colour."""
    hue = style.POSITIVE_RGB if value > 0 else style.NEGATIVE_RGB
    strength = min(abs(value) / peak, 1.0) if peak > 0 else 0.0
    colour = style.mix(base, QColor(*hue.astype(int)), 0.08 + 0.55 * strength)
    return colour.name()


def _cell(value: float, peak: float, base: QColor, selected: bool = False) -> str:
    border = "border:2px solid palette(highlight);" if selected else ""
    weight = "font-weight:bold;" if selected else ""
    return (f'<td align="right" style="background:{tint(value, peak, base)};{border}{weight}'
            f'padding:1px 5px;white-space:nowrap;">{number(value)}</td>')


def _columns(n: int, selected: int | None = None, cols: int = MAX_COLS) -> list[int | None]:
    """Indices shown of ``n`` (None marks "…"): the first ``cols``, and ``selected`` if later."""
    if n <= cols:
        return list(range(n))
    shown: list[int | None] = list(range(cols - 1)) + [None]
    if selected is not None and selected >= cols - 1:
        shown.append(selected)
        if selected < n - 1:
            shown.append(None)
    else:
        shown.append(n - 1)
    return shown


def _row(values: np.ndarray, peak: float, base: QColor, selected: int | None,
         label: str = "", cols: int = MAX_COLS) -> str:
    cells = [f'<td style="padding:1px 6px;color:palette(mid);white-space:nowrap;">{html.escape(label)}</td>'] \
        if label else []
    for j in _columns(len(values), selected, cols):
        cells.append('<td align="center" style="padding:1px 4px;">…</td>' if j is None
                     else _cell(values[j], peak, base, j == selected))
    return "<tr>" + "".join(cells) + "</tr>"


def _table(rows: list[str]) -> str:
    return ('<table cellspacing="1" cellpadding="0" style="font-family:monospace;">'
            + "".join(rows) + "</table>")


def shape_text(a: np.ndarray) -> str:
    return "×".join(map(str, a.shape)) if a.ndim else "scalar"


def vector_html(a: np.ndarray, peak: float, base: QColor, selected: int | None = None,
                cols: int = MAX_COLS) -> str:
    return _table([_row(np.ravel(a), peak, base, selected, cols=cols)])


def matrix_html(a: np.ndarray, peak: float, base: QColor, selected_row: int | None = None,
                row_name: str = "i", cols: int = MAX_COLS) -> str:
    """The first MAX_ROWS rows, "…", and the selected row (whole, as the columns allow)."""
    rows_shown = list(range(min(len(a), MAX_ROWS)))
    extra = selected_row is not None and selected_row >= MAX_ROWS and selected_row < len(a)
    rows = [_row(a[i], peak, base, None, ("▸ " if i == selected_row else "") + f"{row_name}={i}",
                 cols) for i in rows_shown]
    if len(a) > MAX_ROWS:
        rows.append(f'<tr><td style="color:palette(mid);padding:1px 6px;">⋮</td>'
                    f'<td colspan="{min(a.shape[1], cols + 1)}" style="color:palette(mid);">'
                    f'{len(a) - MAX_ROWS} more rows</td></tr>')
    if extra:
        rows.append(_row(a[selected_row], peak, base, None, f"▸ {row_name}={selected_row}", cols))
    return _table(rows)


def array_html(name: str, a: np.ndarray, base: QColor, selected: int | None = None,
               peak: float | None = None, cols: int = MAX_COLS) -> str:
    """One named array: its name and shape, then its numbers as a row (vectors), a table
    (matrices), the selected map or kernel (3-D and 4-D, when small) or a line of its range."""
    if np.issubdtype(np.asarray(a).dtype, np.integer):     # class labels: plain numbers
        return (f'<div style="margin-top:6px;"><b>{html.escape(name)}</b> = '
                f'<span style="font-family:monospace;">'
                f'{", ".join(str(int(v)) for v in np.ravel(a)[:MAX_COLS])}</span></div>')
    a = np.asarray(a, float)
    peak = float(np.max(np.abs(a))) if peak is None and a.size else (peak or 0.0)
    head = (f'<div style="margin-top:6px;"><b>{html.escape(name)}</b> '
            f'<span style="color:palette(mid);">({shape_text(a)})</span></div>')
    if a.ndim == 0:
        return (f'<div style="margin-top:6px;"><b>{html.escape(name)}</b> = '
                f'<span style="font-family:monospace;">{number(a)}</span></div>')
    if a.ndim == 1:
        return head + vector_html(a, peak, base, selected, cols)
    if a.ndim == 2:
        return head + matrix_html(a, peak, base, selected, cols=cols)
    k = min(selected or 0, a.shape[0] - 1)
    inner = a[k] if a.ndim == 3 else a[k, 0]
    what = f"map {k}" if a.ndim == 3 else f"filter {k}, input channel 0 of {a.shape[1]}"
    summary = (f'<div style="color:palette(mid);">range {number(a.min())} … {number(a.max())}; '
               f'{"maps drawn below" if a.ndim == 3 else "kernels"}</div>')
    if inner.shape[0] <= 8 and inner.shape[1] <= 12:
        return head + f'<div style="color:palette(mid);">{what}:</div>' + matrix_html(
            inner, peak, base, None, "r", cols) + summary
    return head + summary


def neuron_lines(step, i: int) -> list[str]:
    """The selected neuron's formula with its numbers, for dense layers (plain text lines): the
    forward sum, the backward chain rule, the gradient row or the update row."""
    a, r = step.arrays, step.roles
    if step.kind == "forward" and "weight" in r and a[r["weight"]].ndim == 2:
        w, x, z, y = a[r["weight"]][i], a[r["input"]], a[r["z"]][i], a[r["y"]][i]
        b = a[r["bias"]][i] if "bias" in r else None
        terms = " + ".join(f"({number(w[j])})·({number(x[j])})" for j in range(min(len(w), MAX_TERMS)))
        more = f" + … {len(w) - MAX_TERMS} more" if len(w) > MAX_TERMS else ""
        bias = f" + ({number(b)})" if b is not None else ""
        return [f"z_{i} = Σⱼ w_{i}ⱼ·x_j + b_{i} = {terms}{more}{bias} = {number(z)}",
                f"y_{i} = g(z_{i}) = {number(y)}"]
    if step.kind == "backward" and "delta" in r and a[r["delta"]].ndim == 1:
        up, d = a[r["upstream"]][i], a[r["delta"]][i]
        lines = []
        if "next_weight" in r:
            w, dn = a[r["next_weight"]][:, i], a[r["next_delta"]]
            terms = " + ".join(f"({number(w[k])})·({number(dn[k])})"
                               for k in range(min(len(w), MAX_TERMS)))
            more = f" + … {len(w) - MAX_TERMS} more" if len(w) > MAX_TERMS else ""
            lines.append(f"Σₖ w_k{i}·δ_k = {terms}{more} = {number(up)}")
        if "gprime" in r:
            g = a[r["gprime"]][i]
            lines.append(f"δ_{i} = ({number(up)}) × g′(z_{i}) = ({number(up)}) × ({number(g)}) "
                         f"= {number(d)}")
        else:
            lines.append(f"δ_{i} = {number(d)}")
        return lines
    if step.kind == "gradient" and a[r["grad_w"]].ndim == 2:
        d, x, gw = a[r["delta"]][i], a[r["input"]], a[r["grad_w"]][i]
        terms = ", ".join(f"({number(d)})·({number(x[j])}) = {number(gw[j])}"
                          for j in range(min(len(x), MAX_TERMS)))
        more = ", …" if len(x) > MAX_TERMS else ""
        return [f"∂L/∂w_{i}ⱼ = δ_{i}·x_j:  {terms}{more}"]
    if step.kind == "update" and a[r["dw"]].ndim == 2:
        dw = a[r["dw"]][i]
        return [f"Δw_{i}ⱼ = " + ", ".join(number(v) for v in dw[:MAX_COLS])
                + (", …" if len(dw) > MAX_COLS else "")]
    return []
