"""Training a comparison: every configuration its own Trainer, stepped round-robin.

``ComparisonTrainer`` stands where the worker expects one Trainer. ``run(k)`` runs k steps of
each configuration in turn (so every configuration has taken the same number of steps after
every call), ``step()`` one step of each. The first configuration is the one the main views
show (its decision map, weights, canvas): every attribute the worker or the window reads or sets
that is not the comparison's own goes to it. ``snapshot()`` is the first configuration's, with
one ``VariantState`` per configuration: its history, losses, accuracy and a small decision map
(on every other grid point, refreshed at most MAP_HZ times a second, so drawing them all costs
little), and the per-layer histograms at step 0 and now (``layer_stats``).

A configuration that diverges stops where it is, with its reason; the others go on.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from playground.engine import Diverged, Network, Trainer, TrainingSettings

from . import layer_stats
from .comparison import Comparison, variant_project
from .comparison_state import resume

MAP_HZ = 4.0                #: small maps per second, at most
STATS_HZ = 1.0              #: layer histograms per second, at most
MAP_STRIDE = 2              #: the small maps use every other grid point in each direction


@dataclass
class VariantState:
    """What the views draw of one configuration."""

    label: str
    step: int
    epoch: int
    examples: int
    seconds: float
    train_loss: float
    test_loss: float
    score: float | None
    history: list
    map: np.ndarray | None = None           # (outputs, r, r), row 0 the top of the plane
    diverged: str | None = None
    stats_start: layer_stats.LayerStats | None = None
    stats_now: layer_stats.LayerStats | None = None


@dataclass
class _Slot:
    label: str
    trainer: Trainer
    init_std: float | None
    diverged: str | None = None
    map: np.ndarray | None = None
    stats_start: layer_stats.LayerStats | None = None
    stats_now: layer_stats.LayerStats | None = None
    spare: dict = field(default_factory=dict)
    resumed: bool = False                   # went on from a saved state


def _fill_std(net: Network, std: float | None, seed: int) -> None:
    """Weights N(0, std²), biases 0 (the variant's ``init_std``)."""
    if std is None:
        return
    rng = np.random.default_rng(seed)
    for name, value in net.parameters().items():
        if name.endswith(".weight"):
            value[...] = rng.standard_normal(value.shape) * std
        elif name.endswith(".bias"):
            value[...] = 0


class ComparisonTrainer:
    """Several Trainers trained side by side; reads and writes that are not its own go to the
    first one (``primary``)."""

    _OWN = ("slots", "comparison", "base", "_last_map", "_last_stats", "_clock", "resumed")

    def __init__(self, comparison: Comparison, base, template: Trainer, clock=time.perf_counter,
                 saved: list | None = None):
        """``saved``: the configurations' states from an opened project (``comparison_state``):
        those that fit go on from there (``resumed`` counts them)."""
        object.__setattr__(self, "comparison", comparison)
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "_clock", clock)
        object.__setattr__(self, "_last_map", float("-inf"))
        object.__setattr__(self, "_last_stats", float("-inf"))
        object.__setattr__(self, "slots", build_slots(comparison, base, template, saved))
        object.__setattr__(self, "resumed", sum(slot.resumed for slot in self.slots))

    # -- delegation ------------------------------------------------------------------------------
    @property
    def primary(self) -> Trainer:
        return self.slots[0].trainer

    def __getattr__(self, name):
        return getattr(self.slots[0].trainer, name)

    def __setattr__(self, name, value):
        if name in self._OWN:
            object.__setattr__(self, name, value)
        elif name == "record_interval":
            for slot in self.slots:
                slot.trainer.record_interval = value
        else:
            setattr(self.slots[0].trainer, name, value)

    @property
    def trainers(self) -> list[Trainer]:
        return [slot.trainer for slot in self.slots]

    @property
    def labels(self) -> list[str]:
        return [slot.label for slot in self.slots]

    # -- training --------------------------------------------------------------------------------
    def step(self) -> float:
        return self.run(1)

    def run(self, n_steps: int) -> float:
        """``n_steps`` steps of every configuration that has not diverged, one after the other;
        returns the first configuration's last batch loss. Raises ``Diverged`` only when every
        configuration has."""
        for slot in self.slots:
            if slot.diverged is None:
                try:
                    slot.trainer.run(n_steps)
                except Diverged as exc:
                    slot.diverged = str(exc)
        if all(slot.diverged for slot in self.slots):
            raise Diverged(self.primary.step_count, "every configuration diverged")
        return self.primary.last_loss

    def run_epoch(self) -> float:
        start = self.primary.epoch
        loss = self.primary.last_loss
        while self.primary.epoch == start and self.slots[0].diverged is None:
            loss = self.step()
        return loss

    def set_lr(self, lr: float) -> None:
        """A new learning rate for the configurations that do not set their own."""
        for slot, variant in zip(self.slots, self.comparison.variants):
            if "lr" not in variant.training.get("optimizer", {}):
                slot.trainer.set_lr(lr)

    def set_batch_size(self, batch_size) -> None:
        for slot, variant in zip(self.slots, self.comparison.variants):
            if "batch_size" not in variant.training:
                slot.trainer.set_batch_size(batch_size)

    def fresh(self) -> "ComparisonTrainer":
        """Every configuration restarted from its seed (Reset)."""
        return ComparisonTrainer(self.comparison, self.base, self.primary)

    # -- what the views draw ---------------------------------------------------------------------
    def refresh_maps(self) -> None:
        """Have the next snapshot carry current maps and histograms (the worker asks when the
        run stops or a command changed it: the paced ones may be a quarter second old)."""
        object.__setattr__(self, "_last_map", float("-inf"))
        object.__setattr__(self, "_last_stats", float("-inf"))

    def snapshot(self, with_grid: bool = True, with_probes: bool = True):
        snap = self.primary.snapshot(with_grid, with_probes)
        now = self._clock()
        maps = with_grid and self.primary.grid is not None and now - self._last_map >= 1 / MAP_HZ
        if maps:
            object.__setattr__(self, "_last_map", now)
        stats = now - self._last_stats >= 1 / STATS_HZ
        if stats:
            object.__setattr__(self, "_last_stats", now)
        for slot in self.slots:
            if maps:
                slot.map = small_map(slot.trainer)
            if stats and slot.trainer.step_count > 0:
                slot.stats_now = layer_stats.measure(slot.trainer)
            snap.variants.append(state_of(slot))
        return snap


def small_map(trainer: Trainer) -> np.ndarray | None:
    """The decision map on every MAP_STRIDE-th grid point: (outputs, r, r)."""
    r = trainer.grid_resolution
    if trainer.grid is None or r <= 0:
        return None
    grid = trainer.grid.reshape(r, r, -1)[::MAP_STRIDE, ::MAP_STRIDE].reshape(-1, trainer.grid.shape[1])
    side = len(range(0, r, MAP_STRIDE))
    with np.errstate(all="ignore"):
        out = trainer.predict(np.ascontiguousarray(grid))
    return np.asarray(out, np.float32).T.reshape(-1, side, side).copy()


def state_of(slot: _Slot) -> VariantState:
    t = slot.trainer
    last = t.history[-1] if t.history else {}
    score = last.get("train_accuracy", last.get("train_r2"))
    return VariantState(slot.label, t.step_count, t.epoch, t.epoch * len(t.x_train),
                        t.seconds_trained(), last.get("train_loss", t.last_loss),
                        last.get("test_loss", float("nan")), score, list(t.history), slot.map,
                        slot.diverged, slot.stats_start, slot.stats_now)


def build_slots(comparison: Comparison, base, template: Trainer,
                saved: list | None = None) -> list[_Slot]:
    """One Trainer per configuration, on the template's data and grid; each goes on from its
    ``saved`` state when there is one that fits (its histograms at step 0 are its seed's)."""
    slots = []
    for variant in comparison.variants:
        project = variant_project(base, variant)
        settings = TrainingSettings.from_dict(project.training.to_dict())
        net = Network.from_spec(project.network, seed=settings.seed, dtype=template.net.dtype)
        _fill_std(net, variant.init_std, settings.seed)
        trainer = Trainer(net, settings, template.data, grid=template.grid,
                          grid_resolution=template.grid_resolution,
                          probe_inputs=template.probe_inputs, augment=template.augment)
        trainer.record_interval = template.record_interval
        slot = _Slot(variant.label, trainer, variant.init_std)
        slot.stats_start = layer_stats.measure(trainer)
        if saved:
            slot.resumed = resume(slot, saved)
            if slot.resumed and trainer.step_count > 0:
                slot.stats_now = layer_stats.measure(trainer)
        slot.map = small_map(trainer)
        slots.append(slot)
    return slots


def compare(base, template: Trainer) -> ComparisonTrainer:
    """The comparison of ``base`` (a Project with a comparison section), trained on the data and
    grid of ``template`` (the base project's own Trainer)."""
    return ComparisonTrainer(base.comparison, base, template, saved=base.comparison.saved)
