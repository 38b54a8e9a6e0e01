"""Pooling and unpooling (notes sections 3.4.1 and 3.4.2): maxpool2d, avgpool2d, maxunpool2d.

Windows of ``size`` move by ``stride`` (equal to size unless given) without padding, and only
whole windows count: output floor((n - f)/s) + 1. Max pooling remembers where each maximum came
from, so views can draw it and a later maxunpool2d can put values back exactly there (figure 3.4).
"""
from __future__ import annotations

import numpy as np

from ..kernels import (avgpool_backward, avgpool_forward, maxpool_backward, maxpool_forward,
                       unpool_backward, unpool_forward)
from .base import Layer, register, shape_text
from .fields import FieldSpec
from .conv import pair_text


class _PoolBase(Layer):
    """Window fields shared by max and average pooling. A missing or null ``stride`` means the
    windows do not overlap (stride = size), as in PyTorch."""

    defaults = {"size": 2, "stride": 2}
    group, family, shows_channels = "Pooling", "pool", True
    palette_defaults = {"size": 2}
    fields = (FieldSpec("size", "Window", "pair", 1, 32, default=2),
              FieldSpec("stride", "Stride", "pair", 1, 32))

    def __init__(self, layer_id: str, config: dict, in_shape: tuple[int, ...], context: dict):
        if config.get("stride") is None:
            config = {**config, "stride": config.get("size", self.defaults["size"])}
        super().__init__(layer_id, config, in_shape, context)

    def _build(self, context: dict) -> None:
        self.need_rank(3, "an image [channels, height, width]")
        self.size = self.pair_field("size")
        self.stride = self.pair_field("stride")
        chans, height, width = self.in_shape
        if self.size[0] > height or self.size[1] > width:
            raise self.error(f"window {pair_text(self.size)} does not fit its {height}x{width} "
                             f"input", "size")
        self.out_hw = ((height - self.size[0]) // self.stride[0] + 1,
                       (width - self.size[1]) // self.stride[1] + 1)
        self.out_shape = (chans, *self.out_hw)

    def _torch_args(self) -> str:
        return f"{tuple(self.size)}, stride={tuple(self.stride)}"

    def _onnx_window(self) -> dict:
        return {"kernel_shape": list(self.size), "strides": list(self.stride)}

    def _planes(self, n: int, shape: tuple[int, ...]) -> tuple[int, int, int]:
        """(N, C, H, W) seen as N*C planes, the layout the kernels take."""
        return n * shape[0], shape[1], shape[2]


@register
class MaxPool2d(_PoolBase):
    """Each output is the largest value of its window. ``argmax`` holds, for every output of the
    last forward pass, the flat index h*W + w of that maximum in its input plane (PyTorch's
    return_indices); backward sends each gradient there."""

    type_name = "maxpool2d"
    example = ([2, 5, 4], [{"type": "maxpool2d", "size": 2}])
    title, id_prefix = "Max pool", "pool"
    help = ("Keeps the largest value of each window and remembers where it came from.",
            "output size = floor((n − f) / s) + 1")
    glyph = (("grid", 2, 16, 6, 6, (1,)),)

    def export_torch(self, w, name):
        if self.id in w.unpooled:  # a maxunpool2d needs the argmax positions
            w.init.append(f"self.{name} = nn.MaxPool2d({self._torch_args()}, "
                          f"return_indices=True)  # {w.label(self)}")
            w.forward.append(f"x, {name}_indices = self.{name}(x)")
        else:
            w.module(self, name, f"nn.MaxPool2d({self._torch_args()})")

    def export_onnx(self, g):
        if self.id not in g.unpooled:
            g.node("MaxPool", [g.x], self.id, **self._onnx_window())
            return
        source, indices = g.x, f"{self.id}/indices"
        g.node("MaxPool", [source], self.id, outputs=[self.id, indices], **self._onnx_window())
        g.pool_tensors[self.id] = (source, indices)

    def _build(self, context: dict) -> None:
        super()._build(context)
        self.argmax: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        x = np.ascontiguousarray(x)
        n = len(x)
        out = np.empty((n, *self.out_shape), x.dtype)
        argmax = np.empty(out.shape, np.int64)
        maxpool_forward(x.reshape(self._planes(n, self.in_shape)), *self.size, *self.stride,
                        out.reshape(self._planes(n, self.out_shape)),
                        argmax.reshape(self._planes(n, self.out_shape)))
        self.argmax = argmax
        self.output = out
        return out

    def backward(self, dy: np.ndarray) -> np.ndarray:
        dy = np.ascontiguousarray(dy)
        n = len(dy)
        dx = np.empty((n, *self.in_shape), dy.dtype)
        maxpool_backward(dy.reshape(self._planes(n, self.out_shape)),
                         self.argmax.reshape(self._planes(n, self.out_shape)),
                         dx.reshape(self._planes(n, self.in_shape)))
        return dx

    def extra_state(self) -> dict[str, np.ndarray]:
        return {} if self.argmax is None else {"argmax": self.argmax}


@register
class AvgPool2d(_PoolBase):
    """Each output is the mean of its window; backward shares each gradient equally over it."""

    type_name = "avgpool2d"
    example = ([2, 5, 4], [{"type": "avgpool2d", "size": 2, "stride": 1}])
    title, id_prefix = "Average pool", "avgpool"
    help = ("Replaces each window by its mean.", "output size = floor((n − f) / s) + 1")
    glyph = (("grid", 2, 16, 6, 6, (0, 1, 2, 3)),)

    def export_torch(self, w, name):
        w.module(self, name, f"nn.AvgPool2d({self._torch_args()})")

    def export_onnx(self, g):
        g.node("AveragePool", [g.x], self.id, **self._onnx_window())

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        x = np.ascontiguousarray(x)
        n = len(x)
        out = np.empty((n, *self.out_shape), x.dtype)
        avgpool_forward(x.reshape(self._planes(n, self.in_shape)), *self.size, *self.stride,
                        out.reshape(self._planes(n, self.out_shape)))
        self.output = out
        return out

    def backward(self, dy: np.ndarray) -> np.ndarray:
        dy = np.ascontiguousarray(dy)
        n = len(dy)
        dx = np.empty((n, *self.in_shape), dy.dtype)
        avgpool_backward(dy.reshape(self._planes(n, self.out_shape)), *self.size, *self.stride,
                         dx.reshape(self._planes(n, self.in_shape)))
        return dx


@register
class MaxUnpool2d(Layer):
    """Undo an earlier maxpool2d (notes figure 3.4): each value goes back to the position its
    maximum came from in that pool's most recent forward pass, zeros elsewhere; the output has the
    pool's input shape. Like torch.nn.MaxUnpool2d given the pool's indices."""

    type_name = "maxunpool2d"
    example = ([3, 4, 6], [{"type": "maxpool2d", "size": 2, "id": "p"},
                           {"type": "maxunpool2d", "pool": "p"}])
    defaults = {"pool": None}
    title, group, family, id_prefix, shows_channels = "Max unpool", "Pooling", "pool", "unpool", True
    palette_defaults = {"pool": None}
    fields = (FieldSpec("pool", "Unpools", "pool_ref"),)
    help = ("Undoes a max pool: puts each value back at the position where the stored maximum "
            "(argmax) came from, zeros elsewhere.", "output shape = the pool's input shape")
    glyph = (("grid", 1, 6, 4, 11, (0,)), ("line", 11, 14, 14, 14, False),
             ("grid", 2, 10, 15, 9, (1,)))

    def export_torch(self, w, name):
        pool = w.net.layer(self.config["pool"])
        pool_name = w.names[pool.id]
        w.init.append(f"self.{name} = nn.MaxUnpool2d({pool._torch_args()})  # {w.label(self)}")
        # the output size is the pool's input size (it may not be a whole number of windows)
        w.forward.append(f"x = self.{name}(x, {pool_name}_indices, "
                         f"output_size={tuple(pool.in_shape[1:])})")

    def export_onnx(self, g):
        pool = g.net.layer(self.config["pool"])
        source, indices = g.pool_tensors[pool.id]
        value = g.x
        # the output has the pool's input shape, batch included (it may not be whole windows)
        shape = g.node("Shape", [source], f"{self.id}/output_shape")
        g.node("MaxUnpool", [value, indices, shape], self.id, **pool._onnx_window())

    def _build(self, context: dict) -> None:
        self.need_rank(3, "an image [channels, height, width]")
        pool_id = self.config["pool"]
        pool = context["layers"].get(pool_id) if isinstance(pool_id, str) else None
        if not isinstance(pool, MaxPool2d):
            raise self.error(f"'pool' must name an earlier maxpool2d layer; {pool_id!r} is not one",
                             "pool")
        if self.in_shape != pool.out_shape:
            raise self.error(f"its input is {shape_text(self.in_shape)}, but maxpool2d "
                             f"'{pool.id}' gives {shape_text(pool.out_shape)}; unpooling needs "
                             f"exactly the shape that pool produced", "pool")
        self.pool = pool
        self.argmax: np.ndarray | None = None
        self.out_shape = pool.in_shape

    def _pool_argmax(self, n: int) -> np.ndarray:
        argmax = self.pool.argmax
        if argmax is None:
            raise ValueError(f"{self.type_name} '{self.id}': maxpool2d '{self.pool.id}' has not "
                             f"run yet, so there are no positions to unpool to")
        if len(argmax) != n:
            raise ValueError(f"{self.type_name} '{self.id}': gets a batch of {n}, but maxpool2d "
                             f"'{self.pool.id}' last pooled a batch of {len(argmax)}; run them in "
                             f"the same forward pass")
        return argmax

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        x = np.ascontiguousarray(x)
        n = len(x)
        self.argmax = self._pool_argmax(n)
        out = np.empty((n, *self.out_shape), x.dtype)
        unpool_forward(x.reshape(n * self.in_shape[0], *self.in_shape[1:]),
                       self.argmax.reshape(n * self.in_shape[0], *self.in_shape[1:]),
                       out.reshape(n * self.out_shape[0], *self.out_shape[1:]))
        self.output = out
        return out

    def backward(self, dy: np.ndarray) -> np.ndarray:
        dy = np.ascontiguousarray(dy)
        n = len(dy)
        dx = np.empty((n, *self.in_shape), dy.dtype)
        unpool_backward(dy.reshape(n * self.out_shape[0], *self.out_shape[1:]),
                        self.argmax.reshape(n * self.in_shape[0], *self.in_shape[1:]),
                        dx.reshape(n * self.in_shape[0], *self.in_shape[1:]))
        return dx
