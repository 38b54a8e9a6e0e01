"""The undo entry of a hand edit of the weights (a link, a bias, a conv filter).

The weights live in the training worker, not in the document: ``redo`` and ``undo`` send the new
or the old values there through ``send`` (``TrainingBridge.set_weights``), which answers with a
fresh snapshot. As ``SetFieldCommand``, a run of edits of the same values in one editing
``session`` (a drag on a link, the arrows of the value field) is one entry.

What undo writes back is what the worker held when ``redo`` wrote: ``send`` returns a Future of
the replaced values, read in the worker as it applied the edit, and undo sends a callable the
worker calls in its turn, after that Future is set (commands run in order). The values the editor
gave (``old``, from the last snapshot drawn, a few steps stale while training) stand in only when
the worker never answered (no network to edit).
"""
from __future__ import annotations

from concurrent.futures import Future
from typing import Callable

import numpy as np
from PySide6.QtGui import QUndoCommand

#: QUndoCommand.id() of mergeable weight edits
SET_WEIGHTS_ID = 4202


def _where(edits) -> list:
    return [(key, None if index is None else tuple(index)) for key, index, _ in edits]


def _same(a, b) -> bool:
    return len(a) == len(b) and all(np.array_equal(np.asarray(x[2]), np.asarray(y[2]))
                                    for x, y in zip(a, b))


class SetWeightsCommand(QUndoCommand):
    """Write ``new`` (a list of ``labs.hands`` edits) into the network; undo writes ``old`` (the
    values before, at the same places). ``session`` not None: consecutive commands of the same
    session and places merge into one entry."""

    def __init__(self, send: Callable[[list], object], new: list, old: list, text: str,
                 session: int | None = None, parent=None):
        super().__init__(text, parent)
        self.send, self.new, self.old, self.session = send, list(new), list(old), session
        self.before: Future | None = None     # the worker's values before the last redo

    def id(self) -> int:
        return SET_WEIGHTS_ID if self.session is not None else -1

    def mergeWith(self, other) -> bool:
        if not (isinstance(other, SetWeightsCommand) and other.session is not None
                and other.session == self.session and _where(other.new) == _where(self.new)):
            return False
        self.new = other.new
        self.setObsolete(_same(self.new, self.old))
        return True

    def redo(self) -> None:
        before = self.send(self.new)
        self.before = before if isinstance(before, Future) else None

    def restored(self) -> list:
        """What undo writes: the worker's values before the edit once it answered, else ``old``."""
        before = self.before
        if before is not None and before.done() and before.exception() is None:
            return list(before.result())
        return list(self.old)

    def undo(self) -> None:
        self.send(self.restored)
