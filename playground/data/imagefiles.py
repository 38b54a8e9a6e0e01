"""Reading image files without Qt or Pillow: PNG (zlib + struct) and PGM/PPM, and resizing.

PNG: 8-bit gray, gray+alpha, RGB, RGBA and palette images, 16-bit gray/RGB/alpha (high byte kept),
1/2/4-bit gray and palette; interlaced PNGs are reported as unreadable. Transparent pixels are
composited onto black (digits drawn on a transparent canvas become MNIST-like). PNM: P2, P3, P5, P6.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from numba import njit

from .errors import DatasetError
from .safefiles import MAX_IMAGE_FILE_BYTES, read_head, read_regular

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}         # PNG colour type -> samples per pixel
#: the longest side of an image read (the inflated pixels are then at most 4096 x 4096 x 8 bytes)
MAX_SIDE = 4096


class UnreadableImage(DatasetError):
    """An image file this reader cannot decode; the message says why."""


@njit(nogil=True, cache=True)
def _unfilter(raw, height, stride, bpp):
    """Undo PNG's per-row filters (None, Sub, Up, Average, Paeth) in one pass."""
    out = np.zeros((height, stride), np.uint8)
    for r in range(height):
        f = raw[r * (stride + 1)]
        row = raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)]
        for i in range(stride):
            a = np.int32(out[r, i - bpp]) if i >= bpp else 0
            b = np.int32(out[r - 1, i]) if r > 0 else 0
            c = np.int32(out[r - 1, i - bpp]) if (r > 0 and i >= bpp) else 0
            x = np.int32(row[i])
            if f == 1:
                x += a
            elif f == 2:
                x += b
            elif f == 3:
                x += (a + b) // 2
            elif f == 4:
                p = a + b - c              # Paeth: the neighbour closest to a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                x += a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
            elif f != 0:
                return out, False
            out[r, i] = x & 255
    return out, True


def _chunks(data: bytes):
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(body) < length or len(crc) < 4:
            raise UnreadableImage("the PNG file is truncated")
        if zlib.crc32(kind + body) & 0xFFFFFFFF != struct.unpack(">I", crc)[0]:
            raise UnreadableImage(f"the PNG file is damaged (bad checksum in its {kind.decode('latin-1')} chunk)")
        yield kind, body
        pos += 12 + length


def _png_samples(header, idat):
    width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if ctype not in _CHANNELS or depth not in (1, 2, 4, 8, 16) or width == 0 or height == 0:
        raise UnreadableImage(f"unsupported PNG (colour type {ctype}, bit depth {depth})")
    if interlace:
        raise UnreadableImage("interlaced PNGs are not supported; save it without interlacing")
    if depth < 8 and ctype not in (0, 3):
        raise UnreadableImage(f"unsupported PNG (colour type {ctype} at bit depth {depth})")
    check_size(width, height)
    channels = _CHANNELS[ctype]
    stride = (width * channels * depth + 7) // 8
    expected = height * (stride + 1)
    try:       # never inflate more than the header's width x height x channels allow
        raw = np.frombuffer(zlib.decompressobj().decompress(idat, expected), np.uint8)
    except zlib.error:
        raise UnreadableImage("the PNG's image data is damaged") from None
    if len(raw) < height * (stride + 1):
        raise UnreadableImage("the PNG's image data is incomplete")
    rows, ok = _unfilter(raw, height, stride, max(1, channels * depth // 8))
    if not ok:
        raise UnreadableImage("the PNG uses an unknown row filter")
    if depth == 16:
        return rows.reshape(height, width, channels, 2)[..., 0], ctype, depth
    if depth < 8:
        bits = np.unpackbits(rows, axis=1).reshape(height, -1, depth)[:, :width]
        values = (bits * (1 << np.arange(depth - 1, -1, -1))).sum(axis=2).astype(np.uint8)
        return values[..., None], ctype, depth
    return rows.reshape(height, width, channels), ctype, depth


def decode_png(data: bytes) -> np.ndarray:
    """A PNG's pixels as float32 (H, W, 1 or 3) in [0, 1]."""
    chunks = list(_chunks(data))
    header = next((body for kind, body in chunks if kind == b"IHDR"), None)
    if header is None or len(header) != 13:
        raise UnreadableImage("the PNG has no valid header")
    idat = b"".join(body for kind, body in chunks if kind == b"IDAT")
    samples, ctype, depth = _png_samples(header, idat)
    if ctype == 3:
        palette = next((body for kind, body in chunks if kind == b"PLTE"), b"")
        lut = np.frombuffer(palette[:len(palette) // 3 * 3], np.uint8).reshape(-1, 3)
        if len(lut) == 0 or samples.max() >= len(lut):
            raise UnreadableImage("the PNG's palette is missing or too short")
        trns = next((body for kind, body in chunks if kind == b"tRNS"), b"")
        alpha = np.full(len(lut), 255, np.uint8)
        alpha[:min(len(trns), len(lut))] = np.frombuffer(trns[:len(lut)], np.uint8)
        samples = np.concatenate([lut, alpha[:, None]], axis=1)[samples[..., 0]]
    elif ctype == 0 and depth < 8:
        samples = samples * np.uint8(255 // ((1 << depth) - 1))        # stretch 1/2/4-bit gray to 8
    pixels = samples.astype(np.float32) / 255.0
    if pixels.shape[2] in (2, 4):                    # alpha last: composite onto black
        pixels = pixels[..., :-1] * pixels[..., -1:]
    return pixels


def decode_pnm(data: bytes) -> np.ndarray:
    """A PGM/PPM (P2, P3, P5, P6) as float32 (H, W, 1 or 3) in [0, 1]."""
    magic = data[:2]
    channels = 1 if magic in (b"P2", b"P5") else 3
    tokens, pos = [], 2
    while len(tokens) < 3:                           # width, height, maxval; '#' starts a comment
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.find(b"\n", pos) + 1 or len(data)
            continue
        end = pos
        while end < len(data) and not data[end:end + 1].isspace():
            end += 1
        if end == pos:
            raise UnreadableImage("the PGM/PPM header is incomplete")
        tokens.append(data[pos:end])
        pos = end
    try:
        width, height, maxval = (int(t) for t in tokens)
    except ValueError:
        raise UnreadableImage("the PGM/PPM header is not numbers") from None
    if not (width > 0 and height > 0 and 0 < maxval < 65536):
        raise UnreadableImage(f"the PGM/PPM header is invalid ({width}x{height}, maxval {maxval})")
    check_size(width, height)
    count = width * height * channels
    if magic in (b"P5", b"P6"):
        dtype = ">u2" if maxval > 255 else "u1"
        body = data[pos + 1:pos + 1 + count * np.dtype(dtype).itemsize]
        if len(body) < count * np.dtype(dtype).itemsize:
            raise UnreadableImage("the PGM/PPM file is truncated")
        values = np.frombuffer(body, dtype).astype(np.float32)
    else:
        try:
            values = np.array(data[pos:].split()[:count], dtype=np.float32)
        except ValueError:
            raise UnreadableImage("the PGM/PPM pixel values are not numbers") from None
        if len(values) < count:
            raise UnreadableImage("the PGM/PPM file is truncated")
    return np.clip(values / maxval, 0, 1).reshape(height, width, channels)


def check_size(width: int, height: int) -> None:
    """Each side at most MAX_SIDE pixels (a 50,000,000 x 1 image is refused before decoding)."""
    if width > MAX_SIDE or height > MAX_SIDE:
        raise UnreadableImage(f"the image is {width:,}x{height:,} pixels; images up to "
                              f"{MAX_SIDE}x{MAX_SIDE} are read")


def read_image(path) -> np.ndarray:
    """An image file as float32 (H, W, 1 or 3) in [0, 1]; UnreadableImage if it cannot be read
    (not a regular file, over MAX_IMAGE_FILE_BYTES, a side over MAX_SIDE, damaged, or too big for
    memory)."""
    try:
        head = read_head(path, 8, "image file")
        if not (head.startswith(PNG_SIGNATURE) or head[:2] in (b"P2", b"P3", b"P5", b"P6")):
            raise UnreadableImage("not a PNG, PGM or PPM image (JPEG and others need converting first)")
        data = read_regular(path, MAX_IMAGE_FILE_BYTES, "image file")
    except UnreadableImage:
        raise
    except DatasetError as exc:
        raise UnreadableImage(str(exc)) from None
    try:
        if data.startswith(PNG_SIGNATURE):
            return decode_png(data)
        if data[:2] in (b"P2", b"P3", b"P5", b"P6"):
            return decode_pnm(data)
    except MemoryError:
        raise UnreadableImage("the image is too large to decode in memory") from None
    raise UnreadableImage("not a PNG, PGM or PPM image (JPEG and others need converting first)")


def _resample_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights: area averaging when shrinking, bilinear when enlarging."""
    if n_out <= n_in:
        edges = np.linspace(0, n_in, n_out + 1)       # output pixel j covers [edges[j], edges[j+1])
        lo, hi = edges[:-1, None], edges[1:, None]
        k = np.arange(n_in)[None, :]
        overlap = np.clip(np.minimum(hi, k + 1) - np.maximum(lo, k), 0, None)
        return overlap / overlap.sum(axis=1, keepdims=True)
    pos = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    left = np.floor(pos).astype(int)
    right = np.minimum(left + 1, n_in - 1)
    w = np.zeros((n_out, n_in))
    w[np.arange(n_out), left] += 1 - (pos - left)
    w[np.arange(n_out), right] += pos - left
    return w


def resize(img: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize (H, W, C) to (height, width, C) by separable area/bilinear resampling."""
    rows = _resample_matrix(img.shape[0], height)
    cols = _resample_matrix(img.shape[1], width)
    # two matrix products per channel (an einsum over the three took 3.6 ms per small icon)
    return (rows @ img.transpose(2, 0, 1) @ cols.T).transpose(1, 2, 0).astype(np.float32)


def to_channels(img: np.ndarray, color: str) -> np.ndarray:
    """(H, W, 1|3) -> (C, H, W) gray (luma 0.299 R + 0.587 G + 0.114 B) or RGB."""
    if color == "gray":
        if img.shape[2] == 3:
            img = img @ np.array([0.299, 0.587, 0.114], np.float32)[:, None]
        return img.transpose(2, 0, 1)
    return np.repeat(img, 3, axis=2).transpose(2, 0, 1) if img.shape[2] == 1 else img.transpose(2, 0, 1)
