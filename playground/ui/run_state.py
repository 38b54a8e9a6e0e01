"""The run state and the training settings, with one owner (no widget holds them).

``RunState`` is Qt-free: whether training runs and the settings it runs with. Views subscribe with
``on_running(fn)`` and ``on_settings(fn)`` and are called whenever a value changes; the Play
button's label follows ``running``, and Play/Pause reads ``running``, never the button.
"""
from __future__ import annotations

from typing import Callable

from ..engine import TrainingSettings


class RunState:
    """``running`` (bool) and ``settings`` (TrainingSettings), each with its subscribers."""

    def __init__(self, settings: TrainingSettings | None = None):
        self._running = False
        self._settings = settings if settings is not None else TrainingSettings()
        self._running_views: list[Callable[[bool], None]] = []
        self._settings_views: list[Callable[[TrainingSettings], None]] = []

    @property
    def running(self) -> bool:
        return self._running

    @property
    def settings(self) -> TrainingSettings:
        return self._settings

    def on_running(self, view: Callable[[bool], None]) -> None:
        """Call ``view(running)`` now and at every change."""
        self._running_views.append(view)
        view(self._running)

    def on_settings(self, view: Callable[[TrainingSettings], None]) -> None:
        """Call ``view(settings)`` at every new value (not now: the views start from the project)."""
        self._settings_views.append(view)

    def set_running(self, running: bool) -> None:
        running = bool(running)
        if running != self._running:
            self._running = running
            for view in list(self._running_views):
                view(running)

    def set_settings(self, settings: TrainingSettings) -> None:
        """New settings (or the same object changed in place): every view shows them."""
        self._settings = settings
        for view in list(self._settings_views):
            view(settings)
