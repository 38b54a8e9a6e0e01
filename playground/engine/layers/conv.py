"""Convolution and transposed convolution (notes sections 3.1-3.3 and 4.1.3), as im2col + one GEMM.

A conv2d is cross-correlation, as in the notes and PyTorch: output (f, oh, ow) is
sum over (c, i, j) of weight[f, c, i, j] * x[c, oh*s + i - p, ow*s + j - p] + bias[f]. im2col puts
every input patch in a column, so the whole batch is ``weight (F, C*kh*kw) @ col`` in numpy's
BLAS. A transposed convolution is the same product run backwards: its forward is a conv2d's input
gradient, its backward a conv2d's forward.
"""
from __future__ import annotations

import math

import numpy as np

from ..kernels import (act_grad, act_grad_to_rows, bias_act_from_rows, bias_act_inplace,
                       col2im, crop_planes, direct_backward, direct_forward, im2col, pad_planes,
                       padded_length, planes_to_rows, rows_to_planes)
from ..kernels.direct import MAX_CHANNELS
from ..activations import CODES
from ..kernels.layout import fusable
from . import fields as F
from .base import register
from .fields import FieldSpec
from .common import WeightedLayer

#: the most values a column matrix may hold (16 MB in float32); larger batches go in parts
CHUNK_ELEMENTS = 1 << 22


def pair_text(pair: tuple[int, int]) -> str:
    """(5, 5) -> '5'; (3, 2) -> '3x2', as a student would write a kernel size."""
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}x{pair[1]}"


class _ConvBase(WeightedLayer):
    """Fields and scratch buffers shared by conv2d and conv_transpose2d.

    ``need_input_grad`` may be set False on a network's first layer: backward then fills only the
    parameter gradients and returns None, skipping the input gradient nobody reads (for LeNet's
    first conv that is a 25x6 by 6x50176 product and a col2im, ~15% of a training step).
    """

    need_input_grad = True

    def _check_conv_fields(self) -> None:
        self._check_common()
        self.need_rank(3, "an image [channels, height, width]")
        self.filters = self.int_field("filters")
        self.kernel = self.pair_field("kernel_size")
        self.stride = self.pair_field("stride")
        #: the activation the kernels apply themselves, or None (applied here, unfused)
        self.fused = CODES[self.activation] if fusable(self.activation) else None
        self.fused_code = CODES["identity"] if self.fused is None else self.fused
        self._buffers: dict[str, np.ndarray] = {}

    def _buffer(self, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        """Scratch array kept between steps (a fresh 5 MB array each step costs page faults)."""
        size = math.prod(shape)  # np.prod costs microseconds on a tuple, 17 times a step
        buf = self._buffers.get(name)
        if buf is None or buf.dtype != dtype or buf.size < size:
            buf = self._buffers[name] = np.empty(size, dtype)
        return buf[:size].reshape(shape)

    def _parts(self, n: int, per_image: int) -> list[slice]:
        """The batch in slices whose column matrix holds at most CHUNK_ELEMENTS values, so
        predicting thousands of images does not build a matrix of hundreds of megabytes."""
        step = max(1, CHUNK_ELEMENTS // per_image)
        return [slice(start, start + step) for start in range(0, n, step)]

    def _put_grad(self, name: str, compute, accumulate: bool) -> None:
        """``compute(out)`` writes one part's gradient; later parts of a batch add theirs."""
        target = self.grads[name]
        if not accumulate:
            compute(target)
            return
        part = np.empty_like(target)
        compute(part)
        target += part

    def _bias(self, dtype: np.dtype) -> np.ndarray:
        if self.use_bias:
            return self.params["bias"]
        zeros = self._buffers.get("no_bias")
        if zeros is None or zeros.dtype != dtype:
            zeros = self._buffers["no_bias"] = np.zeros(self.filters, dtype)
        return zeros

    def _finish_forward(self, out: np.ndarray) -> np.ndarray:
        """Apply the activation the kernels did not fuse (softmax, and those whose derivative needs
        the input, as GELU)."""
        if self.fused is None:
            return self.activate(out)
        self.pre_activation = out if self.fused == CODES["identity"] else None
        self.output = out
        return out

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.input = x = np.ascontiguousarray(x)
        out = np.empty((len(x), *self.out_shape), x.dtype)
        for part in self._parts(len(x), self._col_rows * self._n_pos):
            self._forward_part(x[part], out[part])
        return self._finish_forward(out)

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        dy, code = self._unfused_grad(dy)
        dx = np.empty((len(dy), *self.in_shape), dy.dtype) if self.need_input_grad else None
        parts = self._parts(len(dy), self._col_rows * self._n_pos)
        for k, part in enumerate(parts):
            if len(parts) > 1:  # forward kept only the last part's matrix: rebuild this part's
                self._rebuild_matrix(self.input[part])
            self._backward_part(dy[part], self.output[part], code, k > 0,
                                None if dx is None else dx[part])
        return dx

    group, family, shows_channels, has_kernels = "Convolution", "conv", True, True

    def _torch_ctor(self, cls: str, extra: str = "") -> str:
        (ph, pw) = self.padding
        return (f"nn.{cls}({self.in_shape[0]}, {self.out_shape[0]}, "
                f"kernel_size={tuple(self.kernel)}, stride={tuple(self.stride)}, "
                f"padding=({ph}, {pw}){extra}, bias={self.use_bias})")

    def _onnx_geometry(self) -> dict:
        (ph, pw) = self.padding
        return {"kernel_shape": list(self.kernel), "strides": list(self.stride),
                "pads": [ph, pw, ph, pw]}

    def _unfused_grad(self, dy: np.ndarray) -> tuple[np.ndarray, int]:
        """dy and the code the kernels should apply: unfused activations are done here first."""
        dy = np.ascontiguousarray(dy)
        if self.fused is None:
            return self.grad_pre_activation(dy), CODES["identity"]
        return dy, self.fused


@register
class Conv2d(_ConvBase):
    """``filters`` kernels of kernel_size, each slid over every input channel with ``stride`` and
    ``padding``: output size floor((n + 2p - f)/s) + 1. weight (out, in, kh, kw) as PyTorch.
    """

    type_name = "conv2d"
    example = ([2, 5, 5], [{"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2,
                            "padding": 1, "activation": "sigmoid"}])
    defaults = {"filters": None, "kernel_size": None, "stride": 1, "padding": 0,
                "activation": "identity", "init": "auto", "bias": True, "alpha": None}
    title, id_prefix = "Conv 2D", "conv"
    palette_defaults = {"filters": 8, "kernel_size": 3, "padding": 1, "activation": "relu"}
    fields = (FieldSpec("filters", "Filters", "int", 1, 1024), F.KERNEL, F.STRIDE,
              FieldSpec("padding", "Padding", "padding", 0, 32, default=0), F.ACTIVATION, F.INIT,
              F.BIAS, F.ALPHA, F.TRAINABLE)
    help = ("Slides each filter over the image; every output pixel is the weighted sum of the "
            "patch under the filter (cross-correlation), plus a bias.",
            "output size = floor((n + 2p − f) / s) + 1\n"
            "parameters: filters × (channels·f·f + 1)")
    glyph = (("rect", 5, 5, 18, 18, False), ("grid", 3, 9, 8, 8, (4,)))

    def export_torch(self, w, name):
        w.module(self, name, self._torch_ctor("Conv2d"))
        w.activation(self)

    def export_onnx(self, g):
        g.node("Conv", g.weighted(self), self.id, **self._onnx_geometry())
        g.activation(self.activation, self.alpha, self.id)

    def _build(self, context: dict) -> None:
        self._check_conv_fields()
        self.padding = self._padding()
        chans, height, width = self.in_shape
        (kh, kw), (ph, pw), (sh, sw) = self.kernel, self.padding, self.stride
        if kh > height + 2 * ph or kw > width + 2 * pw:
            raise self.error(f"kernel {pair_text(self.kernel)} is larger than its {height}x{width} "
                             f"input (padding {pair_text(self.padding)})", "kernel_size")
        self.out_hw = ((height + 2 * ph - kh) // sh + 1, (width + 2 * pw - kw) // sw + 1)
        self.out_shape = (self.filters, *self.out_hw)
        #: stride 1 over few channels: direct convolution (kernels/direct.py), no im2col
        self.direct = (sh, sw) == (1, 1) and chans <= MAX_CHANNELS
        self.param_shapes = {"weight": (self.filters, chans, kh, kw)}
        if self.use_bias:
            self.param_shapes["bias"] = (self.filters,)

    def _padding(self) -> tuple[int, int]:
        value = self.config["padding"]
        if value == "valid":
            return 0, 0
        if value == "same":
            if self.stride != (1, 1):
                raise self.error(f"padding 'same' works only with stride 1, not stride "
                                 f"{pair_text(self.stride)}", "padding")
            if self.kernel[0] % 2 == 0 or self.kernel[1] % 2 == 0:
                raise self.error(f"padding 'same' needs an odd kernel size, not "
                                 f"{pair_text(self.kernel)}", "padding")
            return (self.kernel[0] - 1) // 2, (self.kernel[1] - 1) // 2  # p = (f - 1)/2
        if isinstance(value, str):
            raise self.error(f"'padding' must be a number, a pair [h, w], 'same' or 'valid', "
                             f"not {value!r}", "padding")
        return self.pair_field("padding", minimum=0)

    @property
    def fan_in(self) -> int:
        return self.in_shape[0] * self.kernel[0] * self.kernel[1]

    def _conv_args(self) -> tuple[int, ...]:
        return (*self.kernel, *self.stride, *self.padding, *self.out_hw)

    @property
    def _col_rows(self) -> int:
        return self.in_shape[0] * self.kernel[0] * self.kernel[1]

    @property
    def _n_pos(self) -> int:
        return self.out_hw[0] * self.out_hw[1]

    def _rebuild_matrix(self, x: np.ndarray) -> np.ndarray:
        return self._pad(x) if self.direct else self._im2col(x)

    def _pad(self, x: np.ndarray) -> np.ndarray:
        chans, height, width = self.in_shape
        length = padded_length(height, width, *self.kernel, *self.padding)
        self.padded = self._buffer("padded", (len(x), chans, length), x.dtype)
        pad_planes(x, *self.padding, self.padded)
        return self.padded

    @property
    def _row_w(self) -> int:
        return self.in_shape[2] + 2 * self.padding[1]

    def _direct_forward(self, x: np.ndarray, out: np.ndarray) -> None:
        dtype = x.dtype
        padded = self._pad(x)
        acc = self._buffer("acc", (self.out_hw[0] * self._row_w,), dtype)
        direct_forward(padded, self.params["weight"], self._bias(dtype), self.fused_code,
                       dtype.type(self.alpha), self._row_w, *self.out_hw, acc,
                       out.reshape(len(x), self.filters, self._n_pos))

    def _direct_backward(self, dy, y, code, accumulate, dx) -> None:
        n, dtype = len(dy), dy.dtype
        flat_shape = (n, self.filters, self._n_pos)
        dz = self._buffer("dz", (self.out_hw[0] * self._row_w,), dtype)
        gw = np.empty_like(self.grads["weight"]) if accumulate else self.grads["weight"]
        gb = np.empty(self.filters, dtype) if accumulate or not self.use_bias else self.grads["bias"]
        dpadded = self._buffer("dpadded", self.padded.shape if dx is not None else (0, 0, 0), dtype)
        direct_backward(self.padded, self.params["weight"], dy.reshape(flat_shape),
                        y.reshape(flat_shape), code, dtype.type(self.alpha), self._row_w,
                        *self.out_hw, dz, gw, gb, dpadded, dx is not None)
        if accumulate:
            self.grads["weight"] += gw
            if self.use_bias:
                self.grads["bias"] += gb
        if dx is not None:
            crop_planes(dpadded, *self.padding, dx)

    def _im2col(self, x: np.ndarray) -> np.ndarray:
        self.col = self._buffer("col", (self._col_rows, len(x) * self._n_pos), x.dtype)
        im2col(x, *self._conv_args(), self.col)
        return self.col

    def _forward_part(self, x: np.ndarray, out: np.ndarray) -> None:
        if self.direct:
            return self._direct_forward(x, out)
        dtype = x.dtype
        col = self._im2col(x)
        z = self._buffer("z", (self.filters, col.shape[1]), dtype)
        np.dot(self.params["weight"].reshape(self.filters, -1), col, out=z)
        bias_act_from_rows(z, self._bias(dtype), self.fused_code, dtype.type(self.alpha),
                           out.reshape(len(x), self.filters, self._n_pos))

    def _backward_part(self, dy, y, code, accumulate, dx) -> None:
        if self.direct:
            return self._direct_backward(dy, y, code, accumulate, dx)
        n, dtype, col = len(dy), dy.dtype, self.col
        weight = self.params["weight"].reshape(self.filters, -1)
        dz = self._buffer("dz", (self.filters, col.shape[1]), dtype)
        flat_shape = (n, self.filters, self._n_pos)
        act_grad_to_rows(dy.reshape(flat_shape), y.reshape(flat_shape), code,
                         dtype.type(self.alpha), dz)
        if self.use_bias:
            self._put_grad("bias", lambda out: np.sum(dz, axis=1, out=out), accumulate)
        self._put_grad("weight", lambda out: np.dot(dz, col.T, out=out.reshape(weight.shape)),
                       accumulate)
        if dx is not None:
            dcol = self._buffer("dcol", col.shape, dtype)
            np.dot(weight.T, dz, out=dcol)
            col2im(dcol, *self._conv_args(), dx)


@register
class ConvTranspose2d(_ConvBase):
    """The upscaling twin of conv2d (notes 4.1.3): every input pixel adds a weighted copy of the
    kernel into the output, kernels ``stride`` apart. Output size s(n - 1) + f - 2p +
    output_padding; weight (in, out, kh, kw) as PyTorch, so it is exactly the adjoint of a conv2d
    with that weight.
    """

    type_name = "conv_transpose2d"
    example = ([2, 3, 3], [{"type": "conv_transpose2d", "filters": 2, "kernel_size": 3,
                            "stride": 2, "padding": 1, "output_padding": 1}])
    defaults = {"filters": None, "kernel_size": None, "stride": 1, "padding": 0,
                "output_padding": 0, "activation": "identity", "init": "auto", "bias": True,
                "alpha": None}
    title, id_prefix = "Transposed conv", "deconv"
    palette_defaults = {"filters": 8, "kernel_size": 3, "stride": 2, "padding": 1,
                        "output_padding": 1, "activation": "relu"}
    fields = (FieldSpec("filters", "Filters", "int", 1, 1024), F.KERNEL, F.STRIDE,
              FieldSpec("padding", "Padding", "pair", 0, 32, default=0),
              FieldSpec("output_padding", "Output padding", "pair", 0, 31, default=0),
              F.ACTIVATION, F.INIT, F.BIAS, F.ALPHA, F.TRAINABLE)
    help = ("Upsamples: every input pixel adds a weighted copy of the kernel to the output, "
            "kernels s pixels apart.", "output size = s(n − 1) + f − 2p (+ output padding)")
    glyph = (("grid", 1, 6, 11, 11, (0,)), ("rect", 5, 5, 18, 18, False))

    def export_torch(self, w, name):
        w.module(self, name, self._torch_ctor(
            "ConvTranspose2d", f", output_padding={tuple(self.output_padding)}"))
        w.activation(self)

    def export_onnx(self, g):
        g.node("ConvTranspose", g.weighted(self), self.id, **self._onnx_geometry(),
               output_padding=list(self.output_padding))
        g.activation(self.activation, self.alpha, self.id)

    def _build(self, context: dict) -> None:
        self._check_conv_fields()
        if isinstance(self.config["padding"], str):
            if self.config["padding"] != "valid":
                raise self.error(f"'padding' must be a number or a pair [h, w], not "
                                 f"{self.config['padding']!r}", "padding")
            self.padding = (0, 0)
        else:
            self.padding = self.pair_field("padding", minimum=0)
        self.output_padding = self.pair_field("output_padding", minimum=0)
        if any(op >= s for op, s in zip(self.output_padding, self.stride)):
            raise self.error(f"output_padding {pair_text(self.output_padding)} must be smaller "
                             f"than the stride {pair_text(self.stride)}", "output_padding")
        chans, height, width = self.in_shape
        self.out_hw = tuple(s * (n - 1) + f - 2 * p + op for n, s, f, p, op in zip(
            (height, width), self.stride, self.kernel, self.padding, self.output_padding))
        if min(self.out_hw) < 1:
            raise self.error(f"padding {pair_text(self.padding)} is too large: the output of its "
                             f"{height}x{width} input would be {self.out_hw[0]}x{self.out_hw[1]}",
                             "padding")
        self.out_shape = (self.filters, *self.out_hw)
        self.param_shapes = {"weight": (chans, self.filters, *self.kernel)}
        if self.use_bias:
            self.param_shapes["bias"] = (self.filters,)

    @property
    def fan_in(self) -> int:
        return self.filters * self.kernel[0] * self.kernel[1]  # PyTorch: weight.size(1) * kh * kw

    def _conv_args(self) -> tuple[int, ...]:
        """The conv2d this layer is the transpose of: it maps our output back to our input."""
        return (*self.kernel, *self.stride, *self.padding, *self.in_shape[1:])

    @property
    def _col_rows(self) -> int:
        return self.filters * self.kernel[0] * self.kernel[1]

    @property
    def _n_pos(self) -> int:
        return self.in_shape[1] * self.in_shape[2]

    def _rebuild_matrix(self, x: np.ndarray) -> np.ndarray:
        return self._x_rows(x)

    def _x_rows(self, x: np.ndarray) -> np.ndarray:
        """x (N, C, H, W) as the GEMM's rows (C, N*H*W)."""
        self.x_rows = self._buffer("x_rows", (self.in_shape[0], len(x) * self._n_pos), x.dtype)
        planes_to_rows(x.reshape(len(x), self.in_shape[0], self._n_pos), self.x_rows)
        return self.x_rows

    def _forward_part(self, x: np.ndarray, out: np.ndarray) -> None:
        dtype = x.dtype
        x_rows = self._x_rows(x)
        col = self._buffer("col", (self._col_rows, x_rows.shape[1]), dtype)
        np.dot(self.params["weight"].reshape(self.in_shape[0], -1).T, x_rows, out=col)
        col2im(col, *self._conv_args(), out)
        bias_act_inplace(out.reshape(len(x), self.filters, -1), self._bias(dtype),
                         self.fused_code, dtype.type(self.alpha))

    def _backward_part(self, dy, y, code, accumulate, dx) -> None:
        n, dtype, x_rows = len(dy), dy.dtype, self.x_rows
        weight = self.params["weight"].reshape(self.in_shape[0], -1)
        flat_shape = (n, self.filters, self.out_hw[0] * self.out_hw[1])
        dz = self._buffer("dz", flat_shape, dtype)
        act_grad(dy.reshape(flat_shape), y.reshape(flat_shape), code, dtype.type(self.alpha), dz)
        if self.use_bias:
            self._put_grad("bias", lambda out: np.sum(dz, axis=(0, 2), out=out), accumulate)
        dcol = self._buffer("dcol", (self._col_rows, x_rows.shape[1]), dtype)
        im2col(dz.reshape(n, self.filters, *self.out_hw), *self._conv_args(), dcol)
        self._put_grad("weight", lambda out: np.dot(x_rows, dcol.T, out=out.reshape(weight.shape)),
                       accumulate)
        if dx is not None:
            dx_rows = self._buffer("dx_rows", x_rows.shape, dtype)
            np.dot(weight, dcol, out=dx_rows)
            rows_to_planes(dx_rows, dx.reshape(n, self.in_shape[0], self._n_pos))
