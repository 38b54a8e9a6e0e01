"""Labs: small experiments that show the notes' mathematics with the engine's own code (no Qt).

- ``race(surface, optimizers, start, steps)`` and ``SURFACES``: optimizers racing on 2-D losses.
"""
from .race import RaceResult, Racer, race, racer_label
from .surfaces import SURFACES, Surface

__all__ = ["race", "Racer", "RaceResult", "racer_label", "SURFACES", "Surface"]
