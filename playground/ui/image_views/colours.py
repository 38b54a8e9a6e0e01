"""Colour maps and array-to-QImage conversion shared by the image views.

Weights, gradients and activations use one diverging map (blue negative, white zero, red positive)
over symmetric levels [-m, m], so white always means 0; images use grey; counts use white-to-blue.
A map is a 256-entry table of 0xAARRGGBB words, so colouring an array is one fancy index.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage


def _ramp(stops: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    t = np.linspace(0.0, 1.0, 256)
    pos = [s[0] for s in stops]
    rgb = [np.interp(t, pos, [s[1][i] for s in stops]) for i in range(3)]
    r, g, b = (np.round(c).astype(np.uint32) for c in rgb)
    return (0xFF000000 | (r << 16) | (g << 8) | b).astype(np.uint32)


#: name -> 256 ARGB words
MAPS: dict[str, np.ndarray] = {
    "diverging": _ramp([(0.0, (33, 102, 172)), (0.25, (103, 169, 207)), (0.5, (247, 247, 247)),
                        (0.75, (239, 138, 98)), (1.0, (178, 24, 43))]),
    "grey": _ramp([(0.0, (0, 0, 0)), (1.0, (255, 255, 255))]),
    "counts": _ramp([(0.0, (247, 251, 255)), (0.4, (158, 202, 225)), (1.0, (8, 69, 148))]),
}


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is >= value (a colour scale students can read)."""
    if not np.isfinite(value) or value <= 0:
        return 1.0
    exponent = np.floor(np.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        candidate = step * 10.0 ** exponent
        if candidate >= value * (1 - 1e-9):
            return float(candidate)
    return float(10.0 ** (exponent + 1))


def symmetric_levels(*arrays: np.ndarray) -> tuple[float, float]:
    """[-m, m] with m the largest |value| (1 if everything is 0), so white stays at zero."""
    m = max((float(np.max(np.abs(a))) for a in arrays if a is not None and a.size), default=0.0)
    m = m if np.isfinite(m) and m > 0 else 1.0
    return -m, m


def colour_indices(values: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """0..255 positions in a colour map; NaN lands in the middle (white on the diverging map)."""
    lo, hi = levels
    scale = 255.0 / (hi - lo) if hi > lo else 0.0
    idx = (np.asarray(values, np.float32) - np.float32(lo)) * np.float32(scale)
    np.clip(idx, 0, 255, out=idx)
    nan = np.isnan(idx)
    if nan.any():
        idx[nan] = 127.5
    return idx.astype(np.uint8)


def to_argb(values: np.ndarray, levels: tuple[float, float], cmap: str) -> np.ndarray:
    """(H, W) values -> (H, W) uint32 ARGB; (H, W, 3) RGB in levels -> ARGB directly."""
    if values.ndim == 3:
        rgb = colour_indices(values, levels).astype(np.uint32)
        return np.ascontiguousarray(0xFF000000 | (rgb[..., 0] << 16) | (rgb[..., 1] << 8)
                                    | rgb[..., 2])
    return np.ascontiguousarray(MAPS[cmap][colour_indices(values, levels)])


def to_qimage(values: np.ndarray, levels: tuple[float, float], cmap: str) -> QImage:
    """A QImage that owns its pixels (the numpy buffer may go away afterwards)."""
    argb = to_argb(values, levels, cmap)
    h, w = argb.shape
    return QImage(argb.data, w, h, 4 * w, QImage.Format.Format_RGB32).copy()


def colour_of(value: float, levels: tuple[float, float], cmap: str) -> QColor:
    return QColor.fromRgb(int(MAPS[cmap][colour_indices(np.array([value]), levels)[0]]))


def text_colour_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background`` (relative luminance)."""
    lum = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF()
    return QColor(0, 0, 0) if lum > 0.5 else QColor(255, 255, 255)


def image_planes(images: np.ndarray) -> tuple[np.ndarray, tuple[float, float], str]:
    """(N, C, H, W) images -> arrays to draw, their levels and map: grey for one channel,
    RGB (N, H, W, 3) for three; levels from the data so standardised images still show."""
    images = np.asarray(images, np.float64)
    lo, hi = float(np.min(images)), float(np.max(images))
    levels = (lo, hi if hi > lo else lo + 1.0)
    if images.shape[1] == 3:
        return np.moveaxis(images, 1, -1), levels, "grey"
    return images[:, 0], levels, "grey"
