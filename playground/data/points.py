"""2-D point generators, after TensorFlow Playground's ``dataset.ts``, plus a few of our own.

Each generator takes (n, noise, rng, **options) and returns points (n, 2) and targets. ``noise`` is
Playground's slider divided by 100 (0 to 0.5) and means what it means there: for circle, xor, plane
and multi-gaussian the *label* is computed at a point displaced by uniform noise of that fraction of
the radius; for gauss it widens the variance from 0.5 to 4; for spiral it jitters the points.
Labels are 0/1 where Playground uses -1/+1 (class 1 is Playground's +1, blue). Points are clipped
to the drawn square [-6, 6]^2.
"""
from __future__ import annotations

import numpy as np

EXTENT = 6.0


def _halves(n: int) -> tuple[int, int]:
    return n // 2, n - n // 2


def circle(n, noise, rng):
    radius = 5.0
    n_in, n_out = _halves(n)
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n_out)])
    angle = rng.uniform(0, 2 * np.pi, n)
    pts = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    moved = pts + rng.uniform(-radius, radius, (n, 2)) * noise
    labels = (np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5).astype(np.int64)
    return pts, labels


def xor(n, noise, rng):
    pts = rng.uniform(-5, 5, (n, 2))
    pts += np.where(pts > 0, 0.3, -0.3)            # Playground's padding keeps the axes clear
    moved = pts + rng.uniform(-5, 5, (n, 2)) * noise
    return pts, (moved[:, 0] * moved[:, 1] >= 0).astype(np.int64)


def gauss(n, noise, rng):
    variance = 0.5 + noise / 0.5 * 3.5             # d3 scale [0, .5] -> [0.5, 4]
    n_neg, n_pos = _halves(n)
    sd = np.sqrt(variance)
    pts = np.concatenate([rng.normal(2, sd, (n_pos, 2)), rng.normal(-2, sd, (n_neg, 2))])
    return pts, np.concatenate([np.ones(n_pos, np.int64), np.zeros(n_neg, np.int64)])


def _spiral_arms(n, noise, rng, n_arms):
    counts = [n // n_arms + (1 if k < n % n_arms else 0) for k in range(n_arms)]
    pts, labels = [], []
    for k, m in enumerate(counts):
        i = np.arange(m) / m
        r = i * 5
        t = 1.75 * i * 2 * np.pi + 2 * np.pi * k / n_arms
        arm = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (m, 2)) * noise
        pts.append(arm)
        labels.append(np.full(m, k, np.int64))
    return np.concatenate(pts), np.concatenate(labels)


def spiral(n, noise, rng):
    pts, labels = _spiral_arms(n, noise, rng, 2)
    return pts, 1 - labels                         # Playground's arm at t=0 is the positive one


def spiral3(n, noise, rng):
    return _spiral_arms(n, noise, rng, 3)


def moons(n, noise, rng):
    """Two interleaved half moons (scikit-learn's shape), scaled by 3 to fill the square;
    noise is Gaussian with a standard deviation of 2 * noise."""
    n0, n1 = _halves(n)
    t0, t1 = rng.uniform(0, np.pi, n0), rng.uniform(0, np.pi, n1)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    pts = 3 * (np.concatenate([upper, lower]) - [0.5, 0.25])
    pts += rng.normal(0, 2 * noise, pts.shape)
    return pts, np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])


def blobs(n, noise, rng, k=4):
    """k Gaussian blobs on a circle of radius 3.5; noise widens them (sd 0.5 to 2)."""
    labels = np.arange(n) % k
    angle = 2 * np.pi * labels / k + np.pi / 4
    centres = 3.5 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return centres + rng.normal(0, 0.5 + 3 * noise, (n, 2)), labels.astype(np.int64)


def linear(n, noise, rng, margin=0.5):
    """Two classes on either side of a random line near the origin, with no clean point closer
    to the line than ``margin``: the perceptron converges on it. Noise displaces the point the
    label is computed at (as for xor), which can make the set inseparable."""
    angle = rng.uniform(0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    offset = rng.uniform(-1, 1)
    kept = np.empty((0, 2))
    while len(kept) < n:                            # rejection: about (10 - 2 margin)/10 are kept
        cand = rng.uniform(-5, 5, (2 * n, 2))
        kept = np.concatenate([kept, cand[np.abs(cand @ normal - offset) >= margin]])
    pts = kept[:n]
    moved = pts + rng.uniform(-5, 5, (n, 2)) * noise
    return pts, (moved @ normal - offset > 0).astype(np.int64)


MULTILABEL_NAMES = ["inside circle A", "inside circle B", "above the line"]


def multilabel(n, noise, rng):
    """Each point carries any of three labels: inside circle A (centre (-1.5, 1), radius 3.5),
    inside circle B (centre (1.5, -1), radius 3.5), above the line x2 = 0.5 x1 + 1.5."""
    pts = rng.uniform(-EXTENT, EXTENT, (n, 2))
    m = pts + rng.uniform(-EXTENT, EXTENT, (n, 2)) * noise
    a = np.hypot(m[:, 0] + 1.5, m[:, 1] - 1) < 3.5
    b = np.hypot(m[:, 0] - 1.5, m[:, 1] + 1) < 3.5
    above = m[:, 1] > 0.5 * m[:, 0] + 1.5
    return pts, np.stack([a, b, above], axis=1).astype(np.float32)


def plane(n, noise, rng):
    pts = rng.uniform(-EXTENT, EXTENT, (n, 2))
    m = pts + rng.uniform(-EXTENT, EXTENT, (n, 2)) * noise
    # Playground maps [-10, 10] -> [-1, 1] and so reaches 1.2 in the corners, beyond a tanh output:
    # we divide by 12 (the corners' x1 + x2) and clamp what noise pushes further
    return pts, np.clip((m[:, 0] + m[:, 1]) / 12, -1, 1).astype(np.float32)[:, None]


_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                       [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gaussian(n, noise, rng):
    pts = rng.uniform(-EXTENT, EXTENT, (n, 2))
    m = pts + rng.uniform(-EXTENT, EXTENT, (n, 2)) * noise
    d = np.hypot(m[:, None, 0] - _GAUSSIANS[:, 0], m[:, None, 1] - _GAUSSIANS[:, 1])
    values = _GAUSSIANS[:, 2] * np.clip(1 - d / 2, 0, 1)       # d3 [0, 2] -> [1, 0], clamped
    pick = np.argmax(np.abs(values), axis=1)                    # the largest in absolute value
    return pts, values[np.arange(n), pick].astype(np.float32)[:, None]
