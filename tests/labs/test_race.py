"""The optimizer race steps the engine's optimizers; its paths equal chapter 2's formulas done by
hand and PyTorch's optimizers, and the internals it shows are the optimizer's own state."""
from __future__ import annotations

import math

import numpy as np
import pytest

from playground.engine import optimizer_config as oc
from playground.labs import SURFACES, Racer, race


def quad(p):
    """f = x^2 + 10 y^2, the issue's test surface."""
    x, y = p
    return x * x + 10 * y * y, np.array([2 * x, 20 * y])


def hand(kind: str, steps: int, **h):
    """Chapter 2 of the notes, one coordinate at a time in plain floats."""
    theta = [1.0, 1.0]
    path = [tuple(theta)]
    v = [0.0, 0.0]
    g2 = [0.0, 0.0]
    m = [0.0, 0.0]
    vmax = [0.0, 0.0]
    for t in range(1, steps + 1):
        grad = [2 * theta[0], 20 * theta[1]]
        for i in range(2):
            if kind == "momentum":       # v_t = rho v_{t-1} + alpha grad;  theta -= v_t
                v[i] = h["rho"] * v[i] + h["lr"] * grad[i]
                theta[i] -= v[i]
            elif kind == "rmsprop":      # g_t = a g_{t-1} + (1 - a) grad^2; theta -= lr grad/(sqrt(g_t) + 1e-5)
                g2[i] = h["alpha"] * g2[i] + (1 - h["alpha"]) * grad[i] ** 2
                theta[i] -= h["lr"] * grad[i] / (math.sqrt(g2[i]) + 1e-5)
            else:                        # figure 2.1; AMSGrad keeps the max of v (engine docstring)
                b1, b2 = h["betas"]
                m[i] = b1 * m[i] + (1 - b1) * grad[i]
                v[i] = b2 * v[i] + (1 - b2) * grad[i] ** 2
                m_hat = m[i] / (1 - b1 ** t)
                if kind == "amsgrad":
                    vmax[i] = max(vmax[i], v[i])
                    v_hat = vmax[i] / (1 - b2 ** t)
                else:
                    v_hat = v[i] / (1 - b2 ** t)
                theta[i] -= h["lr"] * m_hat / (math.sqrt(v_hat) + h["eps"])
        path.append(tuple(theta))
    return np.array(path)


def test_sgd_follows_the_closed_form():
    """x_t = (1 - 2 lr)^t, y_t = (1 - 20 lr)^t: with lr 0.05 y lands on the valley floor in one step."""
    (r,) = race(quad, [oc("sgd", lr=0.05)], (1.0, 1.0), 60)
    t = np.arange(61)
    np.testing.assert_allclose(r.path[:, 0], 0.9 ** t, rtol=1e-12)
    np.testing.assert_allclose(r.path[:, 1], (t == 0).astype(float), atol=1e-15)
    np.testing.assert_allclose(r.loss, 0.81 ** t + 10 * (t == 0), rtol=1e-12)


@pytest.mark.parametrize("kind, config, h", [
    ("momentum", oc("momentum", lr=0.01, rho=0.9), {"lr": 0.01, "rho": 0.9}),
    ("rmsprop", oc("rmsprop", lr=0.01, alpha=0.9, eps=1e-5), {"lr": 0.01, "alpha": 0.9}),
    ("adam", oc("adam", lr=0.1), {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8}),
    ("amsgrad", oc("adam", lr=0.1, amsgrad=True), {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8}),
])
def test_race_equals_the_notes_formulas_by_hand(kind, config, h):
    (r,) = race(quad, [config], (1.0, 1.0), 200)
    expected = hand(kind, 200, **h)
    np.testing.assert_allclose(r.path, expected, rtol=1e-10, atol=1e-13)
    x, y = expected.T
    np.testing.assert_allclose(r.loss, x * x + 10 * y * y, rtol=1e-9, atol=1e-14)


def test_amsgrad_is_not_adam_here():
    """Guards the test above: on this surface the running maximum changes the path."""
    assert not np.allclose(hand("adam", 200, lr=0.1, betas=(0.9, 0.999), eps=1e-8),
                           hand("amsgrad", 200, lr=0.1, betas=(0.9, 0.999), eps=1e-8))


@pytest.mark.parametrize("config", [oc("sgd", lr=1e-3), oc("momentum", lr=5e-4),
                                    oc("rmsprop", lr=0.05), oc("adam", lr=0.1),
                                    oc("adam", lr=0.1, amsgrad=True)])
def test_internals_are_the_optimizers_state(config):
    """What the lab shows is what the optimizer holds, and the effective step is the step taken."""
    racer = Racer(SURFACES["rosenbrock"], config, (-1.5, 2.5))
    state_names = {"velocity": "velocity", "square_avg": "square_avg", "m": "exp_avg",
                   "v": "exp_avg_sq", "v_max": "max_exp_avg_sq"}
    for t in range(1, 40):
        before = racer.position.copy()
        grad = SURFACES["rosenbrock"](before)[1]
        racer.step()
        shown = racer.internals[-1]
        state = racer.optimizer.state()["xy"]
        for shown_name, slot in state_names.items():
            if shown_name in shown:
                np.testing.assert_array_equal(shown[shown_name], state[slot])
        np.testing.assert_array_equal(shown["gradient"], grad)
        np.testing.assert_allclose(shown["effective_step"], before - racer.position, rtol=1e-9,
                                   atol=1e-15)
        if config["type"] == "adam":
            b1, b2 = config["betas"]
            assert shown["bias_correction1"] == pytest.approx(1 / (1 - b1 ** t))
            assert shown["bias_correction2"] == pytest.approx(1 / (1 - b2 ** t))
            np.testing.assert_allclose(shown["m_hat"], state["exp_avg"] / (1 - b1 ** t))
            np.testing.assert_allclose(shown["v_hat"], state["exp_avg_sq"] / (1 - b2 ** t))
    if config.get("amsgrad"):
        v = np.array([r["v"] for r in racer.internals])
        np.testing.assert_allclose(racer.internals[-1]["v_max"], v.max(axis=0))


def himmelblau(p):
    x, y = p
    a, b = x * x + y - 11, x + y * y - 7
    return a * a + b * b, np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])


@pytest.mark.parametrize("config", [oc("sgd", lr=0.005), oc("momentum", lr=0.002, rho=0.8),
                                    oc("rmsprop", lr=0.05, alpha=0.95),
                                    oc("adam", lr=0.1, betas=[0.8, 0.99]),
                                    oc("adam", lr=0.1, amsgrad=True)])
def test_race_matches_torch_optim(config):
    """On Himmelblau's function (not one of SURFACES), the path equals torch.optim's."""
    torch = pytest.importorskip("torch")
    (r,) = race(himmelblau, [config], (-0.5, -1.0), 150)
    p = torch.tensor([-0.5, -1.0], dtype=torch.float64, requires_grad=True)
    kind = config["type"]
    if kind == "sgd":
        opt = torch.optim.SGD([p], lr=config["lr"])
    elif kind == "momentum":  # the engine's v = rho v + lr g equals torch's for a constant lr
        opt = torch.optim.SGD([p], lr=config["lr"], momentum=config["rho"])
    elif kind == "rmsprop":
        opt = torch.optim.RMSprop([p], lr=config["lr"], alpha=config["alpha"], eps=config["eps"])
    else:
        opt = torch.optim.Adam([p], lr=config["lr"], betas=tuple(config["betas"]),
                               eps=config["eps"], amsgrad=config["amsgrad"])
    path = [p.detach().numpy().copy()]
    for _ in range(150):
        opt.zero_grad()
        x, y = p[0], p[1]
        ((x * x + y - 11) ** 2 + (x + y * y - 7) ** 2).backward()
        opt.step()
        path.append(p.detach().numpy().copy())
    np.testing.assert_allclose(r.path, np.array(path), rtol=1e-9, atol=1e-12)


def test_a_diverging_racer_stops_and_the_rest_is_nan():
    (r,) = race("saddle", [oc("sgd", lr=0.5)], (1.0, 0.5), 2000)
    assert r.stopped_at is not None and r.stopped_at < 2000
    assert np.isnan(r.path[-1]).all() and np.isfinite(r.path[r.stopped_at]).all()


def test_noisy_bowl_is_seeded_and_noisier_with_more_noise():
    quiet = race(SURFACES["noisy_bowl"].with_params(noise=0.0), [oc("sgd", lr=0.05)], (1, 1), 50)
    a = race(SURFACES["noisy_bowl"].with_params(noise=3.0), [oc("sgd", lr=0.05)] * 2, (1, 1), 50)
    b = race(SURFACES["noisy_bowl"].with_params(noise=3.0), [oc("sgd", lr=0.05)], (1, 1), 50, seed=1)
    np.testing.assert_array_equal(a[0].path, a[1].path)      # every racer sees the same batches
    assert not np.allclose(a[0].path, b[0].path)              # another seed, other batches
    assert np.abs(np.diff(a[0].path[:, 1])).mean() > 3 * np.abs(np.diff(quiet[0].path[:, 1])).mean()


@pytest.mark.parametrize("name", list(SURFACES))
def test_every_surface_gradient_is_its_derivative(name):
    s = SURFACES[name]
    rng = np.random.default_rng(0)
    x0, x1, y0, y1 = s.extent
    for x, y in zip(rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20)):
        h = 1e-6
        num = [(s.value(x + h, y) - s.value(x - h, y)) / (2 * h),
               (s.value(x, y + h) - s.value(x, y - h)) / (2 * h)]
        np.testing.assert_allclose(s.gradient(x, y), num, rtol=1e-5, atol=1e-4)
    if s.minimum is not None:
        np.testing.assert_allclose(s.gradient(*s.minimum), [0, 0], atol=1e-12)


def test_bad_surface_settings_say_what_is_wrong():
    with pytest.raises(ValueError, match="condition number"):
        SURFACES["bowl"].with_params(condition=0.0)
    with pytest.raises(ValueError, match="no setting"):
        SURFACES["rosenbrock"].with_params(noise=1.0)
    with pytest.raises(ValueError, match="unknown surface"):
        race("nope", [oc("sgd")], (0, 0), 1)
