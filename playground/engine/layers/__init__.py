"""Every layer type; importing this package fills the registry."""
from . import dense, shape  # noqa: F401
from .base import REGISTRY, Layer, register  # noqa: F401

try:  # the convolution family lives in its own modules
    from . import conv, pool  # noqa: F401
except ImportError:  # pragma: no cover - only while they are being written
    pass
