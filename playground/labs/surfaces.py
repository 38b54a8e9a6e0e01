"""Loss surfaces of two parameters for the optimizer race (issue 10 section 1).

Each surface has a value and an analytic gradient, both vectorised over arrays of x and y, so the
same formulas draw the contours (a grid) and drive the racers (one point). A surface is called as
``surface(p)`` with ``p = (x, y)`` and returns ``(value, gradient)``; the noisy bowl also takes the
racer's random generator, which stands for the draw of a mini-batch.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Surface:
    """A loss J(x, y) with its gradient. ``params`` holds the sliders' values (condition number,
    noise); ``param_ranges`` their (low, high, label). ``extent`` is (xmin, xmax, ymin, ymax)."""

    name: str
    title: str
    formula: str
    value_fn: Callable[..., Array]
    grad_fn: Callable[..., tuple[Array, Array]]
    extent: tuple[float, float, float, float]
    start: tuple[float, float]
    minimum: tuple[float, float] | None
    help: str = ""
    params: dict = field(default_factory=dict)
    param_ranges: dict = field(default_factory=dict)
    #: the gradient's noise: a mini-batch's gradient is the full one plus this much N(0, 1)
    noise_param: str | None = None

    def with_params(self, **values: float) -> "Surface":
        """A copy with some parameters changed (a slider moved); unknown names are refused."""
        unknown = set(values) - set(self.params)
        if unknown:
            raise ValueError(f"the {self.title} surface has no setting(s) "
                             f"{', '.join(sorted(unknown))}; it has {', '.join(self.params) or 'none'}")
        for key, v in values.items():
            low, high, _ = self.param_ranges[key]
            if not (isinstance(v, (int, float)) and low <= v <= high):
                raise ValueError(f"{self.param_ranges[key][2]} must be between {low} and {high}, "
                                 f"not {v!r}")
        return replace(self, params={**self.params, **{k: float(v) for k, v in values.items()}})

    def value(self, x, y) -> Array:
        """J at (x, y); x and y may be arrays of any (equal) shape."""
        return self.value_fn(np.asarray(x, np.float64), np.asarray(y, np.float64), **self.params)

    def gradient(self, x, y) -> tuple[Array, Array]:
        """(dJ/dx, dJ/dy), noise-free."""
        return self.grad_fn(np.asarray(x, np.float64), np.asarray(y, np.float64), **self.params)

    def __call__(self, p, rng: np.random.Generator | None = None) -> tuple[float, Array]:
        """(J(p), gradient at p); with ``rng`` and a noise setting, the gradient of one mini-batch."""
        x, y = float(p[0]), float(p[1])
        with np.errstate(over="ignore", invalid="ignore"):
            gx, gy = self.gradient(x, y)
            value = float(self.value(x, y))
        grad = np.array([gx, gy], np.float64)
        if self.noise_param and rng is not None:
            grad += self.params[self.noise_param] * rng.standard_normal(2)
        return value, grad

    def grid(self, n: int = 200, extent: tuple[float, float, float, float] | None = None):
        """(xs, ys, Z) with Z[i, j] = J(xs[j], ys[i]) over ``extent`` (the surface's own by default)."""
        x0, x1, y0, y1 = extent or self.extent
        xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        X, Y = np.meshgrid(xs, ys)
        with np.errstate(over="ignore", invalid="ignore"):
            return xs, ys, self.value(X, Y)


# -- the formulas ----------------------------------------------------------------------------------
def _bowl(x, y, condition=10.0, **_):
    return x * x + condition * y * y


def _bowl_grad(x, y, condition=10.0, **_):
    return 2 * x, 2 * condition * y


def _rosenbrock(x, y, **_):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def _rosenbrock_grad(x, y, **_):
    return -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)


def _saddle(x, y, **_):
    return x * x - y * y


def _saddle_grad(x, y, **_):
    return 2 * x, -2 * y


_BEALE = ((1.5, 1), (2.25, 2), (2.625, 3))


def _beale(x, y, **_):
    return sum((c - x + x * y ** k) ** 2 for c, k in _BEALE)


def _beale_grad(x, y, **_):
    gx = sum(2 * (c - x + x * y ** k) * (y ** k - 1) for c, k in _BEALE)
    gy = sum(2 * (c - x + x * y ** k) * k * x * y ** (k - 1) for c, k in _BEALE)
    return gx, gy


def _noisy(x, y, noise=1.0, **_):
    return 0.5 * x * x + 2 * y * y


def _noisy_grad(x, y, noise=1.0, **_):
    return x, 4 * y


SURFACES: dict[str, Surface] = {s.name: s for s in (
    Surface("bowl", "Ill-conditioned bowl", "J = x² + κ·y²", _bowl, _bowl_grad,
            (-2.0, 2.0, -1.5, 1.5), (-1.8, 1.0), (0.0, 0.0),
            "A long narrow valley: the curvature across it is κ times the curvature along it "
            "(κ is the condition number). Plain gradient descent zig-zags across and crawls along; "
            "momentum and the adaptive methods fix one or the other.",
            {"condition": 10.0}, {"condition": (1.0, 100.0, "The condition number κ")}),
    Surface("rosenbrock", "Rosenbrock", "J = (1 − x)² + 100·(y − x²)²", _rosenbrock,
            _rosenbrock_grad, (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.5), (1.0, 1.0),
            "A curved banana-shaped valley: easy to fall into, slow to follow to the minimum at "
            "(1, 1)."),
    Surface("saddle", "Saddle", "J = x² − y²", _saddle, _saddle_grad,
            (-2.0, 2.0, -2.0, 2.0), (-1.8, 0.02), None,
            "Downhill along y, uphill along x. Starting near the ridge y = 0 the gradient across "
            "it is tiny: who escapes first? (There is no minimum: J falls without end.)"),
    Surface("beale", "Beale", "J = Σₖ (cₖ − x + x·yᵏ)², c = 1.5, 2.25, 2.625",
            _beale, _beale_grad, (-4.5, 4.5, -4.5, 4.5), (-1.0, 2.5), (3.0, 0.5),
            "Flat plateaus and steep walls: gradients range over many orders of magnitude. "
            "Minimum at (3, 0.5)."),
    Surface("noisy_bowl", "Bowl with mini-batch noise", "J = ½x² + 2y²,  g = ∇J + σ·N(0, 1)",
            _noisy, _noisy_grad, (-2.0, 2.0, -1.5, 1.5), (-1.8, 1.0), (0.0, 0.0),
            "The gradient of a mini-batch is the true gradient plus noise (σ sets how much, as a "
            "small batch would). Averaging optimizers (momentum, Adam) smooth it out.",
            {"noise": 1.0}, {"noise": (0.0, 10.0, "The gradient noise σ")}, "noise"),
)}
