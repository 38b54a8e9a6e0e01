"""What the canvas shows for two lessons: hidden units of a 1-D network drawn as curves over x
(notes 1.7.2, the universal approximation theorem), and the softmax unit's formula with the live
numbers (notes 1.6.3).

On 1-D data the trainer sweeps x over [-6, 6] in order and the snapshot folds those samples into
squares like a 2-D map; drawn as a square map they mean nothing. Here each unit's outputs are
drawn as its curve y = h_k(x): the area between the curve and the colour map's white level is
filled with the colour the value has in every other map (blue above, orange below).
"""
from __future__ import annotations

import numpy as np

from playground.project.session import EXTENT

from . import style
from .describe import SUBSCRIPTS, softmax_text
from .live import neuron_formula

#: a curve thumbnail's side in pixels (the popup shows it at 150)
CURVE_PIXELS = 64
LINE_RGB = 0xFF2B2B2B
AXIS_RGB = 0xFFC8C8C8


def is_sweep(grid_inputs: np.ndarray | None) -> bool:
    """Whether the snapshot's grid is a sweep of one input in increasing order (1-D data)
    rather than a plane (a 2-D feature map repeats its values row after row)."""
    if grid_inputs is None or grid_inputs.ndim != 3 or grid_inputs.shape[0] != 1:
        return False
    x = grid_inputs.reshape(-1)
    return x.size > 2 and bool(np.all(np.diff(x) > 0))


def curve_rows(maps: np.ndarray, activation: str, side: int) -> tuple[np.ndarray, np.ndarray]:
    """(t, rows): every unit's value at ``side`` evenly spaced x, on the colour map's scale
    t in [-1, 1] (the same levels the square maps use), and the pixel row of each (t = 1 top)."""
    units = maps.shape[0]
    values = maps.reshape(units, -1).astype(np.float64)
    scale, offset = style.colour_levels(maps, activation)
    t = np.clip(values * scale + offset, -1.0, 1.0)
    n = t.shape[1]
    at = np.linspace(0.0, n - 1.0, side)
    t = np.stack([np.interp(at, np.arange(n), row) for row in t])
    return t, (1.0 - t) * 0.5 * (side - 1)


def fill_unit_curves(buffer: style.ImageBuffer, maps: np.ndarray, activation: str,
                     side: int = CURVE_PIXELS) -> None:
    """Unit k's curve in the square at rows k*side..(k+1)*side of ``buffer`` (side wide)."""
    units = maps.shape[0]
    t, rows = curve_rows(maps, activation, side)
    words = buffer.words.reshape(units, side, side)
    colours = np.empty(t.shape, np.uint32)
    style.colour_map_into(t.astype(np.float32), 1.0, 0.0, colours)
    zero = 0.5 * (side - 1)
    r = np.arange(side, dtype=np.float64)[None, :, None]          # (1, rows, 1)
    y = rows[:, None, :]                                           # (units, 1, columns)
    filled = (r >= np.minimum(y, zero) - 0.5) & (r <= np.maximum(y, zero) + 0.5)
    words[...] = style.DIVERGING_LUT[127]                          # white: the level of t = 0
    words[np.broadcast_to(np.abs(r - round(zero)) < 0.5, words.shape)] = AXIS_RGB
    np.copyto(words, np.broadcast_to(colours[:, None, :], words.shape), where=filled)
    # the curve itself: from each column's row to the next's, so steep parts stay joined
    prev = np.concatenate([rows[:, :1], rows[:, :-1]], axis=1)[:, None, :]
    lo, hi = np.minimum(prev, y) - 0.8, np.maximum(prev, y) + 0.8
    words[(r >= lo) & (r <= hi)] = LINE_RGB


def softmax_formula(snapshot, layer_id: str, above_id: str | None, unit: int,
                    input_names: list[str]) -> str | None:
    """The softmax text for unit ``unit`` of ``layer_id`` (z with its live weights, then the
    normalisation over the layer with the numbers at the centre of the plane), or None when the
    snapshot lacks what it takes (then the plain formula stays)."""
    weight = snapshot.weights.get(f"{layer_id}.weight")
    bias = snapshot.weights.get(f"{layer_id}.bias")
    source = snapshot.grid_inputs if above_id is None else snapshot.grid_outputs.get(above_id)
    if (weight is None or source is None or source.ndim != 3 or weight.ndim != 2
            or source.shape[0] != weight.shape[1] or snapshot.grid_inputs is None):
        return None
    r = source.shape[1] // 2
    h = source[:, r, r].astype(np.float64)
    z = weight.astype(np.float64) @ h + (0.0 if bias is None else bias.astype(np.float64))
    step = 2.0 * EXTENT / source.shape[1]       # the grid's pixel centres (features.grid)
    x1, x2 = -EXTENT + step * (r + 0.5), EXTENT - step * (r + 0.5)
    point = f"the centre of the plane (X1 = {x1:.2f}, X2 = {x2:.2f})".replace("-", "−")
    b = None if bias is None else float(bias[unit])
    z_formula = neuron_formula(f"z{str(unit + 1).translate(SUBSCRIPTS)}", "identity", weight[unit],
                               b, input_names)
    return softmax_text(z_formula, unit, z, point)
