"""Handwriting-like digits 0-9 drawn from stroke skeletons: no download needed.

Each digit is one or two strokes through control points in a unit box (x right, y down). Every
image jitters the control points, then the stroke is smoothed (Catmull-Rom) or kept straight,
slanted, rotated, scaled, moved and drawn with a random pen width.
"""
from __future__ import annotations

import numpy as np

from .render import capsules_along, draw_capsules, finish

CLASS_NAMES = [str(d) for d in range(10)]

# (kind, closed, control points); "curve" goes smoothly through the points, "line" is a polyline
SKELETONS = {
    0: [("curve", True, [(0.5, 0.0), (0.85, 0.2), (0.9, 0.6), (0.7, 0.95), (0.35, 0.98),
                         (0.12, 0.7), (0.12, 0.3), (0.25, 0.07)])],
    1: [("line", False, [(0.3, 0.22), (0.58, 0.0), (0.58, 1.0)])],
    2: [("curve", False, [(0.1, 0.25), (0.35, 0.02), (0.75, 0.05), (0.85, 0.3), (0.55, 0.65),
                          (0.12, 0.98)]),
        ("line", False, [(0.12, 0.98), (0.92, 0.98)])],
    3: [("curve", False, [(0.12, 0.12), (0.5, 0.0), (0.85, 0.2), (0.45, 0.48)]),
        ("curve", False, [(0.45, 0.48), (0.9, 0.7), (0.55, 1.0), (0.1, 0.88)])],
    4: [("line", False, [(0.68, 1.0), (0.68, 0.0), (0.05, 0.68), (0.95, 0.68)])],
    5: [("line", False, [(0.85, 0.0), (0.22, 0.0), (0.17, 0.45)]),
        ("curve", False, [(0.17, 0.45), (0.55, 0.35), (0.88, 0.65), (0.55, 1.0), (0.1, 0.9)])],
    6: [("curve", False, [(0.8, 0.05), (0.4, 0.08), (0.15, 0.5), (0.22, 0.92), (0.55, 1.0),
                          (0.82, 0.78), (0.68, 0.5), (0.35, 0.52), (0.17, 0.72)])],
    7: [("line", False, [(0.08, 0.0), (0.92, 0.0), (0.38, 1.0)])],
    8: [("curve", True, [(0.5, 0.48), (0.82, 0.24), (0.5, 0.0), (0.18, 0.24), (0.5, 0.48),
                         (0.88, 0.74), (0.5, 1.0), (0.12, 0.74)])],
    9: [("curve", False, [(0.82, 0.3), (0.5, 0.52), (0.17, 0.32), (0.4, 0.02), (0.78, 0.08),
                          (0.82, 0.3)]),
        ("line", False, [(0.82, 0.3), (0.72, 1.0)])],
}
_STEPS = 6          # segments per span of a smoothed stroke


def _catmull_rom(n_points: int, closed: bool) -> np.ndarray:
    """The matrix W with curve = W @ control points for a uniform Catmull-Rom spline through
    every point (ends padded by repetition, or wrapped when closed)."""
    spans = n_points if closed else n_points - 1
    t = np.arange(_STEPS) / _STEPS
    basis = 0.5 * np.stack([-t ** 3 + 2 * t ** 2 - t, 3 * t ** 3 - 5 * t ** 2 + 2,
                            -3 * t ** 3 + 4 * t ** 2 + t, t ** 3 - t ** 2], axis=1)   # (S, 4)
    w = np.zeros((spans * _STEPS + 1, n_points))
    for s in range(spans):
        for j, k in enumerate(range(s - 1, s + 3)):
            k = k % n_points if closed else min(max(k, 0), n_points - 1)
            w[s * _STEPS:(s + 1) * _STEPS, k] += basis[:, j]
    w[-1, 0 if closed else n_points - 1] = 1.0
    return w


def _stroke_paths(kind, closed, ctrl, rng):
    """(m, Q, 2) points of one stroke for m images, in the unit box, jittered."""
    pts = ctrl + rng.normal(0, 0.045, ctrl.shape)
    if kind == "line":
        return pts
    return np.einsum("qk,mkd->mqd", _catmull_rom(pts.shape[1], closed), pts)


def _placement(m, size, rng):
    """Per-image 2x2 maps and offsets from the unit box to pixels: height, narrowness, slant,
    a small rotation and the position of the box's centre."""
    u = size / 28.0
    height = rng.uniform(14.0, 20.0, m) * u
    width = height * rng.uniform(0.55, 0.85, m)
    slant, tilt = rng.uniform(-0.35, 0.35, m), rng.uniform(-0.12, 0.12, m)
    c, s = np.cos(tilt), np.sin(tilt)
    shear = np.tan(slant)
    # p_pixel = R(tilt) @ [[w, -shear*h], [0, h]] @ (p - 0.5) + centre
    a = np.stack([np.stack([c * width, -shear * height * c - s * height], -1),
                  np.stack([s * width, -shear * height * s + c * height], -1)], -2)
    centre = size / 2 + rng.uniform(-2.5, 2.5, (m, 2)) * u
    return a, centre


def render_digits(labels: np.ndarray, size: int, rng: np.random.Generator, noise: float,
                  color: str = "gray") -> np.ndarray:
    """Images (n, C, size, size) of the digits in ``labels``: one channel, or three with
    ``color="rgb"`` (a coloured digit on a coloured background)."""
    n = len(labels)
    alpha = np.zeros((n, size, size), np.float32)
    half_width = rng.uniform(0.7, 1.7, n) * size / 28.0
    caps = []
    for digit, strokes in SKELETONS.items():
        idx = np.flatnonzero(labels == digit)
        if len(idx) == 0:
            continue
        a, centre = _placement(len(idx), size, rng)
        for kind, closed, points in strokes:
            ctrl = np.broadcast_to(np.asarray(points, float), (len(idx), len(points), 2))
            unit = _stroke_paths(kind, closed, ctrl, rng) - 0.5
            paths = np.einsum("mij,mqj->mqi", a, unit) + centre[:, None]
            caps.append(capsules_along(paths, idx, half_width[idx]))
    draw_capsules(alpha, np.concatenate(caps).astype(np.float32))
    return finish(alpha, rng, noise, color)
