"""The arithmetic the convolution and pooling views write out, in numpy (no Qt).

Everything here recomputes what the engine did, from the same inputs and weights, so the views can
show a student the numbers and the tests can check them against the engine's outputs.
"""
from __future__ import annotations

import numpy as np

from playground.engine import activations

#: the kernels of notes section 3.1
NOTES_KERNELS: dict[str, np.ndarray] = {
    "Edge detection (vertical)": np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], float),
    "Edge detection (horizontal)": np.array([[1, 1, 1], [0, 0, 0], [-1, -1, -1]], float),
    "Blur": np.ones((3, 3)) / 9.0,
    "Sharpen": np.array([[0, 0, 0], [0, 2, 0], [0, 0, 0]], float),
    "Identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], float),
    "Shift pixel": np.array([[0, 0, 0], [1, 0, 0], [0, 0, 0]], float),
}


def conv_size_text(n: int, p: int, f: int, s: int) -> str:
    """The notes' output size, filled in: 'floor((28 + 2·2 − 5)/1) + 1 = 28'."""
    return f"floor(({n} + 2·{p} − {f})/{s}) + 1 = {(n + 2 * p - f) // s + 1}"


def transposed_size_text(n: int, s: int, f: int, p: int, op: int = 0) -> str:
    """'s(n − 1) + f − 2p' filled in: '2·(14 − 1) + 2 − 2·0 = 28'."""
    extra = f" + {op}" if op else ""
    return f"{s}·({n} − 1) + {f} − 2·{p}{extra} = {s * (n - 1) + f - 2 * p + op}"


def padded(x: np.ndarray, padding: tuple[int, int]) -> np.ndarray:
    """(C, H, W) with a border of zeros: ``padding`` rows above and below, columns left and right."""
    ph, pw = padding
    return np.pad(x, ((0, 0), (ph, ph), (pw, pw)))


def conv_terms(x: np.ndarray, weight: np.ndarray, f: int, row: int, col: int,
               stride: tuple[int, int], padding: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The products of output (f, row, col) of a conv2d (cross-correlation): the kernel's weights
    and the input values under its window, both flattened in (channel, i, j) order."""
    _, _, kh, kw = weight.shape
    top, left = row * stride[0], col * stride[1]
    window = padded(x, padding)[:, top:top + kh, left:left + kw]
    return weight[f].reshape(-1).astype(np.float64), window.reshape(-1).astype(np.float64)


def activate(name: str, z: np.ndarray, alpha: float) -> np.ndarray:
    """The engine's activation on pre-activations z (F,) of one position (softmax over F)."""
    return activations.forward(name, np.asarray(z, np.float64).reshape(1, -1), alpha).reshape(-1)


def conv_position(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, row: int, col: int,
                  stride: tuple[int, int], padding: tuple[int, int], activation: str,
                  alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Pre-activations z (F,) and outputs g(z) (F,) of every filter at one output position."""
    n_filters = weight.shape[0]
    z = np.empty(n_filters)
    for f in range(n_filters):
        w, v = conv_terms(x, weight, f, row, col, stride, padding)
        z[f] = float(np.dot(w, v)) + (float(bias[f]) if bias is not None else 0.0)
    return z, activate(activation, z, alpha)


def sum_text(w: np.ndarray, v: np.ndarray, bias: float | None, z: float, shown: int = 4) -> str:
    """'0.12·0.50 + (−0.30)·0.00 + … (75 terms) + 0.05 = 0.734': the first terms, then '…'."""
    def num(a: float) -> str:
        text = f"{a:.3g}".replace("-", "−")
        return f"({text})" if a < 0 else text
    parts = [f"{num(a)}·{num(b)}" for a, b in zip(w[:shown], v[:shown])]
    if len(w) > shown:
        parts.append(f"… ({len(w)} terms)")
    if bias is not None:
        parts.append(f"{num(bias)}")
    return " + ".join(parts) + f" = {z:.6g}".replace("-", "−")


def transposed_spread(x: np.ndarray, weight: np.ndarray, c: int, i: int, j: int,
                      stride: tuple[int, int]) -> np.ndarray:
    """What input value x[c, i, j] adds to every output channel before cropping the padding:
    x[c, i, j]·kernel[c, f] placed at (i·s, j·s) of the full s(n−1)+f canvas. (F, Hfull, Wfull)."""
    _, h, w = x.shape
    _, n_filters, kh, kw = weight.shape
    canvas = np.zeros((n_filters, stride[0] * (h - 1) + kh, stride[1] * (w - 1) + kw))
    top, left = i * stride[0], j * stride[1]
    canvas[:, top:top + kh, left:left + kw] = float(x[c, i, j]) * weight[c]
    return canvas


def transposed_rebuild(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None,
                       stride: tuple[int, int], padding: tuple[int, int],
                       out_hw: tuple[int, int]) -> np.ndarray:
    """A whole transposed convolution as the sum of every input's scaled kernel, then the padding
    cropped away: pre-activations (F, out_h, out_w)."""
    chans, h, w = x.shape
    _, n_filters, kh, kw = weight.shape
    (sh, sw), (ph, pw) = stride, padding
    full_h = max(sh * (h - 1) + kh, ph + out_hw[0])  # output_padding may reach past the canvas
    full_w = max(sw * (w - 1) + kw, pw + out_hw[1])
    canvas = np.zeros((n_filters, full_h, full_w))
    spread = np.einsum("chw,cfkl->hwfkl", x.astype(np.float64), weight.astype(np.float64))
    for i in range(h):
        for j in range(w):
            canvas[:, i * sh:i * sh + kh, j * sw:j * sw + kw] += spread[i, j]
    out = canvas[:, ph:ph + out_hw[0], pw:pw + out_hw[1]]
    return out + (0.0 if bias is None else bias.astype(np.float64)[:, None, None])


def unpool_plane(values: np.ndarray, argmax: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Max unpooling of one plane (notes figure 3.4): each value goes back to the flat position
    h·W + w its maximum came from; zeros everywhere else."""
    out = np.zeros(shape[0] * shape[1])
    out[argmax.reshape(-1)] = values.reshape(-1)
    return out.reshape(shape)


def correlate(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlation with zero padding, same size: out(y, x) = Σ image(y+i, x+j)·K(i, j)."""
    kh, kw = kernel.shape
    src = np.pad(image.astype(np.float64), ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    out = np.zeros(image.shape)
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * src[i:i + image.shape[0], j:j + image.shape[1]]
    return out


def convolve(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """True convolution: out(y, x) = Σ image(y−i, x−j)·K(i, j), i.e. correlation with the kernel
    flipped in both directions."""
    return correlate(image, kernel[::-1, ::-1])
