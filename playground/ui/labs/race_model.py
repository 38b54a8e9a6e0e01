"""The race's state, without widgets: the surface and its settings, the racers' configs and
colours, the common start, and the Racers stepping (playground.labs.Racer, i.e. the engine's
optimizers). The race tab draws it; tests drive it directly."""
from __future__ import annotations

from dataclasses import dataclass

from playground.engine import optimizer_config
from playground.labs import SURFACES, Racer, Surface
from playground.labs.race import racer_label

#: per surface, learning rates at which each built-in racer makes a fair race (found by running
#: race() over a range: the fastest to reach J - J* < 1e-3 without diverging, or close to it)
DEFAULT_LRS = {
    "bowl": {"sgd": 0.03, "momentum": 0.003, "rmsprop": 0.01, "adam": 0.05, "amsgrad": 0.05},
    "rosenbrock": {"sgd": 1e-3, "momentum": 1e-3, "rmsprop": 0.01, "adam": 0.1, "amsgrad": 0.1},
    "saddle": {"sgd": 3e-3, "momentum": 3e-4, "rmsprop": 3e-3, "adam": 0.01, "amsgrad": 0.01},
    "beale": {"sgd": 1e-3, "momentum": 3e-4, "rmsprop": 0.01, "adam": 0.3, "amsgrad": 0.3},
    "noisy_bowl": {"sgd": 0.01, "momentum": 1e-3, "rmsprop": 0.01, "adam": 0.03, "amsgrad": 0.03},
}
KINDS = ("sgd", "momentum", "rmsprop", "adam", "amsgrad")
#: one colour per built-in racer, then the user's copies (distinct from the grey contours)
COLORS = {"sgd": "#e53935", "momentum": "#fb8c00", "rmsprop": "#2e9d47", "adam": "#1e6fd9",
          "amsgrad": "#8e24aa"}
EXTRA_COLORS = ["#00a5b8", "#d81b60", "#6d4c41", "#c0a000", "#5c6bc0", "#7cb342", "#455a64"]
#: the most racers at once (each added copy costs a path to draw)
MAX_RACERS = 12


def make_config(kind: str, lr: float) -> dict:
    """An engine optimizer config; "amsgrad" is Adam with amsgrad on."""
    if kind == "amsgrad":
        return optimizer_config("adam", lr=lr, amsgrad=True)
    return optimizer_config(kind, lr=lr)


@dataclass
class RacerEntry:
    kind: str
    lr: float
    color: str
    builtin: bool

    @property
    def config(self) -> dict:
        return make_config(self.kind, self.lr)

    @property
    def label(self) -> str:
        return racer_label(self.config)


class RaceModel:
    """Racers on one surface from one start. ``restart()`` rebuilds every Racer at the start."""

    def __init__(self, surface: str = "rosenbrock"):
        self.surface_name = surface
        self.surface: Surface = SURFACES[surface]
        self.entries = [RacerEntry(k, DEFAULT_LRS[surface][k], COLORS[k], True) for k in KINDS]
        self.start = self.surface.start
        self.seed = 0
        self.racers: list[Racer] = []
        self.restart()

    # -- what is raced ------------------------------------------------------------------------------
    def set_surface(self, name: str) -> None:
        """Another surface: its own start, and the built-in racers take its learning rates."""
        self.surface_name = name
        self.surface = SURFACES[name]
        self.start = self.surface.start
        for e in self.entries:
            if e.builtin:
                e.lr = DEFAULT_LRS[name][e.kind]
        self.restart()

    def set_param(self, name: str, value: float) -> None:
        self.surface = self.surface.with_params(**{name: value})
        self.restart()

    def set_start(self, x: float, y: float) -> None:
        self.start = (float(x), float(y))
        self.restart()

    def add(self, kind: str, lr: float) -> RacerEntry:
        """A user's copy ("Adam lr 0.1" beside "Adam lr 0.01"); raises ValueError when full."""
        if len(self.entries) >= MAX_RACERS:
            raise ValueError(f"at most {MAX_RACERS} racers; remove one first")
        if not lr > 0:
            raise ValueError("the learning rate must be positive")
        used = {e.color for e in self.entries}
        color = next((c for c in EXTRA_COLORS if c not in used), EXTRA_COLORS[0])
        entry = RacerEntry(kind, float(lr), color, False)
        self.entries.append(entry)
        self.restart()
        return entry

    def remove(self, index: int) -> None:
        del self.entries[index]
        self.restart()

    def set_lr(self, index: int, lr: float) -> None:
        if not lr > 0:
            raise ValueError("the learning rate must be positive")
        self.entries[index].lr = float(lr)
        self.restart()

    # -- running ------------------------------------------------------------------------------------
    def restart(self) -> None:
        self.racers = [Racer(self.surface, e.config, self.start, self.seed, e.label)
                       for e in self.entries]

    def step(self, n: int = 1) -> int:
        """``n`` steps of every racer still running; returns how many racers moved."""
        moved = 0
        for racer in self.racers:
            for _ in range(n):
                if not racer.step():
                    break
            else:
                moved += 1
        return moved

    @property
    def steps(self) -> int:
        return max((r.steps for r in self.racers), default=0)

    @property
    def best_value(self) -> float | None:
        """J at the surface's minimum, or None (the saddle has none)."""
        m = self.surface.minimum
        return None if m is None else float(self.surface.value(*m))

    def steps_to_tolerance(self, racer: Racer, tol: float) -> int | None:
        best = self.best_value
        return None if best is None else racer.steps_to_reach(best + tol)
