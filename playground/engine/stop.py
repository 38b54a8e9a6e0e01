"""Stop conditions: pause training at a target test loss or accuracy, or after N epochs (no Qt).

The targets are read from the newest history record (the curves' numbers): the test set's when
there is one, else the training set's. Only records newer than ``since_step`` count, so a run that
already met its target and is played on does not stop again at once. ``steps_left`` tells the
training loop how many steps remain before the epoch limit, so a run stops exactly there.
"""
from __future__ import annotations

import math


def _number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def check_stop_settings(settings) -> None:
    """Raise ValueError, in the user's words, for a stop condition that cannot be met."""
    loss, acc, epochs = settings.stop_test_loss, settings.stop_accuracy, settings.stop_epochs
    if loss is not None and not (_number(loss) and loss >= 0):
        raise ValueError(f"the target loss must be a number of 0 or more, not {loss!r}")
    if acc is not None and not (_number(acc) and 0 < acc <= 1):
        raise ValueError(f"the target accuracy must be a share above 0 and up to 1 (e.g. 0.95), "
                         f"not {acc!r}")
    if epochs is not None and (isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1):
        raise ValueError(f"the epoch limit must be a whole number of at least 1, not {epochs!r}")


def _value(record: dict, name: str):
    for prefix, words in (("test_", "test"), ("train_", "training")):
        value = record.get(prefix + name)
        if value is not None and math.isfinite(value):
            return value, words
    return None, ""


def stop_reason(settings, trainer, since_step: int = -1) -> str | None:
    """Why training should stop now, in words, or None."""
    limit = settings.stop_epochs
    if limit is not None and trainer.epoch >= limit:
        return f"Stopped after {limit} epoch{'s' if limit != 1 else ''}, as set in the Training panel"
    record = trainer.history[-1] if trainer.history else None
    if record is None or record.get("step", -1) <= since_step:
        return None
    if settings.stop_test_loss is not None:
        loss, where = _value(record, "loss")
        if loss is not None and loss <= settings.stop_test_loss:
            return (f"Stopped at epoch {record.get('epoch', trainer.epoch)}: the {where} loss "
                    f"{loss:.4g} reached the target {settings.stop_test_loss:g}")
    if settings.stop_accuracy is not None:
        acc, where = _value(record, "accuracy")
        if acc is not None and acc >= settings.stop_accuracy:
            return (f"Stopped at epoch {record.get('epoch', trainer.epoch)}: the {where} accuracy "
                    f"{100 * acc:.1f} % reached the target {100 * settings.stop_accuracy:g} %")
    return None


def steps_left(settings, trainer) -> int | None:
    """Steps until the epoch limit (0 when reached); None without one."""
    limit = settings.stop_epochs
    if limit is None:
        return None
    if trainer.epoch >= limit:
        return 0
    n, batch = len(trainer.x_train), trainer.batch_size
    this_epoch = -(-(n - trainer._cursor) // batch) if trainer._cursor < n else trainer.steps_per_epoch
    return this_epoch + (limit - trainer.epoch - 1) * trainer.steps_per_epoch
