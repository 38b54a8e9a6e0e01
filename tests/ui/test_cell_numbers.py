"""Numbers written on image cells (kernels, gradients, pooling windows) never read "-0.00" for a
small non-zero value (issue 9 §2: no "0.0000" where the value is 5e-05)."""
from __future__ import annotations

from playground.ui.image_views.cell_grid import value_text


def test_small_values_keep_their_size_and_zeros_stay_zero():
    assert value_text(0.0) == "0"
    assert value_text(-0.0021) == "-2e-3" and value_text(5e-5) == "5e-5"
    assert value_text(0.3) == "0.30" and value_text(-12.34) == "-12.3" and value_text(250) == "250"
    for v in (1e-6, -3e-4, 0.0049, -0.0049):
        text = value_text(v)
        assert float(text) != 0 and len(text) <= 5, text
