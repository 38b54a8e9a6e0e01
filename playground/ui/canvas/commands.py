"""Undo commands: every user edit of the network is one of these, and each changes the document only.

As in Orange's ``document/commands.py``: a command is a few lines that call one document method in
``redo`` and its inverse in ``undo``; the scene redraws because the document announces the change.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from playground.project.document import UNSET, NetworkDocument

#: QUndoCommand.id() of field edits, so consecutive edits of one field merge
SET_FIELD_ID = 4201


class InsertLayerCommand(QUndoCommand):
    """Insert a layer config (with its id already chosen) before position ``index``."""

    def __init__(self, document: NetworkDocument, index: int, config: dict, parent=None):
        super().__init__(f"Add {config['type']} '{config['id']}'", parent)
        self.document, self.index, self.config = document, index, copy.deepcopy(config)

    def redo(self) -> None:
        self.document.insert_layer(self.index, self.config)

    def undo(self) -> None:
        self.document.remove_layer(self.index)


class RemoveLayerCommand(QUndoCommand):
    """Remove the layer at ``index``; undo puts the very same config back."""

    def __init__(self, document: NetworkDocument, index: int, parent=None):
        self.config = document.layer_at(index)
        super().__init__(f"Delete {self.config['type']} '{self.config['id']}'", parent)
        self.document, self.index = document, index

    def redo(self) -> None:
        self.document.remove_layer(self.index)

    def undo(self) -> None:
        self.document.insert_layer(self.index, self.config)


class MoveLayerCommand(QUndoCommand):
    """Move a layer from ``src`` to ``dst`` (the index it ends up at): one entry per drag."""

    def __init__(self, document: NetworkDocument, src: int, dst: int, parent=None):
        super().__init__(f"Move '{document.layer_ids()[src]}'", parent)
        self.document, self.src, self.dst = document, src, dst

    def redo(self) -> None:
        self.document.move_layer(self.src, self.dst)

    def undo(self) -> None:
        self.document.move_layer(self.dst, self.src)


class SetFieldCommand(QUndoCommand):
    """Set one field of one layer. With ``merge=True`` (a spin box being dragged or stepped) a run
    of edits of the same field in the same editing ``session`` (the inspector starts a new one when
    the editor loses focus or the selection changes) becomes one undo entry that restores the value
    from before the run.
    """

    def __init__(self, document: NetworkDocument, layer_id: str, field: str, value: Any,
                 merge: bool = False, session: int = 0, parent=None):
        super().__init__(f"Set {layer_id} {field}", parent)
        self.document, self.layer_id, self.field = document, layer_id, field
        self.old = document.layer(layer_id).get(field, UNSET)
        self.new = copy.deepcopy(value)
        self.merge, self.session = merge, session

    def id(self) -> int:
        return SET_FIELD_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetFieldCommand) and other.merge
                and (other.layer_id, other.field, other.session)
                == (self.layer_id, self.field, self.session)):
            return False
        self.new = other.new
        # dragged back to where it started: the entry would undo nothing, so drop it
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        self.document.set_field(self.layer_id, self.field, self.new)

    def undo(self) -> None:
        self.document.set_field(self.layer_id, self.field, self.old)


class SetInputCommand(QUndoCommand):
    """Change the input shape and feature names (e.g. the features chosen for 2-D data)."""

    def __init__(self, document: NetworkDocument, shape: list[int], labels: list[str] | None,
                 parent=None):
        super().__init__("Change the input", parent)
        self.document = document
        self.old = (document.input_shape, document.input_labels)
        self.new = (list(shape), None if labels is None else list(labels))

    def redo(self) -> None:
        self.document.set_input(*self.new)

    def undo(self) -> None:
        self.document.set_input(*self.old)


class SetSpecCommand(QUndoCommand):
    """Replace the whole network (e.g. 'use this example's network'); undo restores the old one."""

    def __init__(self, document: NetworkDocument, spec: dict, text: str = "Replace the network",
                 parent=None):
        super().__init__(text, parent)
        self.document = document
        self.old, self.new = document.spec(), copy.deepcopy(spec)

    def redo(self) -> None:
        self.document.set_spec(self.new)

    def undo(self) -> None:
        self.document.set_spec(self.old)


@dataclass
class EditState:
    """The data and the network at one point of an edit: the dataset recipe, the input features,
    the network spec, and (once the state has been left) the weights and history it had."""

    recipe: dict
    features: list[str]
    network: dict
    weights: dict | None = None
    history: list | None = None


class ProjectEditCommand(QUndoCommand):
    """An edit of the data and the network together (a dataset or features with the input that
    follows them, or a banner's fix): one undo entry. ``apply(state, leaving)`` shows ``state``
    everywhere; it may keep the weights of ``leaving`` in it, so that undo and redo restore them."""

    def __init__(self, apply: Callable[[EditState, EditState], None], old: EditState,
                 new: EditState, text: str, parent=None):
        super().__init__(text, parent)
        self.apply, self.old, self.new = apply, old, new

    def redo(self) -> None:
        self.apply(self.new, self.old)

    def undo(self) -> None:
        self.apply(self.old, self.new)
