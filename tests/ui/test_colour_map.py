"""The canvas colours values through one lookup table: t = v·scale + offset in [-1, 1] becomes
entry round(127·t) + 127 (orange at -1, exactly white at 0, blue at 1), clipped at both ends. The
work buffers are reused per shape, so one map's values never show in another's colours."""
from __future__ import annotations

import numpy as np

from playground.ui.canvas import style


def expected(values: np.ndarray, scale: float, offset: float) -> np.ndarray:
    t = values.astype(np.float64) * scale + offset
    k = np.clip(np.floor(127.0 * t + 127.5), 0, 254).astype(int)
    return style.DIVERGING_LUT[k]


def test_values_take_their_entry_of_the_table():
    values = np.array([[-2.0, -1.0, -0.5, 0.0], [0.25, 0.5, 1.0, 3.0]], np.float32)
    out = np.empty(values.shape, np.uint32)
    style.colour_map_into(values, 1.0, 0.0, out)
    np.testing.assert_array_equal(out, expected(values, 1.0, 0.0))
    assert out[0, 3] == style.DIVERGING_LUT[127] == 0xFFFFFFFF                 # 0 is white
    assert out[0, 0] == out[0, 1] == style.DIVERGING_LUT[0]                    # clipped at -1


def test_maps_of_the_same_shape_do_not_share_colours():
    rng = np.random.default_rng(3)
    first, second = (rng.normal(size=(3, 20, 20)).astype(np.float32) for _ in range(2))
    a, b = np.empty(first.shape, np.uint32), np.empty(first.shape, np.uint32)
    style.colour_map_into(first, 0.5, 0.0, a)
    style.colour_map_into(second, 2.0, -1.0, b)        # the same buffers, other values and levels
    np.testing.assert_array_equal(a, expected(first, 0.5, 0.0))
    np.testing.assert_array_equal(b, expected(second, 2.0, -1.0))
    for shape in [(k, 7) for k in range(1, 40)]:       # many shapes: the buffer cache stays bounded
        values = rng.normal(size=shape).astype(np.float32)
        out = np.empty(shape, np.uint32)
        style.colour_map_into(values, 1.0, 0.0, out)
        np.testing.assert_array_equal(out, expected(values, 1.0, 0.0))
    assert len(style._BUFFERS) <= style._MAX_SHAPES
