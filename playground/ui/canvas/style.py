"""Colours and metrics of the network canvas, from the widget palette so light and dark both work.

Family hues are fixed (a dense layer is blue in every theme); everything else - block fill, text,
borders - is mixed from the palette's Base/Text/Mid colours. The diverging colour map is
TensorFlow Playground's: orange for negative, white for 0, blue for positive.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage, QPalette

#: layer family -> hue of its block (see document.LAYER_TYPES for each type's family)
FAMILY_COLOURS = {
    "input": QColor(120, 128, 140),
    "dense": QColor(66, 133, 244),
    "activation": QColor(171, 71, 188),
    "conv": QColor(15, 157, 88),
    "pool": QColor(0, 150, 167),
    "shape": QColor(130, 119, 110),
    "regularization": QColor(230, 145, 30),
}
ERROR_COLOUR = QColor(219, 50, 54)

# TensorFlow Playground's colours: orange below zero, blue above
NEGATIVE_RGB = np.array([245, 147, 34], np.float32)
POSITIVE_RGB = np.array([8, 119, 189], np.float32)
ZERO_RGB = np.array([255, 255, 255], np.float32)

BLOCK_WIDTH = 300.0
BLOCK_TEXT_HEIGHT = 62.0
INPUT_HEIGHT = 48.0
GAP = 40.0          # between blocks: room for the link and its shape label
THUMB = 28.0        # a neuron thumbnail's side
THUMB_GAP = 6.0
LIVE_MARGIN = 8.0
HEATMAP_HEIGHT = 40.0
RADIUS = 8.0


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """(1 - t)·a + t·b, per channel."""
    return QColor(round(a.red() + (b.red() - a.red()) * t),
                  round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def block_fill(palette: QPalette, hue: QColor) -> QColor:
    """A tint of the family hue on the theme's base colour: light in light mode, deep in dark."""
    return mix(palette.color(QPalette.ColorRole.Base), hue, 0.22 if is_dark(palette) else 0.10)


def muted_text(palette: QPalette) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.4)


def diverging_rgba(values: np.ndarray, out: np.ndarray) -> None:
    """Write RGBA bytes for ``values`` in [-1, 1] into ``out`` (..., 4): orange < 0 < blue."""
    t = np.clip(values, -1.0, 1.0)[..., None].astype(np.float32)
    target = np.where(t < 0, NEGATIVE_RGB, POSITIVE_RGB)
    out[..., :3] = ZERO_RGB + (target - ZERO_RGB) * np.abs(t)
    out[..., 3] = 255


def normalize_for_colour(values: np.ndarray, activation: str) -> np.ndarray:
    """Map layer outputs to [-1, 1] for the colour map.

    tanh-like outputs already live in [-1, 1] and keep fixed levels, so a colour always means the
    same value; sigmoid, softmax and step live in [0, 1] and map 0.5 to white; unbounded outputs
    (identity, relu) are scaled by their largest magnitude.
    """
    if activation == "tanh":
        return values
    if activation in ("sigmoid", "softmax", "step"):
        return values * 2.0 - 1.0
    peak = float(np.max(np.abs(values))) if values.size else 0.0
    return values / peak if peak > 0 else values


class ImageBuffer:
    """A QImage whose pixels are written through a numpy view, reused frame after frame."""

    def __init__(self, width: int, height: int):
        self.image = QImage(width, height, QImage.Format.Format_RGBA8888)
        self.image.fill(0)
        stride = self.image.bytesPerLine()
        raw = np.frombuffer(self.image.bits(), np.uint8).reshape(height, stride)
        self.pixels = raw[:, :width * 4].reshape(height, width, 4)

    def fits(self, width: int, height: int) -> bool:
        return self.image.width() == width and self.image.height() == height
