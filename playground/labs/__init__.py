"""Labs: small experiments that show the notes' mathematics with the engine's own code (no Qt).

- ``race(surface, optimizers, start, steps)`` and ``SURFACES``: optimizers racing on 2-D losses.
- ``landscape_plane(network, data, loss, seed, extent, n)``: the loss on a plane through the
  network's weights (Li et al. 2018), with a training trajectory projected onto it.
- ``ema(series, beta, bias_correction)``: the exponentially weighted average of notes 2.1.
- ``activation_curves.curves(name, x)``: f and f' of every engine activation.
- ``backprop_trace(network, x, target, loss)``: z, y, delta and the gradients of one example.
"""
from .backprop import BackpropTrace, backprop_trace
from .ema import ema
from .landscape import LandscapePlane, landscape_plane
from .race import RaceResult, Racer, race, racer_label
from .surfaces import SURFACES, Surface

__all__ = ["race", "Racer", "RaceResult", "racer_label", "SURFACES", "Surface",
           "landscape_plane", "LandscapePlane",
           "backprop_trace", "BackpropTrace", "ema"]
