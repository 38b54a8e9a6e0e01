"""The Labs window (issue 10): ``open_labs(parent, tab)`` shows it (one per main window).

``LAB_EXAMPLES`` are the ``--example`` names that open the app with the Labs on a tab.
"""
from __future__ import annotations

#: --example name -> the Labs tab it opens
LAB_EXAMPLES = {"optimizer_race": "race"}


def _live_snapshot(window):
    """The newest snapshot of the network the main window trains (taken by its views or not)."""
    session = getattr(window, "session", None)
    return None if session is None else window.bridge.latest_snapshot_of(session.network)


def _live_record(window):
    """The worker's record of the network the main window trains (``labs.run_record``), or None
    (another network's, or none yet)."""
    session = getattr(window, "session", None)
    record = getattr(window.bridge, "labs_record", None)
    if session is None or record is None or record.network() is not session.network:
        return None
    return record


def open_labs(parent=None, tab: str = "race"):
    """Show the Labs window on ``tab`` ("race", "ema", "activations"); returns it."""
    from .window import LabsWindow
    window = getattr(parent, "_labs_window", None) if parent is not None else None
    if window is None:
        window = LabsWindow(parent)
        if parent is not None:
            parent._labs_window = window
        if parent is not None and hasattr(parent, "bridge"):
            window.activations.live.set_source(lambda: _live_snapshot(parent),
                                               lambda: _live_record(parent))
            window.race.set_network_window(parent)
    window.show_tab(tab)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
