"""Procedural shapes: circle, square, triangle, cross, ring (random size, position, rotation,
stroke width, fill and noise).

A circle is a filled disc and a ring is an outline with a clear hole; squares and triangles are
filled or outlined at random, so no single pixel statistic gives the class away.
"""
from __future__ import annotations

import numpy as np

from .render import capsules_along, draw_capsules, draw_polygons, draw_rings, finish, rotation

CLASS_NAMES = ["circle", "square", "triangle", "cross", "ring"]


def _regular(centre, radius, angle, corners):
    """(m, corners, 2) vertices of rotated regular polygons."""
    k = np.arange(corners) * 2 * np.pi / corners
    unit = np.stack([np.cos(k), np.sin(k)], axis=1)                  # (corners, 2)
    return centre[:, None] + radius[:, None, None] * np.einsum("mij,kj->mki", rotation(angle), unit)


def _polygons(idx, verts, half_width, filled):
    """Filled ones become polygons (triangles repeat a corner to make 4), the rest outlines."""
    polys = np.concatenate([verts, verts[:, -1:]], axis=1) if verts.shape[1] == 3 else verts
    table = np.concatenate([idx[filled, None], polys[filled].reshape(filled.sum(), -1)], axis=1)
    caps = capsules_along(verts[~filled], idx[~filled], half_width[~filled], closed=True)
    return table.astype(np.float32), caps


def render_shapes(labels: np.ndarray, size: int, rng: np.random.Generator, noise: float,
                  color: str = "gray") -> np.ndarray:
    """Images (n, C, size, size) of the shapes named by ``labels`` (indices into CLASS_NAMES)."""
    n, u = len(labels), size / 28.0                                  # u: one 28-pixel "unit"
    radius = rng.uniform(5.0, 11.0, n) * u
    centre = np.stack([rng.uniform(radius + u, size - radius - u),
                       rng.uniform(radius + u, size - radius - u)], axis=1)
    angle = rng.uniform(0, 2 * np.pi, n)
    half_width = rng.uniform(0.7, 1.8, n) * u
    filled = rng.random(n) < 0.5
    idx = np.arange(n, dtype=np.float32)
    alpha = np.zeros((n, size, size), np.float32)
    rings, polys, caps = [], [], []
    for label, name in enumerate(CLASS_NAMES):
        s = labels == label
        if name == "circle":
            rings.append(np.stack([idx[s], *centre[s].T, radius[s] * 0.8, -np.ones(s.sum())], axis=1))
        elif name == "ring":
            hw = np.minimum(half_width[s], 0.25 * radius[s])         # keep the hole open
            rings.append(np.stack([idx[s], *centre[s].T, radius[s] - hw, hw], axis=1))
        elif name == "cross":
            ends = _regular(centre[s], radius[s], angle[s], 4)        # arms to opposite corners
            paths = np.stack([ends[:, [0, 2]], ends[:, [1, 3]]], axis=1).reshape(-1, 2, 2)
            caps.append(capsules_along(paths, np.repeat(idx[s], 2), np.repeat(half_width[s], 2)))
        else:
            verts = _regular(centre[s], radius[s] * (0.85 if name == "square" else 1.0),
                             angle[s], 4 if name == "square" else 3)
            table, outline = _polygons(idx[s], verts, half_width[s], filled[s])
            polys.append(table)
            caps.append(outline)
    draw_rings(alpha, np.concatenate(rings).astype(np.float32))
    draw_polygons(alpha, np.concatenate(polys).astype(np.float32))
    draw_capsules(alpha, np.concatenate(caps).astype(np.float32))
    return finish(alpha, rng, noise, color)
