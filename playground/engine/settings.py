"""Training settings: the one place their defaults live (STYLE.md: one typed table).

The project file, the Inspector, the CLI and the Trainer all read and write this dataclass.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

LOSSES = ("auto", "mse", "bce", "cce")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
REGULARIZATIONS = ("none", "l1", "l2")
RULES = ("backprop", "perceptron", "adaline", "adaline_normalized")

#: every optimizer's hyperparameters with their defaults (DESIGN.md section 2)
OPTIMIZER_DEFAULTS: dict[str, dict[str, Any]] = {
    "sgd": {"lr": 0.03},
    "momentum": {"lr": 0.03, "rho": 0.9},
    "rmsprop": {"lr": 0.01, "alpha": 0.99, "eps": 1e-8},
    "adam": {"lr": 0.001, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0,
             "amsgrad": False, "maximize": False},
}


def optimizer_config(kind: str, **overrides: Any) -> dict:
    """A complete optimizer config: ``{"type": kind, ...defaults, ...overrides}``."""
    if kind not in OPTIMIZER_DEFAULTS:
        raise ValueError(f"unknown optimizer {kind!r}; choose one of {', '.join(OPTIMIZERS)}")
    return {"type": kind, **OPTIMIZER_DEFAULTS[kind], **overrides}


def _is_number(value: Any) -> bool:
    """A real, finite number (not a bool, NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:              # an int too large for a float
        return False


#: the real domain of each numeric optimizer setting: (test, what the message says it must be)
_DOMAINS = {
    "lr": (lambda v: v > 0, "a number above 0"),
    "eps": (lambda v: v > 0, "a number above 0 (it keeps a division away from zero)"),
    "rho": (lambda v: 0 <= v < 1, "a number from 0 up to (not including) 1"),
    "alpha": (lambda v: 0 <= v < 1, "a number from 0 up to (not including) 1"),
    "weight_decay": (lambda v: v >= 0, "0 or more"),
}
SEED_MAX = 2 ** 32 - 1          #: seeds are what numpy's generators accept: 0 .. 2**32 - 1


def _check_optimizer_values(config: dict) -> None:
    """Each optimizer setting has the type of its default and lies in its real domain."""
    kind = config["type"]
    for key, default in OPTIMIZER_DEFAULTS[kind].items():
        value = config[key]
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ValueError(f"the {kind} setting '{key}' must be true or false, not {value!r}")
        elif isinstance(default, list):
            if not (isinstance(value, (list, tuple)) and len(value) == 2
                    and all(_is_number(b) and 0 <= b < 1 for b in value)):
                raise ValueError(f"the {kind} setting '{key}' must be two numbers from 0 up to "
                                 f"(not including) 1, not {value!r}")
        else:
            test, words = _DOMAINS[key]
            if not (_is_number(value) and test(value)):
                raise ValueError(f"the {kind} setting '{key}' must be {words}, not {value!r}")


@dataclass
class TrainingSettings:
    """How a network is trained. ``batch_size`` is a number or "full" (batch gradient descent)."""

    loss: str = "auto"
    optimizer: dict = field(default_factory=lambda: optimizer_config("sgd"))
    regularization: str = "none"
    reg_rate: float = 0.0
    batch_size: int | str = 10
    rule: str = "backprop"
    seed: int = 0
    # stop conditions (engine/stop.py): None = not set
    stop_test_loss: float | None = None
    stop_accuracy: float | None = None
    stop_epochs: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TrainingSettings":
        """Build from a (possibly partial) dict, checking every value; raises ValueError."""
        if not isinstance(data, dict):
            raise ValueError("training settings must be an object")
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown training setting(s): {', '.join(sorted(unknown))}")
        settings = cls(**data)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss {self.loss!r}; choose one of {', '.join(LOSSES)}")
        if not isinstance(self.optimizer, dict) or self.optimizer.get("type") not in OPTIMIZERS:
            raise ValueError(f"the optimizer must be one of {', '.join(OPTIMIZERS)}")
        unknown = set(self.optimizer) - {"type"} - set(OPTIMIZER_DEFAULTS[self.optimizer["type"]])
        if unknown:
            raise ValueError(f"{self.optimizer['type']} has no setting(s) {', '.join(sorted(unknown))}")
        self.optimizer = optimizer_config(self.optimizer["type"], **{
            k: v for k, v in self.optimizer.items() if k != "type"})
        lr = self.optimizer["lr"]
        if not _is_number(lr) or not lr > 0:
            raise ValueError(f"the learning rate must be a positive number, not {lr!r}")
        _check_optimizer_values(self.optimizer)
        if self.regularization not in REGULARIZATIONS:
            raise ValueError(f"regularization must be one of {', '.join(REGULARIZATIONS)}")
        if not _is_number(self.reg_rate) or self.reg_rate < 0:
            raise ValueError(f"the regularization rate must be 0 or more, not {self.reg_rate!r}")
        if self.batch_size != "full" and (isinstance(self.batch_size, bool) or not isinstance(
                self.batch_size, int) or self.batch_size < 1):
            raise ValueError(f"batch size must be a whole number of at least 1 or \"full\", "
                             f"not {self.batch_size!r}")
        if self.rule not in RULES:
            raise ValueError(f"unknown learning rule {self.rule!r}; choose one of {', '.join(RULES)}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) \
                or not 0 <= self.seed <= SEED_MAX:
            raise ValueError(f"the seed must be a whole number from 0 to {SEED_MAX}, "
                             f"not {self.seed!r}")
        from .stop import check_stop_settings
        check_stop_settings(self)

    @property
    def lr(self) -> float:
        return float(self.optimizer["lr"])
