"""The Curves' log x axis (views/log_x.py): whole decades, readable labels, no fractions on an
axis of whole quantities, and a thinning that keeps the first decades."""
from __future__ import annotations

import numpy as np

from playground.ui.views import log_x


def test_an_integer_axis_starts_at_one_and_labels_whole_numbers():
    assert log_x.decades(0.3, 62_500, integer=True) == (0, 5)
    major, minor = log_x.ticks(0, 5, integer=True)
    assert [t for _v, t in major] == ["1", "10", "100", "1,000", "10k", "100k"]
    assert minor == []                                   # 5 decades: no room for 2 and 5
    major, minor = log_x.ticks(2, 4, integer=True)
    assert [t for _v, t in minor] == ["200", "500", "2,000", "5,000"]
    np.testing.assert_allclose([v for v, _t in minor][:2], np.log10([200, 500]))


def test_seconds_may_be_fractions():
    assert log_x.decades(0.02, 3.0, integer=False) == (-2, 1)
    major, _minor = log_x.ticks(-2, 1, integer=False)
    assert [t for _v, t in major] == ["0.01", "0.1", "1", "10"]


def test_log_sampling_keeps_the_early_points():
    x = np.arange(1, 100_001, dtype=float)
    y = 1 / x
    sx, sy = log_x.log_sample(x, y, 200)
    assert len(sx) <= 201 and sx[-1] == 100_000 and sx[0] == 1
    assert np.sum(sx <= 10) >= 8                         # the first decade is drawn, not a dot
    np.testing.assert_allclose(sy, 1 / sx)


def test_spread():
    assert log_x.spread([250, 2_500, 62_500]) == 250
    assert log_x.spread([100]) == 1.0
