"""Errors the engine raises, in words a student understands."""
from __future__ import annotations


class SpecError(ValueError):
    """A network spec that does not build.

    ``layer_id`` and ``field`` say where; the message says what is wrong, e.g.
    ``conv2d 'conv1': kernel 5 is larger than its 4x4 input``.
    """

    def __init__(self, message: str, layer_id: str | None = None, field: str | None = None):
        super().__init__(message)
        self.layer_id = layer_id
        self.field = field


class Diverged(RuntimeError):
    """Training produced a NaN or an infinity (the last finite weights were kept), or ``reason``:
    its loss stayed far above its start or its weights exploded (the last healthy ones were kept)."""

    def __init__(self, step: int, reason: str | None = None):
        reason = reason or "the loss or the weights became infinite or NaN"
        super().__init__(f"diverged at step {step}: {reason}; try a smaller learning rate")
        self.step = step
        self.reason = reason
