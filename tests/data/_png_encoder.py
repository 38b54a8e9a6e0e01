"""A small PNG encoder for the tests (every row filter, palette, 16-bit): the reader is checked
against files whose pixels we know."""
from __future__ import annotations

import struct
import zlib

import numpy as np


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _filter_row(kind, row, prev, bpp):
    out = bytearray(len(row))
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, _paeth(a, b, c)][kind]
        out[i] = (x - pred) & 255
    return bytes([kind]) + bytes(out)


def encode_png(samples: np.ndarray, ctype: int, depth: int = 8, palette=None, trns=None,
               filters=(0, 1, 2, 3, 4), interlace: int = 0) -> bytes:
    """samples: (H, W, channels) integers; rows are filtered with the given filter types in turn."""
    h, w = samples.shape[:2]
    if depth == 16:
        rows = samples.astype(">u2").reshape(h, -1).view(np.uint8).reshape(h, -1)
    elif depth < 8:
        bits = ((samples.reshape(h, w, 1) >> np.arange(depth - 1, -1, -1)) & 1).astype(np.uint8)
        rows = np.packbits(bits.reshape(h, -1), axis=1)
    else:
        rows = samples.astype(np.uint8).reshape(h, -1)
    bpp = max(1, samples.shape[2] * depth // 8) if samples.ndim == 3 else 1
    prev = bytes(rows.shape[1])
    raw = b""
    for r in range(h):
        row = rows[r].tobytes()
        raw += _filter_row(filters[r % len(filters)], row, prev, bpp)
        prev = row
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace))
    if palette is not None:
        out += _chunk(b"PLTE", np.asarray(palette, np.uint8).tobytes())
    if trns is not None:
        out += _chunk(b"tRNS", bytes(trns))
    return out + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")
