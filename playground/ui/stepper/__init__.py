"""Step through backpropagation one example at a time (issue 11 section 2): the panel, its
numbers, the canvas overlay and the window's mode."""
from .mode import StepThrough

__all__ = ["StepThrough"]
