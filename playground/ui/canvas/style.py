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
THUMB = 36.0        # a neuron thumbnail's side (and an input feature's map), when the row has room
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


def _diverging_lut() -> np.ndarray:
    """The colour map as 256 Format_RGB32 words 0xffRRGGBB: entry k is the colour of
    t = (k - 127) / 127, so 0 -> orange, 127 -> exactly white (t = 0), 254 and 255 -> blue."""
    t = np.clip((np.arange(256, dtype=np.float32) - 127.0) / 127.0, -1.0, 1.0)[:, None]
    target = np.where(t < 0, NEGATIVE_RGB, POSITIVE_RGB)
    rgb = np.rint(ZERO_RGB + (target - ZERO_RGB) * np.abs(t)).astype(np.uint32)
    return (0xFF000000 | rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]).astype(np.uint32)


DIVERGING_LUT = _diverging_lut()


def colour_levels(values: np.ndarray, activation: str) -> tuple[float, float]:
    """(scale, offset) that take layer outputs to t in [-1, 1] for the colour map (t = v·scale +
    offset).

    tanh-like outputs already live in [-1, 1] and keep fixed levels, so a colour always means the
    same value; sigmoid, softmax and step live in [0, 1] and map 0.5 to white; unbounded outputs
    (identity, relu, input features) are scaled by their largest magnitude so 0 stays white.
    """
    if activation == "tanh":
        return 1.0, 0.0
    if activation in ("sigmoid", "softmax", "step"):
        return 2.0, -1.0
    peak = float(np.max(np.abs(values))) if values.size else 0.0
    return (1.0 / peak if peak > 0 else 1.0), 0.0


def colour_map_into(values: np.ndarray, scale: float, offset: float, out: np.ndarray) -> None:
    """Colour ``values`` into ``out`` (uint32 words of the same shape) through the lookup table.

    One float pass and one gather instead of per-channel blending: the index is
    k = round(127·(v·scale + offset)) + 127, clipped to [0, 254], i.e. t quantised to 1/127.
    The float and index buffers are kept per shape (``_buffers``): a fresh pair per call cost
    five times the arithmetic (new pages for a canvas's hundred 100x100 neuron maps).
    """
    work, index = _buffers(values.shape)
    np.multiply(values, np.float32(127.0 * scale), out=work, casting="unsafe")
    work += np.float32(127.0 * offset + 127.5)    # +0.5: truncation below rounds to nearest
    np.clip(work, 0.0, 254.9, out=work)
    np.copyto(index, work, casting="unsafe")
    np.take(DIVERGING_LUT, index, out=out)


_BUFFERS: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {}
_MAX_SHAPES = 16        #: a network's layers, the input maps and a few heatmaps


def _buffers(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """A float32 and a uint8 array of ``shape``, reused by every call with that shape (the UI
    thread's alone: the canvas, the stepper and the lessons colour there)."""
    pair = _BUFFERS.get(shape)
    if pair is None:
        if len(_BUFFERS) >= _MAX_SHAPES:
            _BUFFERS.clear()
        pair = _BUFFERS[shape] = (np.empty(shape, np.float32), np.empty(shape, np.uint8))
    return pair


class ImageBuffer:
    """A QImage whose pixels are written through numpy views, reused frame after frame.

    Format_RGB32 is the raster engine's own opaque format, so scaled drawing (the thumbnails)
    needs no per-frame conversion: about 4x faster than RGBA8888. ``words`` holds one 0xffRRGGBB
    uint32 per pixel; ``pixels`` the same memory as bytes (B, G, R, 255 on little-endian).
    """

    def __init__(self, width: int, height: int):
        self.image = QImage(width, height, QImage.Format.Format_RGB32)
        self.image.fill(0)
        stride = self.image.bytesPerLine()   # a multiple of 4: every row is whole words
        raw = np.frombuffer(self.image.bits(), np.uint32).reshape(height, stride // 4)
        self.words = raw[:, :width]
        self.pixels = self.words.view(np.uint8).reshape(height, width, 4)

    def fits(self, width: int, height: int) -> bool:
        return self.image.width() == width and self.image.height() == height
