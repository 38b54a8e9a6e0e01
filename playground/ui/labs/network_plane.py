"""'This network' in the optimizer race: the live network's training loss on a plane through its
current weights (``labs.landscape_plane``, Li et al. 2018), with the run's trajectory projected
onto it.

The trajectory is the training worker's record of the weights (``labs.run_record``, from the
run's first step, so a Labs window opened late still shows the whole path); without one (a bare
bridge) the weights of the main window's newest snapshots are recorded while the Labs are open
(``labs.trajectory.WeightTrail``, a few a second). ``compute()`` hands the plane to the training
worker (``bridge.call``): the 41 x 41 losses are computed there, between training steps, never
on the UI thread; a timer collects the result and emits ``ready(plane)`` or ``failed(text)``.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from playground.labs import landscape_plane
from playground.labs.trajectory import WeightTrail

GRID = 41
POLL_MS = 250
SEED = 0
MAX_EXTENT = 25.0


def plane_in_worker(trainer, trajectory: np.ndarray, n: int = GRID, seed: int = SEED):
    """Runs in the training worker: the plane through the trainer's current weights, wide enough
    (in filter-normalised units, at least ±1) to hold the trajectory, which ends at the weights
    now. Raises ValueError in words when there is nothing to draw."""
    if trainer is None:
        raise ValueError("there is no network to draw: build one in the main window")
    if trainer.rule != "backprop":
        raise ValueError("the plane shows a loss trained by backprop; this network learns by "
                         f"the {trainer.rule} rule")
    net = trainer.net
    now = net.flat_params.astype(np.float64)[None, :]
    points = np.vstack([trajectory, now]) if len(trajectory) and \
        trajectory.shape[1] == now.shape[1] else now
    data = (trainer.x_train, trainer.y_train)
    # the same seed draws the same directions: a 2 x 2 plane first tells how far the run reaches
    probe = landscape_plane(net, data, trainer.loss, seed=seed, extent=1.0, n=2, trajectory=points)
    reach = float(np.abs(probe.trajectory).max()) * 1.15
    extent = float(min(max(1.0, reach), MAX_EXTENT))
    return landscape_plane(net, data, trainer.loss, seed=seed, extent=extent, n=n,
                           trajectory=points)


class NetworkPlane(QObject):
    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.window = None
        self.trail: WeightTrail | None = None
        self._network = None
        self.future = None
        self.recorder = QTimer(self)
        self.recorder.setInterval(POLL_MS)
        self.recorder.timeout.connect(self.record)
        self.waiter = QTimer(self)
        self.waiter.setInterval(50)
        self.waiter.timeout.connect(self._collect)

    def set_window(self, window) -> None:
        """The main window whose training is drawn (its ``bridge`` and ``session``)."""
        self.window = window
        self.recorder.start()
        self.record()

    @property
    def available(self) -> bool:
        return self.window is not None

    def record(self) -> None:
        w = self.window
        session = getattr(w, "session", None) if w is not None else None
        if session is None or getattr(w.bridge, "labs_record", None) is not None:
            return                      # the worker records the whole run (``trajectory``)
        if session.network is not self._network:        # another network: another trail
            self._network = session.network
            self.trail = WeightTrail(session.network.parameters())
        snap = w.bridge.latest_snapshot_of(session.network)
        if snap is not None and snap.weights:
            try:
                self.trail.add(snap.step, snap.weights)
            except KeyError:            # a snapshot of the previous structure: skip it
                pass

    @property
    def busy(self) -> bool:
        return self.future is not None and not self.future.done()

    def trajectory(self) -> np.ndarray:
        """(k, P) weight vectors of the run so far: the worker's record when it is of the
        network trained now, else what this window recorded."""
        session = getattr(self.window, "session", None)
        record = getattr(self.window.bridge, "labs_record", None)
        if record is not None and session is not None and record.network() is session.network:
            _steps, vectors = record.trail()
            if len(vectors):
                return vectors
        self.record()
        return self.trail.points() if self.trail is not None and len(self.trail) else \
            np.zeros((0, 0))

    def compute(self) -> bool:
        """Ask the worker for the plane; False when there is no main window or one is pending."""
        if self.window is None or self.busy:
            return False
        trajectory = self.trajectory()
        self.future = self.window.bridge.call(lambda t: plane_in_worker(t, trajectory))
        self.waiter.start()
        return True

    def _collect(self) -> None:
        if self.future is None or not self.future.done():
            return
        self.waiter.stop()
        future, self.future = self.future, None
        try:
            plane = future.result()
        except Exception as exc:            # noqa: BLE001 - told to the user in words
            self.failed.emit(str(exc))
            return
        self.ready.emit(plane)
