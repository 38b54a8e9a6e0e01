"""The training engine: numpy and numba only (no Qt)."""
from .errors import Diverged, SpecError
from .network import Network

__all__ = ["Network", "SpecError", "Diverged"]
