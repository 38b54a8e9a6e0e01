"""Every layer type; importing this package fills the registry."""
from . import batchnorm, conv, dense, pool, shape  # noqa: F401
from .base import REGISTRY, Layer, register  # noqa: F401
