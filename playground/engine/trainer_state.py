"""Everything a Trainer needs to go on from one moment, bit for bit, as copied arrays (no Qt).

``capture(trainer)`` copies the weights and buffers, the optimizer's state (its slots, step count
and settings), both random generators (the trainer's shuffling and augmentation; the network's
dropout), the epoch's shuffled order and position in it, the epoch's running sums, the history
and the divergence watch. ``restore(trainer, state)`` puts all of it back into the same trainer,
in place (the fused kernel keeps views into the optimizer's arrays), so the next steps are the
ones an uninterrupted run would have taken from that moment.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np


@dataclass
class TrainerState:
    """A trainer's full state at ``step``; every array is a copy owned by this object."""

    step: int
    epoch: int
    params: np.ndarray
    buffers: dict[str, np.ndarray]
    optimizer_type: str
    optimizer_config: dict
    optimizer_t: int
    optimizer_slots: dict[str, dict[str, np.ndarray]]
    rng: dict
    net_rng: dict
    order: np.ndarray
    cursor: int
    epoch_loss: float
    epoch_batches: int
    epoch_mistakes: int
    last_loss: float
    history: list[dict] = field(default_factory=list)
    watch: dict = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        """The bytes of its arrays (the history's rows are shared with the trainer's)."""
        arrays = [self.params, self.order, *self.buffers.values(),
                  *(a for slots in self.optimizer_slots.values() for a in slots.values()),
                  *(v for v in self.watch.values() if isinstance(v, np.ndarray))]
        return int(sum(a.nbytes for a in arrays))


def _order_copy(order: np.ndarray) -> np.ndarray:
    """The shuffled order in the smallest integer type that holds it (restored as int64)."""
    return order.astype(np.int32) if len(order) < 2 ** 31 else order.copy()


def capture(trainer) -> TrainerState:
    """A copy of ``trainer``'s state now (call it between steps, in the thread that trains)."""
    opt = trainer.optimizer
    watch = {k: (v.copy() if isinstance(v, np.ndarray) else copy.copy(v))
             for k, v in vars(trainer.watch).items()}
    return TrainerState(
        step=int(trainer.step_count), epoch=int(trainer.epoch),
        params=trainer.net.flat_params.copy(),
        buffers={k: v.copy() for k, v in trainer.net.buffers().items()},
        optimizer_type=opt.name, optimizer_config=copy.deepcopy(opt.config),
        optimizer_t=int(opt.t),
        optimizer_slots={name: {slot: a.copy() for slot, a in slots.items()}
                         for name, slots in opt._state.items()},
        rng=copy.deepcopy(trainer.rng.bit_generator.state),
        net_rng=copy.deepcopy(trainer.net.rng.bit_generator.state),
        order=_order_copy(trainer._order), cursor=int(trainer._cursor),
        epoch_loss=float(trainer._epoch_loss), epoch_batches=int(trainer._epoch_batches),
        epoch_mistakes=int(trainer._epoch_mistakes), last_loss=float(trainer.last_loss),
        history=list(trainer.history), watch=watch)


def check_fits(trainer, state: TrainerState) -> str | None:
    """Why ``state`` cannot go back into ``trainer`` (another network or optimizer), or None."""
    if state.params.shape != trainer.net.flat_params.shape:
        return (f"the network has {trainer.net.flat_params.size:,} parameters, the moment "
                f"{state.params.size:,}")
    if set(state.buffers) != set(trainer.net.buffers()):
        return "the network's running statistics differ from the moment's"
    if state.optimizer_type != trainer.optimizer.name:
        return (f"the moment was trained with {state.optimizer_type}, the run uses "
                f"{trainer.optimizer.name}")
    if len(state.order) != len(trainer.x_train):
        return "the training set has another size than at that moment"
    return None


def restore(trainer, state: TrainerState) -> None:
    """Put ``state`` back into ``trainer`` (in place). Raises ValueError if it does not fit."""
    reason = check_fits(trainer, state)
    if reason:
        raise ValueError(f"this moment cannot be restored: {reason}")
    net, opt = trainer.net, trainer.optimizer
    np.copyto(net.flat_params, state.params)
    for name, array in net.buffers().items():
        np.copyto(array, state.buffers[name])
    opt.config.clear()
    opt.config.update(copy.deepcopy(state.optimizer_config))
    trainer.settings.optimizer["lr"] = opt.lr
    opt.t = state.optimizer_t
    for name, slots in opt._state.items():
        for slot, array in slots.items():
            np.copyto(array, state.optimizer_slots[name][slot])
    trainer.rng.bit_generator.state = copy.deepcopy(state.rng)
    net.rng.bit_generator.state = copy.deepcopy(state.net_rng)
    trainer._order = state.order.astype(np.int64)
    trainer._cursor = state.cursor
    trainer.step_count, trainer.epoch = state.step, state.epoch
    trainer._epoch_loss, trainer._epoch_batches = state.epoch_loss, state.epoch_batches
    trainer._epoch_mistakes, trainer.last_loss = state.epoch_mistakes, state.last_loss
    trainer.history = list(state.history)
    for key, value in state.watch.items():
        current = getattr(trainer.watch, key, None)
        if isinstance(value, np.ndarray) and isinstance(current, np.ndarray) \
                and current.shape == value.shape:
            np.copyto(current, value)
        else:
            setattr(trainer.watch, key, copy.copy(value))
    np.copyto(trainer._backup, net.flat_params)
