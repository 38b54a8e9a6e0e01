"""The training engine: numpy and numba only (no Qt).

    from playground.engine import Network, make_loss, make_optimizer
    net = Network.from_spec(spec, seed=0, dtype="float32")
"""
# numba picks a function's cache folder when @njit runs: install our locator before any kernel.
from .. import numba_cache as _numba_cache

_numba_cache.install()

from .errors import Diverged, SpecError
from .losses import make_loss
from .network import Network
from .optimizers import make_optimizer
from .settings import TrainingSettings, optimizer_config
from .snapshot import Snapshot
from .trainer import TrainData, Trainer

__all__ = ["Network", "SpecError", "Diverged", "make_loss", "make_optimizer", "TrainingSettings",
           "optimizer_config", "Snapshot", "TrainData", "Trainer"]
