"""Bars at k angles: one class per angle, with jittered angle, length, width and position, among
a few distracting dots."""
from __future__ import annotations

import numpy as np

from .render import capsules_along, draw_capsules, draw_rings, finish


def class_names(k: int) -> list[str]:
    return [f"{180 * j / k:g}°" for j in range(k)]


def _distractors(n, size, rng, u):
    """2-4 dots per image (radius 0.8-1.6 units) anywhere: ink that carries no angle."""
    count = rng.integers(2, 5, n)
    idx = np.repeat(np.arange(n), count)
    m = len(idx)
    return np.stack([idx, *rng.uniform(2 * u, size - 2 * u, (2, m)), rng.uniform(0.8, 1.6, m) * u,
                     -np.ones(m)], axis=1).astype(np.float32)


def render_orientations(labels: np.ndarray, size: int, rng: np.random.Generator, noise: float,
                        k: int) -> np.ndarray:
    """Images (n, 1, size, size): a bar at angle label * 180/k degrees (± 0.3 of the spacing, so
    neighbouring classes come within 0.4 of a spacing of each other) measured anticlockwise from
    horizontal, plus distracting dots."""
    n, u = len(labels), size / 28.0
    spacing = np.pi / k
    angle = labels * spacing + rng.uniform(-0.3, 0.3, n) * spacing
    half_len = rng.uniform(3.0, 10.0, n) * u
    centre = size / 2 + rng.uniform(-5, 5, (n, 2)) * u
    step = half_len[:, None] * np.stack([np.cos(angle), -np.sin(angle)], axis=1)   # y points down
    paths = np.stack([centre - step, centre + step], axis=1)
    alpha = np.zeros((n, size, size), np.float32)
    half_width = rng.uniform(0.6, 2.0, n) * u
    draw_capsules(alpha, capsules_along(paths, np.arange(n), half_width))
    draw_rings(alpha, _distractors(n, size, rng, u))
    return finish(alpha, rng, noise, "gray")
