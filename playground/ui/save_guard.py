"""What Save writes when the training thread cannot answer: never wait on a dead or busy worker.

``trained_state_or_snapshot(window)`` asks the worker for the trainer's weights and history and
waits at most ``ANSWER_SECONDS``. A worker that is gone, stuck in a long step or failing gives no
answer in time: then the newest snapshot the worker published *from the current network* stands
in (it is a copy, made between steps), and a note says so. Without such a snapshot the weights the
project was opened with are saved, and the note says that the training since is not in the file.
"""
from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout

ANSWER_SECONDS = 1.0


def trained_state_or_snapshot(window, timeout: float | None = None):
    """(weights, history, note): note is None when the worker answered."""
    project, session, bridge = window.project, window.session, window.bridge
    if session is None:
        return project.weights, list(project.history), None
    if bridge.alive:
        future = bridge.call(lambda t: (None, []) if t is None
                             else (t.net.get_weights(), list(t.history)))
        try:
            return (*future.result(ANSWER_SECONDS if timeout is None else timeout), None)
        except FutureTimeout:
            pass
        except Exception:   # noqa: BLE001 - reading the weights failed: the snapshot stands in
            pass
    snap = bridge.latest_snapshot_of(session.network)
    if snap is not None:
        return (snap.weights, list(snap.history),
                f"the training thread did not answer: saved the weights of step {snap.step:,}, "
                f"the last it showed")
    return (project.weights, list(project.history),
            "the training thread did not answer: saved the weights the project had when it was "
            "opened, without the training since")


def keep_comparison_states(window, project, timeout: float | None = None) -> None:
    """A comparison's configurations, each with its weights and optimizer state, into
    ``project.comparison.saved`` (read in the worker, ``comparison_state.capture_variants``), so
    the saved project goes on from them; left as they were when the worker does not answer."""
    bridge = window.bridge
    if project.comparison is None or window.session is None or not bridge.alive:
        return
    from playground.project.comparison_state import capture_variants
    future = bridge.call(lambda t: None if t is None else capture_variants(t))
    try:
        saved = future.result(ANSWER_SECONDS if timeout is None else timeout)
    except Exception:   # noqa: BLE001 - a worker that does not answer: the older states stay
        return
    if saved:
        project.comparison.saved = saved
