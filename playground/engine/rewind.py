"""Going back to a moment of the timeline, and undoing that (no Qt).

``rewind(timeline, trainer, step)`` restores the trainer to the moment at (or before) ``step``
and drops the later moments; it returns an ``Abandoned``: the live state it left and the moments
it dropped, which ``come_back`` puts back (the undo of "Resume from here").
"""
from __future__ import annotations

from dataclasses import dataclass

from .timeline import Moment, Timeline
from .trainer_state import TrainerState, capture, restore


@dataclass
class Abandoned:
    """The future a rewind left: the live state then, and the moments after the rewound one."""

    live: TrainerState
    moments: list[Moment]
    step: int                      # the step the run went back to

    @property
    def from_step(self) -> int:
        return self.live.step


def rewind(timeline: Timeline, trainer, step: int) -> Abandoned:
    """Restore ``trainer`` to the timeline's moment at ``step`` (or the last before it).
    Raises ValueError when there is none or it does not fit this trainer."""
    moment = timeline.at(step)
    if moment is None or moment.state is None:
        raise ValueError(f"the timeline has no moment to resume from at step {step}")
    live = capture(trainer)
    restore(trainer, moment.state)
    return Abandoned(live, timeline.cut_after(moment.step), moment.step)


def come_back(timeline: Timeline, trainer, abandoned: Abandoned) -> None:
    """Undo a rewind: the trainer goes back to the abandoned live state, and the moments that
    were dropped return (those recorded since the rewind are dropped in their turn)."""
    restore(trainer, abandoned.live)
    timeline.cut_after(abandoned.step)
    timeline.put_back(abandoned.moments)
