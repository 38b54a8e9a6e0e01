"""How the training thread carries out the UI's commands (DESIGN.md section 4).

``WorkerCommands`` is mixed into ``TrainingBridge``: ``_handle(name, arg)`` runs the command
``name`` as ``_do_<name>(trainer, arg)`` in the worker thread, on the bridge's own state (its
trainer, mode, timeline and publisher, set up in ``TrainingBridge.__init__``). Every command that
changes what the user sees publishes a fresh snapshot. ``paced`` and ``fresh_trainer`` prepare the
trainers the worker runs. Nothing here imports Qt.
"""
from __future__ import annotations

from ..engine import Trainer, TrainingSettings
from ..engine.optimizers import make_optimizer
from ..engine.rewind import come_back, rewind
from ..engine.stop import stop_reason
from ..labs import hands
from .publisher import WorkerEvent

RECORD_HZ = 20             # history records (with a full evaluation) per second, at most
NO_TRAINER_NEEDED = frozenset({"call", "replace", "set_speed"})   # the rest wait for a trainer


def paced(trainer: Trainer | None) -> Trainer | None:
    """A trainer that records its history at most RECORD_HZ times a second (the curves need no
    more, and a small network can finish thousands of epochs a second), and draws its maps on
    the training thread alone (the UI thread has the other core)."""
    if trainer is not None:
        trainer.record_interval = 1.0 / RECORD_HZ
        if hasattr(trainer, "map_threads"):
            trainer.map_threads = 1
    return trainer


def fresh_trainer(old: Trainer) -> Trainer:
    """A new Trainer on the same network, data and grid, weights re-initialised from the seed."""
    if hasattr(old, "fresh"):           # a comparison restarts each of its configurations
        return paced(old.fresh())
    settings = TrainingSettings.from_dict(old.settings.to_dict())
    old.net.init_params(settings.seed)
    return paced(Trainer(old.net, settings, old.data, grid=old.grid,
                         grid_resolution=old.grid_resolution, probe_inputs=old.probe_inputs,
                         augment=old.augment))


class WorkerCommands:
    """The worker's side of every command: ``_do_<name>(t, arg)`` with ``t`` the current trainer."""

    def _handle(self, name: str, arg) -> None:
        t = self._trainer
        if t is None and name not in NO_TRAINER_NEEDED:   # the pace is the bridge's own
            return
        getattr(self, f"_do_{name}")(t, arg)

    def _do_call(self, t, arg):
        fn, future = arg
        try:
            future.set_result(fn(t))
        except BaseException as exc:   # noqa: BLE001 - handed to the caller, who re-raises it
            future.set_exception(exc)

    def _do_replace(self, t, trainer):
        self._trainer, self._mode, self._diverged = paced(trainer), "idle", None
        self.timeline.clear()
        self._new_network()
        self._publisher.clear_batch_log()
        self._publish(force=True)

    def _do_play(self, t, arg):
        self._mode, self._diverged = "play", None
        self._stop_since = t.history[-1].get("step", -1) if t.history else -1
        self.timeline.record(t)
        if self._stop_now(t):
            return
        self._rate_steps, self._rate_start = 0, self._clock()
        self._publish(force=True)

    def _do_pause(self, t, arg):
        self._mode = "idle"
        self._publish(force=True)

    def _do_step(self, t, arg):
        self._mode = "idle"
        self._keep_good(t)
        self.timeline.record(t)
        self._train(t, 1)
        self._in_chunk = False
        self._publish(force=True)

    def _do_step_epoch(self, t, arg):
        self._mode, self._epoch_target, self._diverged = "epoch", t.epoch + 1, None

    def _do_reset(self, t, arg):
        self._mode, self._diverged = "idle", None
        self._trainer = fresh_trainer(t)
        self.timeline.clear()
        self._new_network()
        self._publisher.clear_batch_log()
        self._publish(force=True)

    def _new_network(self) -> None:
        """Forget everything measured on the previous network: its speed says nothing of this one."""
        self._seconds_per_step, self._step_checked, self._good = None, False, None
        self._slow_steps = 0
        self.steps_per_second = 0.0
        self._rate_steps, self._rate_start = 0, self._clock()

    def _do_rewind(self, t, arg):
        step, future = arg
        self._mode, self._diverged = "idle", None
        try:
            future.set_result(rewind(self.timeline, t, step))
        except ValueError as exc:
            future.set_exception(exc)
        self._good = None
        self._publish(force=True)

    def _do_come_back(self, t, abandoned):
        self._mode, self._diverged = "idle", None
        come_back(self.timeline, t, abandoned)
        self._good = None
        self._publish(force=True)

    def _stop_now(self, t: Trainer) -> bool:
        """Pause and say why when a stop condition is met (Training panel)."""
        reason = stop_reason(t.settings, t, self._stop_since)
        if reason is None:
            return False
        self._mode = "idle"
        self._publisher.post(WorkerEvent("stopped", reason))
        self._publish(force=True)
        return True

    def _do_set_lr(self, t, lr):
        t.set_lr(lr)
        self._publish(force=True)

    def _do_set_batch_size(self, t, batch_size):
        t.set_batch_size(batch_size)
        self._publish(force=True)

    def _do_update_settings(self, t, settings: TrainingSettings):
        old = t.settings
        changed_optimizer = {k: v for k, v in settings.optimizer.items() if k != "lr"} != \
            {k: v for k, v in old.optimizer.items() if k != "lr"}
        t.settings = TrainingSettings.from_dict(settings.to_dict())
        if changed_optimizer:       # new hyperparameters: the optimizer's state starts again
            t.optimizer = make_optimizer(t.settings.optimizer, {"all": t.net.flat_params})
        t.set_lr(t.settings.lr)
        self._publish(force=True)

    def _do_set_weights(self, t, arg):
        edits, before = arg
        replaced = hands.swap_weights(t, edits() if callable(edits) else edits)
        if before is not None:
            before.set_result(replaced)
        self._publish(force=True)

    def _do_set_probe_image(self, t, arg):
        hands.set_probe_image(t, *arg)
        self._publish(force=True)

    def _do_set_speed(self, t, steps_per_second):
        self._max_rate = None if not steps_per_second else float(steps_per_second)
