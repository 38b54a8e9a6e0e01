"""The optimizer race: optimizers stepping on a 2-parameter surface through the engine's own
optimizer classes (``make_optimizer``), so what the lab shows is what trains the networks.

    from playground.labs import race, SURFACES
    from playground.engine import optimizer_config
    results = race(SURFACES["rosenbrock"], [optimizer_config("adam", lr=0.05)], (-1.5, 2.5), 500)
    results[0].path        # (steps + 1, 2): the start, then the point after each step
    results[0].loss        # (steps + 1,): J at each point of the path
    results[0].internals   # name -> (steps, ...) array: gradient, velocity, m, v, m_hat, ...

The internals are read from the optimizer's public ``state()`` after each step (never recomputed
beside it); the bias-corrected moments and the effective step are derived from that state with the
notes' chapter 2 formulas.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence, Union

import numpy as np

from ..engine import make_optimizer, optimizer_config
from .surfaces import SURFACES, Surface

SurfaceLike = Union[Surface, str, Callable]
#: a racer that gets this far from the origin has left any surface we draw: it is stopped
ESCAPE = 1e6
NAMES = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam"}


def kind_name(config: dict) -> str:
    """"SGD", "Momentum", "RMSProp", "Adam" or "AMSGrad" (Adam with amsgrad on)."""
    if config.get("type") == "adam" and config.get("amsgrad"):
        return "AMSGrad"
    return NAMES.get(config.get("type"), str(config.get("type")))


def racer_label(config: dict) -> str:
    """What a racer is called: its kind and learning rate, e.g. "Adam lr 0.1"."""
    return f"{kind_name(config)} lr {config['lr']:g}"


def resolve_surface(surface: SurfaceLike) -> Surface | Callable:
    if isinstance(surface, str):
        if surface not in SURFACES:
            raise ValueError(f"unknown surface {surface!r}; choose one of {', '.join(SURFACES)}")
        return SURFACES[surface]
    if not callable(surface):
        raise TypeError("a surface is one of SURFACES, its name, or a function p -> (value, gradient)")
    return surface


def complete_config(config: dict) -> dict:
    """The full config (every default filled in), as the engine would use it."""
    if not isinstance(config, dict) or "type" not in config:
        raise ValueError("an optimizer config is a dict with a 'type', as optimizer_config makes")
    return optimizer_config(config["type"], **{k: v for k, v in config.items() if k != "type"})


def read_internals(optimizer, gradient: np.ndarray) -> dict[str, np.ndarray | float]:
    """What the optimizer holds after a step, with the notes' derived quantities.

    sgd: effective_step = lr g. momentum: velocity v (the step taken is v). rmsprop: square_avg s,
    effective_step = lr g / (sqrt(s) + eps). adam: m, v, bias_correction1 = 1/(1 - b1^t),
    bias_correction2 = 1/(1 - b2^t), m_hat, v_hat, effective_step = lr m_hat / (sqrt(v_hat) + eps);
    with AMSGrad also v_max (the engine's running maximum of v) and v_max_hat, which then
    replaces v_hat in the step.
    """
    c, t = optimizer.config, optimizer.t
    state = optimizer.state()["xy"]
    out: dict[str, np.ndarray | float] = {"gradient": np.array(gradient, np.float64)}
    kind = optimizer.name
    if kind == "sgd":
        out["effective_step"] = c["lr"] * out["gradient"]
    elif kind == "momentum":
        out["velocity"] = state["velocity"].copy()
        out["effective_step"] = state["velocity"].copy()
    elif kind == "rmsprop":
        s = state["square_avg"].copy()
        out["square_avg"] = s
        out["effective_step"] = c["lr"] * out["gradient"] / (np.sqrt(s) + c["eps"])
    elif kind == "adam":
        b1, b2 = c["betas"]
        m, v = state["exp_avg"].copy(), state["exp_avg_sq"].copy()
        bc1, bc2 = 1.0 / (1.0 - b1 ** t), 1.0 / (1.0 - b2 ** t)
        out.update(m=m, v=v, bias_correction1=bc1, bias_correction2=bc2,
                   m_hat=m * bc1, v_hat=v * bc2)
        denom_v = out["v_hat"]
        if c["amsgrad"]:
            out["v_max"] = state["max_exp_avg_sq"].copy()
            out["v_max_hat"] = out["v_max"] * bc2
            denom_v = out["v_max_hat"]
        out["effective_step"] = c["lr"] * out["m_hat"] / (np.sqrt(denom_v) + c["eps"])
    return out


class Racer:
    """One optimizer on one surface, stepped one step at a time (the Labs window steps these).

    ``path``, ``losses`` and ``internals`` grow by one entry per step. A racer whose loss or
    position stops being finite (or runs off past 1e6) is stopped: ``stopped`` says why.
    """

    def __init__(self, surface: SurfaceLike, config: dict, start: Sequence[float], seed: int = 0,
                 label: str | None = None):
        self.surface = resolve_surface(surface)
        self.config = complete_config(config)
        self.label = label or racer_label(self.config)
        self.position = np.array([float(start[0]), float(start[1])], np.float64)
        self.optimizer = make_optimizer(self.config, {"xy": self.position})
        self.rng = np.random.default_rng(seed)
        self.path: list[np.ndarray] = [self.position.copy()]
        self.internals: list[dict] = []
        self.stopped: str | None = None
        value, self._grad = self._evaluate()
        self.losses: list[float] = [value]
        self._check(value)

    def _evaluate(self) -> tuple[float, np.ndarray]:
        if isinstance(self.surface, Surface):
            value, grad = self.surface(self.position, self.rng)
        else:
            value, grad = self.surface(self.position.copy())
        return float(value), np.asarray(grad, np.float64).reshape(2)

    def _check(self, value: float) -> None:
        if not (math.isfinite(value) and np.isfinite(self._grad).all()):
            self.stopped = "the loss or its gradient is no longer a finite number"
        elif np.abs(self.position).max() > ESCAPE:
            self.stopped = "it ran off the surface"

    @property
    def steps(self) -> int:
        return len(self.path) - 1

    @property
    def loss(self) -> float:
        return self.losses[-1]

    def step(self) -> bool:
        """One optimizer step from the gradient at the current point; False if stopped."""
        if self.stopped:
            return False
        grad = self._grad
        self.optimizer.step({"xy": grad})
        self.internals.append(read_internals(self.optimizer, grad))
        self.path.append(self.position.copy())
        with np.errstate(over="ignore", invalid="ignore"):
            value, self._grad = self._evaluate()
        self.losses.append(value)
        self._check(value)
        return True

    def steps_to_reach(self, target: float) -> int | None:
        """The first step count at which the loss is at most ``target``, or None."""
        hits = np.flatnonzero(np.asarray(self.losses) <= target)
        return int(hits[0]) if hits.size else None


@dataclass
class RaceResult:
    """One racer's run. Rows after a stop (see ``stopped_at``) are NaN."""

    label: str
    config: dict
    path: np.ndarray
    loss: np.ndarray
    internals: dict[str, np.ndarray]
    stopped_at: int | None = None
    stop_reason: str | None = None


def _stack(records: list[dict], steps: int) -> dict[str, np.ndarray]:
    out = {}
    for key in (records[0] if records else {}):
        rows = np.asarray([r[key] for r in records], np.float64)
        full = np.full((steps,) + rows.shape[1:], np.nan)
        full[:len(rows)] = rows
        out[key] = full
    return out


def race(surface: SurfaceLike, optimizers: Sequence[dict], start: Sequence[float], steps: int,
         seed: int = 0) -> list[RaceResult]:
    """Run every optimizer ``steps`` steps from ``start``; one ``RaceResult`` per optimizer, in order.

    ``surface``: one of ``SURFACES`` (or its name), or a function p -> (value, gradient).
    On the noisy surface every racer draws the same noise sequence from ``seed``.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a whole number of at least 0, not {steps!r}")
    results = []
    for config in optimizers:
        racer = Racer(surface, config, start, seed)
        for _ in range(steps):
            if not racer.step():
                break
        n = racer.steps
        path = np.full((steps + 1, 2), np.nan)
        path[:n + 1] = racer.path
        loss = np.full(steps + 1, np.nan)
        loss[:n + 1] = racer.losses
        results.append(RaceResult(racer.label, racer.config, path, loss,
                                  _stack(racer.internals, steps),
                                  n if racer.stopped else None, racer.stopped))
    return results
