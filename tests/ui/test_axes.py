"""Axis labels a student reads without doubt: whole numbers on whole quantities, significant
digits on tiny values, and weight-heatmap ticks on cell centres that never crowd."""
from __future__ import annotations

import pyqtgraph as pg

from playground.ui.views.axes import integer_axis, significant, significant_axis
from playground.ui.views.weight_axes import cell_ticks, decade_ticks_for, heatmap_ticks, thinned


def test_tiny_values_keep_their_significant_digits(qapp):
    assert significant(5e-05) == "5e-5" and significant(0.00123) == "0.00123"
    assert significant(0.30000000000000004) == "0.3" and significant(0) == "0"
    axis = pg.AxisItem("left")
    significant_axis(axis)
    assert axis.tickStrings([0.0, 5e-05, 1e-04], 1.0, 5e-05) == ["0", "5e-5", "0.0001"]
    # neighbours stay distinct however close they are
    assert axis.tickStrings([1.0001, 1.0002], 1.0, 0.0001) == ["1.0001", "1.0002"]


def test_integer_quantities_get_whole_ticks_only(qapp):
    axis = pg.AxisItem("bottom")
    integer_axis(axis)
    for low, high in ((0, 1), (0, 3.5), (0, 100), (10, 12)):
        values = [v for _, level in axis.tickValues(low, high, 300) for v in level]
        assert values and all(v == int(v) for v in values)
    assert axis.tickStrings([0.0, 1.0, 2.0], 1.0, 1.0) == ["0", "1", "2"]
    # a long run's examples seen read as the log axis writes them, not 1500000
    assert axis.tickStrings([0.0, 2000.0, 500000.0, 1.5e6], 1.0, 500000.0) == \
        ["0", "2,000", "500k", "1.5M"]


def test_heatmap_ticks_sit_on_cell_centres_with_names():
    bottom, left = heatmap_ticks((12, 2), ["X1", "X2"])
    assert bottom == [(0.5, "X1"), (1.5, "X2")]
    assert left[0] == (0.5, "0") and left[-1] == (11.5, "11")
    bottom, left = heatmap_ticks((6, 3, 5, 5))         # conv: kernels of 5 with 1-pixel gaps
    assert bottom == [(2.5, "ch0"), (8.5, "ch1"), (14.5, "ch2")] and left[1] == (8.5, "1")
    # crowded: every k-th tick, evenly, starting at the first
    crowded = thinned(left * 10, 100, lambda _: 16)
    assert len(crowded) <= 100 // 16 and crowded[0] == left[0]
    # short names beside a long one: all four fit in 42 px columns (the spiral with X1² and
    # sin(X1) on showed every other input); long names alike in the same room do not
    width = {"X1": 22, "X2": 22, "X1²": 28, "sin(X1)": 48}.get
    names = cell_ticks(4, names=["X1", "X2", "X1²", "sin(X1)"])
    assert thinned(names, 4 * 42, width) == names
    longs = cell_ticks(4, names=["sin(X1)"] * 4)
    assert thinned(longs, 4 * 42, width) == longs[::2]


def test_decade_ticks_thin_out_on_a_short_axis():
    assert [v for v, _ in decade_ticks_for(-3, 2, 400)] == [-3, -2, -1, 0, 1, 2]
    short = decade_ticks_for(-8, 2, 60)
    assert len(short) <= 3 and short[0] == (-8.0, "1e-8")
