"""A tiny Qt-free observer, so the document can announce its changes without importing Qt."""
from __future__ import annotations

from typing import Any, Callable


class Signal:
    """A list of callbacks called in connection order by ``emit``, like a Qt signal without Qt.

    The document's signals are past tense (``layer_inserted``, ``changed``): they report what has
    already happened, so a listener may read the document in its handler and see the new state.
    """

    def __init__(self, name: str = ""):
        self.name = name
        self._slots: list[Callable[..., Any]] = []

    def connect(self, slot: Callable[..., Any]) -> None:
        if slot not in self._slots:
            self._slots.append(slot)

    def disconnect(self, slot: Callable[..., Any]) -> None:
        """Forget ``slot``; forgetting one that was never connected is harmless."""
        if slot in self._slots:
            self._slots.remove(slot)

    def emit(self, *args: Any) -> None:
        # a copy, so a slot may connect or disconnect others while we call them
        for slot in list(self._slots):
            slot(*args)

    def __repr__(self) -> str:
        return f"<Signal {self.name} ({len(self._slots)} slots)>"
