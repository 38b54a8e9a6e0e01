"""Batch normalization (Ioffe and Szegedy 2015), as torch.nn.BatchNorm1d/2d.

Over features after a dense layer (input (N, C)) or over channels after a convolution (input
(N, C, H, W)): each channel c is normalized by the mean and variance of its values in the batch
(and over every position), then scaled and shifted by the learned ``weight`` (gamma) and ``bias``
(beta):

    y = gamma (x - mean) / sqrt(var + eps) + beta          var: the biased variance, as PyTorch

While training it uses the batch's statistics and updates the running estimates (buffers
``running_mean`` and ``running_var``; the variance there is the unbiased one, as PyTorch):

    running = (1 - momentum) running + momentum batch_statistic

At test time (``training=False``) it uses the running estimates instead, so one sample's output
does not depend on the rest of its batch.
"""
from __future__ import annotations

import numpy as np

from . import fields as F
from .base import Layer, register
from .fields import FieldSpec


@register
class BatchNorm(Layer):
    type_name = "batchnorm"
    example = ([2, 3, 3], [{"type": "batchnorm", "momentum": 0.3}])
    defaults = {"momentum": 0.1, "eps": 1e-5}
    title, group, family, id_prefix = "Batch norm", "Regularization", "regularization", "bn"
    palette_defaults: dict = {}
    fields = (FieldSpec("momentum", "Momentum", "float", 0.0, 1.0, 0.01, default=0.1),
              FieldSpec("eps", "ε", "float", 1e-12, 1.0, 1e-5, default=1e-5), F.TRAINABLE)
    help = ("Normalizes each feature (or channel) to mean 0 and variance 1 over the batch, then "
            "scales by γ and shifts by β. While training it uses the batch's statistics and "
            "keeps running averages; at test time it uses those averages.",
            "y = γ (x − μ) / √(σ² + ε) + β\nrunning μ, σ² ← (1 − momentum)·running + "
            "momentum·batch")
    glyph = (("line", 5, 21, 23, 21, False), ("rect", 7, 13, 3, 8, True),
             ("rect", 12.5, 8, 3, 13, True), ("rect", 18, 13, 3, 8, True),
             ("line", 5, 7, 23, 7, False))
    #: L1/L2 leave gamma and beta alone (they are not connection weights)
    regularized: tuple[str, ...] = ()

    def _build(self, context: dict) -> None:
        if len(self.in_shape) not in (1, 3):
            raise self.error("needs features [C] or an image [C, H, W] as input")
        self.momentum = self.float_field("momentum", 0.0, 1.0)
        self.eps = self.float_field("eps", 1e-12, 1.0)
        if self.eps <= 0:
            raise self.error(f"'eps' must be positive, not {self.eps}", "eps")
        chans = self.in_shape[0]
        self.param_shapes = {"weight": (chans,), "bias": (chans,)}
        self.buffer_shapes = {"running_mean": (chans,), "running_var": (chans,)}
        self.axes = (0,) if len(self.in_shape) == 1 else (0, 2, 3)
        self._stat_shape = (1, chans) + (1,) * (len(self.in_shape) - 1)

    def init_params(self, rng: np.random.Generator) -> None:
        self.params["weight"][...] = 1
        self.params["bias"][...] = 0
        self.buffers["running_mean"][...] = 0
        self.buffers["running_var"][...] = 1

    def _per_channel(self, v: np.ndarray) -> np.ndarray:
        return v.reshape(self._stat_shape)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.training = training
        if training:
            count = x.size // x.shape[1]
            mean = x.mean(axis=self.axes)
            centred = x - self._per_channel(mean)
            var = np.square(centred).mean(axis=self.axes)
            m = self.momentum
            unbiased = var * (count / (count - 1)) if count > 1 else var
            rm, rv = self.buffers["running_mean"], self.buffers["running_var"]
            rm *= 1 - m
            rm += m * mean
            rv *= 1 - m
            rv += m * unbiased
        else:
            mean, var = self.buffers["running_mean"], self.buffers["running_var"]
            centred = x - self._per_channel(mean)
        self.inv_std = (1.0 / np.sqrt(var + self.eps)).astype(x.dtype)
        self.xhat = centred * self._per_channel(self.inv_std)
        self.output = self.xhat * self._per_channel(self.params["weight"]) + self._per_channel(
            self.params["bias"])
        return self.output

    def backward(self, dy: np.ndarray) -> np.ndarray:
        xhat, axes = self.xhat, self.axes
        np.sum(dy * xhat, axis=axes, out=self.grads["weight"])
        np.sum(dy, axis=axes, out=self.grads["bias"])
        scale = self._per_channel(self.params["weight"] * self.inv_std)
        if not self.training:  # fixed statistics: y is affine in x
            return dy * scale
        count = dy.size // dy.shape[1]
        mean_dy = self._per_channel(self.grads["bias"] / count)
        mean_dy_xhat = self._per_channel(self.grads["weight"] / count)
        return scale * (dy - mean_dy - xhat * mean_dy_xhat)

    # -- export ---------------------------------------------------------------------------------
    def export_torch(self, w, name):
        cls = "BatchNorm1d" if len(self.in_shape) == 1 else "BatchNorm2d"
        w.module(self, name, f"nn.{cls}({self.in_shape[0]}, eps={self.eps!r}, "
                             f"momentum={self.momentum!r})")

    def export_onnx(self, g):
        inputs = [g.x, g.param(self, "weight"), g.param(self, "bias"),
                  g.param(self, "running_mean"), g.param(self, "running_var")]
        g.node("BatchNormalization", inputs, self.id, epsilon=float(self.eps))
