"""The EMA demo's maths (notes 2.1) and the activation explorer's curves."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine import activations
from playground.labs import ema
from playground.labs import activation_curves as ac
from playground.labs.ema import noisy_series, window


def test_ema_is_the_recurrence_and_bias_correction_removes_the_start_at_zero():
    x = noisy_series(50, noise=2.0, seed=1)
    v, expected = 0.0, []
    for value in x:
        v = 0.9 * v + 0.1 * value
        expected.append(v)
    np.testing.assert_allclose(ema(x, 0.9, bias_correction=False), expected, rtol=1e-14)
    np.testing.assert_allclose(ema(x, 0.9), np.array(expected) / (1 - 0.9 ** np.arange(1, 51)))
    constant = np.full(30, 7.0)
    np.testing.assert_allclose(ema(constant, 0.98), 7.0)          # corrected: no warm-up at all
    assert ema(constant, 0.98, bias_correction=False)[0] == pytest.approx(0.14)  # pulled to 0


def test_the_window_reading_holds_about_63_percent_of_the_weight():
    beta = 0.95
    impulse_response = ema(np.eye(1, 400, 0).ravel(), beta, False)[-1]  # weight of the oldest
    weights = (1 - beta) * beta ** np.arange(400)                              # newest first
    assert impulse_response == pytest.approx(weights[-1])
    assert window(beta) == pytest.approx(20)
    assert weights[:20].sum() == pytest.approx(1 - np.exp(-1), abs=0.02)


def test_bad_beta_is_refused():
    with pytest.raises(ValueError, match="beta"):
        ema([1, 2], 1.0)


def test_every_engine_activation_is_in_the_explorer():
    assert ac.names() == tuple(activations.NAMES)


@pytest.mark.parametrize("name", [n for n in activations.NAMES if n != "softmax"])
@pytest.mark.parametrize("alpha", [0.1, 0.3])
def test_derivative_is_the_slope_of_f(name, alpha):
    x = np.linspace(-4, 4, 81) + 0.013                              # off the kinks at 0
    f, df = ac.curves(name, x, alpha)
    h = 1e-6
    slope = (ac.curves(name, x + h, alpha)[0] - ac.curves(name, x - h, alpha)[0]) / (2 * h)
    np.testing.assert_allclose(df, slope, atol=1e-6)
    if name == "leaky_relu":
        np.testing.assert_allclose(f[x < 0], alpha * x[x < 0])


def test_softmax_component_with_the_others_held():
    x = np.linspace(-3, 3, 13)
    f, df = ac.curves("softmax", x, others=(1.0, -0.5))
    expected = np.exp(x) / (np.exp(x) + np.exp(1.0) + np.exp(-0.5))
    np.testing.assert_allclose(f, expected)
    np.testing.assert_allclose(df, expected * (1 - expected))
