"""Anti-aliased drawing of many small images at once: numba kernels over distance fields.

Every primitive is a row of a float32 table whose first column is the index of the image it goes
into; a kernel visits only the pixels of the primitive's bounding box. Coverage is the usual
one-pixel ramp: a pixel centre at signed distance d from the shape's edge (negative inside) is
covered by clip(0.5 - d, 0, 1). Shapes are united by taking the maximum coverage (an "alpha" mask in
[0, 1]); colour is applied afterwards. Coordinates are pixels: x to the right, y downwards, pixel
(row r, column c) has its centre at (c + 0.5, r + 0.5).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def _box(alpha, cx0, cy0, cx1, cy1):
    h, w = alpha.shape[1], alpha.shape[2]
    return (max(int(math.floor(cx0)) - 1, 0), min(int(math.ceil(cx1)) + 1, w),
            max(int(math.floor(cy0)) - 1, 0), min(int(math.ceil(cy1)) + 1, h))


@njit(nogil=True, cache=True)
def draw_capsules(alpha, caps):
    """Segments with round caps. caps (M, 6): image, x0, y0, x1, y1, half_width."""
    for m in range(caps.shape[0]):
        i, x0, y0, x1, y1, hw = int(caps[m, 0]), caps[m, 1], caps[m, 2], caps[m, 3], caps[m, 4], caps[m, 5]
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        c0, c1, r0, r1 = _box(alpha, min(x0, x1) - hw, min(y0, y1) - hw, max(x0, x1) + hw, max(y0, y1) + hw)
        for r in range(r0, r1):
            py = r + 0.5
            for c in range(c0, c1):
                px = c + 0.5
                t = 0.0
                if length2 > 0.0:
                    # projection of the pixel centre on the segment, clamped to its ends
                    t = min(max(((px - x0) * dx + (py - y0) * dy) / length2, 0.0), 1.0)
                ex, ey = px - (x0 + t * dx), py - (y0 + t * dy)
                cover = min(max(hw + 0.5 - math.sqrt(ex * ex + ey * ey), 0.0), 1.0)
                if cover > alpha[i, r, c]:
                    alpha[i, r, c] = cover


@njit(nogil=True, cache=True)
def draw_rings(alpha, rings):
    """Discs and rings. rings (M, 5): image, cx, cy, radius, half_width; half_width <= 0 fills."""
    for m in range(rings.shape[0]):
        i, cx, cy, rad, hw = int(rings[m, 0]), rings[m, 1], rings[m, 2], rings[m, 3], rings[m, 4]
        reach = rad + max(hw, 0.0)
        c0, c1, r0, r1 = _box(alpha, cx - reach, cy - reach, cx + reach, cy + reach)
        for r in range(r0, r1):
            for c in range(c0, c1):
                d = math.sqrt((c + 0.5 - cx) ** 2 + (r + 0.5 - cy) ** 2) - rad
                if hw > 0.0:
                    d = abs(d) - hw                # a ring is a band of half-width hw around the circle
                cover = min(max(0.5 - d, 0.0), 1.0)
                if cover > alpha[i, r, c]:
                    alpha[i, r, c] = cover


@njit(nogil=True, cache=True)
def draw_polygons(alpha, polys):
    """Filled convex polygons. polys (M, 1 + 2V): image, then V vertices (x, y) in either turning
    direction (repeat a vertex for fewer corners). Signed distance = the largest distance to an
    edge's line, positive outside: exact inside, a slight overestimate near outer corners."""
    nv = (polys.shape[1] - 1) // 2
    for m in range(polys.shape[0]):
        i = int(polys[m, 0])
        xs, ys = polys[m, 1::2], polys[m, 2::2]
        area = 0.0
        for k in range(nv):
            area += xs[k] * ys[(k + 1) % nv] - xs[(k + 1) % nv] * ys[k]
        sign = 1.0 if area > 0 else -1.0
        c0, c1, r0, r1 = _box(alpha, xs.min(), ys.min(), xs.max(), ys.max())
        for r in range(r0, r1):
            for c in range(c0, c1):
                px, py = c + 0.5, r + 0.5
                d = -1e9
                for k in range(nv):
                    ex, ey = xs[(k + 1) % nv] - xs[k], ys[(k + 1) % nv] - ys[k]
                    length = math.sqrt(ex * ex + ey * ey)
                    if length > 1e-6:
                        # outward distance to the edge's line (cross product / length)
                        d = max(d, sign * ((px - xs[k]) * ey - (py - ys[k]) * ex) / length)
                cover = min(max(0.5 - d, 0.0), 1.0)
                if cover > alpha[i, r, c]:
                    alpha[i, r, c] = cover


def capsules_along(paths: np.ndarray, image_index: np.ndarray, half_width: np.ndarray,
                   closed: bool = False) -> np.ndarray:
    """The capsule table for polylines: paths (m, Q, 2), one image index and half-width each."""
    if closed:
        paths = np.concatenate([paths, paths[:, :1]], axis=1)
    m, q = paths.shape[:2]
    out = np.empty((m, q - 1, 6), np.float32)
    out[..., 0] = image_index[:, None]
    out[..., 1:3] = paths[:, :-1]
    out[..., 3:5] = paths[:, 1:]
    out[..., 5] = half_width[:, None]
    return out.reshape(-1, 6)


def rotation(angle: np.ndarray) -> np.ndarray:
    """(m, 2, 2) rotation matrices (y down, so a positive angle turns clockwise on screen)."""
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)


def finish(alpha: np.ndarray, rng: np.random.Generator, noise: float, color: str) -> np.ndarray:
    """Masks (n, H, W) -> images (n, C, H, W) float32 in [0, 1].

    Gray: ink of brightness 0.7-1 on black plus Gaussian pixel noise of sd ``noise``. RGB: a random
    ink colour on a random background of clearly different brightness (light on dark or dark on
    light at random), plus noise."""
    n = len(alpha)
    if color == "gray":
        ink = rng.uniform(0.7, 1.0, (n, 1, 1, 1)).astype(np.float32)
        img = alpha[:, None] * ink
    else:
        dark = rng.uniform(0.0, 0.4, (n, 3, 1, 1)).astype(np.float32)
        light = rng.uniform(0.55, 1.0, (n, 3, 1, 1)).astype(np.float32)
        swap = rng.random((n, 1, 1, 1)) < 0.5
        fg, bg = np.where(swap, dark, light), np.where(swap, light, dark)
        img = bg + (fg - bg) * alpha[:, None]
    if noise > 0:
        img += rng.standard_normal(img.shape, dtype=np.float32) * np.float32(noise)
    return np.clip(img, 0.0, 1.0, out=img)
