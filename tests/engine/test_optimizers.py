"""Ring 1: every optimizer against steps computed by hand from the notes' formulas (chapter 2)."""
import numpy as np
import pytest

from playground.engine import make_optimizer

G = [np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.3, -0.2]), np.array([-0.4, 0.0, 1.5])]
THETA0 = np.array([1.0, -2.0, 0.5])


def run(config, grads=G):
    theta = THETA0.copy()
    opt = make_optimizer(config, {"w": theta})
    trace = []
    for g in grads:
        opt.step({"w": g.copy()})
        trace.append(theta.copy())
    return trace


def test_sgd():
    theta = THETA0.copy()
    for got, g in zip(run({"type": "sgd", "lr": 0.1}), G):
        theta = theta - 0.1 * g
        np.testing.assert_allclose(got, theta)


def test_momentum_velocity_as_in_the_notes():
    theta, v = THETA0.copy(), np.zeros(3)
    for got, g in zip(run({"type": "momentum", "lr": 0.1, "rho": 0.9}), G):
        v = 0.9 * v + 0.1 * g          # v_t = rho v_{t-1} + alpha grad
        theta = theta - v              # theta_{t+1} = theta_t - v_t
        np.testing.assert_allclose(got, theta)


def test_rmsprop():
    theta, s = THETA0.copy(), np.zeros(3)
    for got, g in zip(run({"type": "rmsprop", "lr": 0.01, "alpha": 0.9, "eps": 1e-8}), G):
        s = 0.9 * s + 0.1 * g ** 2
        theta = theta - 0.01 * g / (np.sqrt(s) + 1e-8)
        np.testing.assert_allclose(got, theta)


@pytest.mark.parametrize("wd, maximize", [(0.0, False), (0.1, False), (0.0, True)])
def test_adam_follows_the_pseudocode(wd, maximize):
    theta, m, v = THETA0.copy(), np.zeros(3), np.zeros(3)
    b1, b2, lr, eps = 0.9, 0.999, 0.01, 1e-8
    config = {"type": "adam", "lr": lr, "weight_decay": wd, "maximize": maximize}
    for t, (got, g) in enumerate(zip(run(config), G), start=1):
        g = -g if maximize else g
        g = g + wd * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        np.testing.assert_allclose(got, theta, rtol=1e-12)


def test_adam_amsgrad_keeps_the_running_maximum():
    grads = [np.array([2.0]), np.array([0.01]), np.array([0.01])]
    theta, m, v, vmax = np.array([1.0]), 0.0, 0.0, 0.0
    b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    opt_theta = np.array([1.0])
    opt = make_optimizer({"type": "adam", "lr": lr, "amsgrad": True}, {"w": opt_theta})
    for t, g in enumerate(grads, start=1):
        opt.step({"w": g.copy()})
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        vmax = np.maximum(vmax, v)
        theta = theta - lr / (1 - b1 ** t) * m / (np.sqrt(vmax) / np.sqrt(1 - b2 ** t) + eps)
        np.testing.assert_allclose(opt_theta, theta, rtol=1e-12)
    # with the maximum, the large first gradient keeps damping the later steps
    plain = np.array([1.0])
    plain_opt = make_optimizer({"type": "adam", "lr": lr}, {"w": plain})
    for g in grads:
        plain_opt.step({"w": g.copy()})
    assert abs(opt_theta[0] - 1.0) < abs(plain[0] - 1.0)


def test_learning_rate_changes_apply_to_the_next_step():
    theta = np.array([1.0])
    opt = make_optimizer({"type": "sgd", "lr": 0.1}, {"w": theta})
    opt.step({"w": np.array([1.0])})
    opt.lr = 0.01
    opt.step({"w": np.array([1.0])})
    np.testing.assert_allclose(theta, [1.0 - 0.1 - 0.01])


def test_unknown_optimizer_or_setting_is_refused():
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer({"type": "lion"}, {})
    with pytest.raises(ValueError, match="no setting"):
        make_optimizer({"type": "sgd", "rho": 0.9}, {})
