"""Hands on the network, the window's side: one object every hand edit goes through.

The canvas (links, biases), the Filters view (a notes' kernel into a filter, Freeze) and the probe
painter share a ``Hands``: it knows the undo stack, the document (for "trainable") and, once the
window connects it, the training bridge. A weight edit is an undo entry whose redo and undo send
values to the worker; the worker answers with a fresh snapshot, so every view follows at once,
while paused too (``labs.hands``), and with the values the edit replaced there, which are what
undo puts back (``canvas.weight_commands``).
"""
from __future__ import annotations

import itertools
from concurrent.futures import Future

import numpy as np
from PySide6.QtGui import QUndoStack

from ..project.document import NetworkDocument
from .canvas.commands import SetFieldCommand
from .canvas.weight_commands import SetWeightsCommand

_sessions = itertools.count(1)


def new_session() -> int:
    """A fresh merge key: edits pushed with it become one undo entry."""
    return next(_sessions)


class Hands:
    """``edit_weights(new, old, text, session)`` pushes an undoable weight edit;
    ``set_probe_image(index, image)`` shows a painted probe; ``set_trainable(layer, bool)`` is the
    undoable "Freeze". ``bridge`` is None until the window connects: edits then do nothing."""

    def __init__(self, undo_stack: QUndoStack, document: NetworkDocument):
        self.undo_stack, self.document = undo_stack, document
        self.bridge = None

    @property
    def ready(self) -> bool:
        return self.bridge is not None

    def _send(self, edits) -> Future | None:
        """Edits (or a callable the worker calls for them) to the worker; the Future gets the
        values they replaced, read there as they are written (what undo puts back)."""
        if self.bridge is None:
            return None
        before: Future = Future()
        self.bridge.set_weights(edits, before)
        return before

    def edit_weights(self, new: list, old: list, text: str, session: int | None = None) -> None:
        if self.bridge is None or not new:
            return
        self.undo_stack.push(SetWeightsCommand(self._send, new, old, text, session))

    def set_probe_image(self, index: int, image: np.ndarray) -> None:
        if self.bridge is not None:
            self.bridge.set_probe_image(index, image)

    def trainable(self, layer_id: str) -> bool:
        return bool(self.document.layer(layer_id).get("trainable", True)) \
            if layer_id in self.document.layer_ids() else True

    def set_trainable(self, layer_id: str, trainable: bool) -> None:
        """Freeze (False) or unfreeze a layer: saved in the spec as "trainable": false."""
        if layer_id in self.document.layer_ids() and self.trainable(layer_id) != trainable:
            self.undo_stack.push(SetFieldCommand(self.document, layer_id, "trainable",
                                                 bool(trainable)))
