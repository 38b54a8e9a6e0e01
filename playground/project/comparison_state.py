"""A comparison's configurations saved in the .nnplay and resumed on opening (no Qt).

Each configuration of a comparison example trains its own network; saving only the project's
weights (the first configuration's) made every other one start again from its seed when the
project was reopened. ``capture_variants(trainer)`` (in the training thread) copies every
configuration's full state: weights, optimizer state, random generators, position in the epoch
(``engine.trainer_state``), its history and whether it diverged. ``variants_members`` writes them
as three members (comparison_runs.json: labels, histories, divergence; comparison_states.json and
.npz: the states, in the timeline's format, ``timeline_file``); ``variants_from_members`` reads
them back, checking every field. ``resume(slot, saved)`` puts a configuration's saved state into
its fresh trainer when the labels match and the state fits; otherwise it starts fresh.

The states are small: a comparison's networks are the examples' small ones (the spiral network's
five optimizers take ~18 kB of the file, the eight initialisations ~38 kB).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from playground.engine.snapshot import Snapshot
from playground.engine.timeline import Moment
from playground.engine.trainer_state import TrainerState, capture, check_fits, restore

from .project import ProjectError, check_history
from .timeline_file import TIMELINE_JSON, TIMELINE_NPZ, timeline_from_members, timeline_members

RUNS_JSON = "comparison_runs.json"
MAX_RUNS_JSON = 64 * 1024 * 1024


def state_members(i: int) -> tuple[str, str]:
    """The JSON and npz members of configuration ``i``'s state."""
    return f"comparison_states_{i}.json", f"comparison_states_{i}.npz"


@dataclass
class SavedVariant:
    label: str
    state: TrainerState
    diverged: str | None = None
    history: list = field(default_factory=list)


def capture_variants(trainer) -> list[SavedVariant] | None:
    """Every configuration's state now (call it in the training thread); None for a trainer that
    is not a comparison."""
    slots = getattr(trainer, "slots", None)
    if not slots:
        return None
    return [SavedVariant(s.label, capture(s.trainer), s.diverged,
                         [dict(r) for r in s.trainer.history]) for s in slots]


def _clean(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


def variants_members(saved: list[SavedVariant]) -> dict[str, bytes]:
    moments = [Moment(Snapshot(step=v.state.step, epoch=v.state.epoch), v.state) for v in saved]
    # the timeline's format wants its moments in order of step: each is written on its own
    runs = {"variants": [{"label": v.label, "diverged": v.diverged,
                          "history": [{k: _clean(x) for k, x in row.items()} for row in v.history]}
                         for v in saved]}
    members = {RUNS_JSON: json.dumps(runs).encode("utf-8")}
    for i, moment in enumerate(moments):
        part = timeline_members([moment])
        text, npz = state_members(i)
        members[text], members[npz] = part[TIMELINE_JSON], part[TIMELINE_NPZ]
    return members


def read_variants(names, read_text, read_npz) -> list[SavedVariant]:
    """The saved configurations of an archive with member ``names``; ``read_text(name, limit)``
    and ``read_npz(name)`` read one member (bounded, raising ``ProjectError``)."""
    runs_text = read_text(RUNS_JSON, MAX_RUNS_JSON)
    states = []
    for i in range(len(_runs(runs_text))):
        text, npz = state_members(i)
        if text not in names or npz not in names:
            break
        states.append((read_text(text, MAX_RUNS_JSON), read_npz(npz)))
    return variants_from_members(runs_text, states)


def _runs(text: str) -> list:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, ValueError, RecursionError):
        raise ProjectError("The project's saved comparison is damaged: comparison_runs.json is "
                           "not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("variants"), list) \
            or not 0 < len(data["variants"]) <= 16:
        raise ProjectError("The project's saved comparison is damaged: no list of configurations")
    return data["variants"]


def variants_from_members(runs_text: str, states: list[tuple[str, dict]]) -> list[SavedVariant]:
    """The saved configurations; ``states``: per configuration (its states JSON text, its npz
    arrays). Raises ``ProjectError`` for anything damaged."""
    runs = _runs(runs_text)
    if len(states) != len(runs):
        raise ProjectError("The project's saved comparison is damaged: a configuration has no state")
    out = []
    for i, (run, (text, arrays)) in enumerate(zip(runs, states)):
        if not isinstance(run, dict) or not isinstance(run.get("label"), str) \
                or not isinstance(run.get("history", []), list) \
                or not isinstance(run.get("diverged"), (str, type(None))):
            raise ProjectError(f"The project's saved comparison is damaged: configuration {i + 1}")
        history = check_history([{k: (float("nan") if v is None else v) for k, v in dict(r).items()}
                                 for r in run.get("history", []) if isinstance(r, dict)])
        moments = timeline_from_members(text, arrays, history)
        if len(moments) != 1 or moments[0].state is None:
            raise ProjectError(f"The project's saved comparison is damaged: configuration {i + 1} "
                               f"has no state")
        state = moments[0].state
        state.history = history
        out.append(SavedVariant(run["label"], state, run.get("diverged"), history))
    return out


def resume(slot, saved: list[SavedVariant] | None) -> bool:
    """Put the saved state of the configuration with ``slot``'s label into its trainer; False
    (the trainer stays fresh) when there is none or it does not fit (the project changed)."""
    match = next((v for v in saved or [] if v.label == slot.label), None)
    if match is None or check_fits(slot.trainer, match.state) is not None:
        return False
    try:
        restore(slot.trainer, match.state)
    except (ValueError, KeyError):
        return False
    slot.trainer.history = [dict(r) for r in match.history]
    if match.history:
        seconds = match.history[-1].get("seconds")
        if isinstance(seconds, (int, float)) and math.isfinite(seconds):
            slot.trainer.train_seconds = float(seconds)
    slot.diverged = match.diverged
    return True
