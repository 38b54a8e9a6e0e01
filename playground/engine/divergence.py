"""Divergence seen before it is infinite: a run whose loss stays far above where it started, or
whose weights explode, is stopped like one that reached NaN (README, "When training diverges").

The rule, checked every WINDOW steps on the mean batch loss of those steps:
- the loss: the window's mean is above LOSS_FACTOR x the reference loss for PATIENCE windows in a
  row, while the run has not yet learned (no window's mean has been under LEARNED x the reference
  since the start or the last change of the learning rate). A run that has learned and then jumps
  (Adam's late quirk on the spiral: v shrinks, the steps grow) is left to the other checks: a
  NaN or infinite loss and exploding weights still stop it. The reference is the larger of the
  first step's loss (the untrained network) and the loss of the best constant prediction (the
  targets' mean: their variance for MSE, the label entropy for BCE and cross-entropy), so a
  network that starts far off is judged against its own start.
- the weights: their norm is above WEIGHT_FACTOR x its starting value and above an RMS of
  WEIGHT_FLOOR per weight (a net started at zero must still grow to a huge size).
The weights at the end of the last window that broke neither rule are kept, to be put back.
"""
from __future__ import annotations

import math

import numpy as np

WINDOW = 25            #: steps per check
PATIENCE = 4           #: bad windows in a row before the run is stopped (100 steps)
LOSS_FACTOR = 4.0      #: "far above": this many times the reference loss
LOSS_FLOOR = 1e-3      #: the reference never counts as smaller than this
LEARNED = 0.5          #: a window under this share of the reference: the learning rate works
WEIGHT_FACTOR = 1e3    #: the weight norm grew this many times ...
WEIGHT_FLOOR = 1e3     #: ... and its RMS per weight is over this


class DivergenceWatch:
    """Fed every step's loss (``observe``); returns the reason to stop, in words, or None.
    ``good`` holds the weights at the end of the last healthy window. ``constant_loss``: the loss
    of the best constant prediction, or None to judge the weights only."""

    def __init__(self, params: np.ndarray, constant_loss: float | None):
        self.constant_loss = constant_loss
        self.first_loss: float | None = None
        self.start_norm = _norm(params)
        self.good = params.copy()
        self._sum, self._n = 0.0, 0
        self._bad = 0
        self.learned = False

    @property
    def reference(self) -> float:
        return max(self.constant_loss or 0.0, self.first_loss or 0.0, LOSS_FLOOR)

    def rearm(self) -> None:
        """A new learning rate: whether the run can learn must be shown again."""
        self.learned, self._bad = False, 0

    def restart(self, params: np.ndarray) -> None:
        """Forget the current streak (the run goes on from ``params``, e.g. after a stop)."""
        np.copyto(self.good, params)
        self._sum, self._n, self._bad = 0.0, 0, 0

    def observe(self, losses, params: np.ndarray) -> str | None:
        """The batch losses of the steps just taken (a number or an array, in order)."""
        if isinstance(losses, float) and self.first_loss is not None and self._n < WINDOW - 1:
            self._sum += losses                    # one step, mid-window: the common case
            self._n += 1
            return None
        losses = np.atleast_1d(np.asarray(losses, dtype=np.float64))
        if self.first_loss is None and len(losses):
            self.first_loss = float(losses[0])
        i, norm = 0, None
        while i < len(losses):
            take = min(WINDOW - self._n, len(losses) - i)
            self._sum += float(losses[i:i + take].sum())
            self._n += take
            i += take
            if self._n == WINDOW:
                if norm is None:              # the weights are those after all the steps given
                    norm = _norm(params)
                reason = self._judge(self._sum / WINDOW, params, norm)
                self._sum, self._n = 0.0, 0
                if reason:
                    return reason
        return None

    def _judge(self, mean_loss: float, params: np.ndarray, norm: float) -> str | None:
        if norm > max(WEIGHT_FACTOR * self.start_norm, WEIGHT_FLOOR * math.sqrt(params.size)):
            grown = norm / self.start_norm if self.start_norm > 0 else float("inf")
            return (f"the weights grew {grown:,.0f}× larger" if math.isfinite(grown) else
                    f"the weights grew from zero to a norm of {norm:.3g}")
        limit = LOSS_FACTOR * self.reference
        if mean_loss < LEARNED * self.reference:
            self.learned = True
        if self.constant_loss is not None and not self.learned and mean_loss > limit:
            self._bad += 1
            if self._bad >= PATIENCE:
                return (f"the loss stayed over {LOSS_FACTOR:g}× its start ({self.reference:.3g}) "
                        f"for {PATIENCE * WINDOW} steps")
            return None
        self._bad = 0
        np.copyto(self.good, params)
        return None


def _norm(params: np.ndarray) -> float:
    flat = params.reshape(-1).astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.dot(flat, flat)))


def constant_loss(loss, targets: np.ndarray) -> float:
    """``loss`` of the best constant prediction, the targets' mean, on ``targets`` (already in
    the output's shape): their variance for MSE, the label entropy for BCE and cross-entropy."""
    t = np.asarray(targets, dtype=np.float64)
    mean = np.broadcast_to(t.mean(axis=0), t.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(loss.forward(mean, t))
