"""While training runs, a frame of the Curves or of the Weights & gradients is drawn in one turn of
the event loop and painted in the next, so a click or a key waits for one half, never both (the
two together were 40-60 ms in a comparison's first second). A held view must never stay frozen:
it paints at the next turn, after Pause, and when the pump stops.

A zero-interval timer started inside a view's draw stands for input arriving meanwhile: it fires
at the next turn of the event loop, and must come before that view's paint."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from playground.project.examples import load_example
from playground.ui.paint_hold import PaintHold, paint_later

WAIT = 300_000     # ms: the first window may compile numba kernels on a busy machine


def count_paints(widget, log: list, name: str) -> None:
    """Log ``(name, "paint")`` at each paint of ``widget``'s viewport."""
    original = widget.paintEvent

    def paint(event):
        log.append((name, "paint"))
        return original(event)
    widget.paintEvent = paint


def a_plot(qtbot):
    """A plot inside a window (as the views are in their docks), shown and painted once: the
    window, the plot widget and its line."""
    window = QWidget()
    qtbot.addWidget(window)
    widget = pg.GraphicsLayoutWidget()
    QVBoxLayout(window).addWidget(widget)
    window.resize(300, 200)
    line = widget.addPlot().plot([0, 1], [0, 1])
    painted: list = []
    count_paints(widget, painted, "plot")
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: bool(painted), timeout=5000)
    return window, widget, line


def from_a_timer(qtbot, fn) -> None:
    """Run ``fn`` as the pump runs a frame's draw: in a timer's callback, inside the event loop."""
    done = []
    QTimer.singleShot(0, lambda: done.append(fn()))
    qtbot.waitUntil(lambda: bool(done), timeout=5000)


def test_a_turn_of_the_event_loop_comes_between_a_held_draw_and_its_paint(qtbot):
    _window, widget, line = a_plot(qtbot)
    log: list = []
    count_paints(widget, log, "plot")
    hold = PaintHold()
    hold.hold(widget)                       # outside a pump frame: nothing is held
    assert widget.updatesEnabled() and not hold.holding
    with hold.drawing():
        hold.hold(widget.window())          # nor a window itself
    assert widget.window().updatesEnabled() and not hold.holding

    def frame():
        with hold.drawing():
            hold.hold(widget)
            line.setData([0, 1, 2], [1, 0, 1])
            QTimer.singleShot(0, lambda: log.append(("input", "turn")))
        assert hold.holding and not widget.updatesEnabled()
        QTimer.singleShot(0, hold.release)       # as the pump does
    from_a_timer(qtbot, frame)
    qtbot.waitUntil(lambda: ("plot", "paint") in log, timeout=5000)
    assert log.index(("input", "turn")) < log.index(("plot", "paint"))
    assert widget.updatesEnabled() and not hold.holding


def test_a_held_widget_deleted_before_the_release_is_skipped(qtbot):
    _window, widget, _ = a_plot(qtbot)
    hold = PaintHold()
    with hold.drawing():
        hold.hold(widget)
    shiboken6.delete(widget)
    hold.release()                          # no error: there is nothing left to paint
    assert not hold.holding


def test_paint_later_paints_at_the_next_turn(qtbot):
    _window, widget, line = a_plot(qtbot)
    log: list = []
    count_paints(widget, log, "plot")

    def change():
        line.setData(np.arange(50.0), np.arange(50.0) ** 2)
        QTimer.singleShot(0, lambda: log.append(("input", "turn")))
    from_a_timer(qtbot, lambda: paint_later(widget, change))
    qtbot.waitUntil(lambda: ("plot", "paint") in log, timeout=5000)
    assert log.index(("input", "turn")) < log.index(("plot", "paint"))
    assert widget.updatesEnabled()


def test_while_training_input_gets_a_turn_between_a_views_draw_and_its_paint(
        quiet_dialogs, make_main_window, qtbot):
    w = make_main_window(load_example("batch_sizes"))
    log: list = []
    views = {"curves": w.parts.curves_view, "weights": w.parts.weights_view}
    for name, view in views.items():
        count_paints(view.plots, log, name)
        original = view.show_snapshot

        def show(snap, original=original, name=name):
            original(snap)
            if snap.running:
                log.append((name, "draw"))
                QTimer.singleShot(0, lambda: log.append((name, "turn")))
        view.show_snapshot = show
    w.actions_["play"].trigger()

    def frames_seen() -> int:
        return sum(1 for name in views for k in range(len(log) - 2)
                   if log[k] == (name, "draw") and (name, "paint") in log[k + 1:])
    qtbot.waitUntil(lambda: frames_seen() >= 6, timeout=WAIT)
    w.actions_["play"].trigger()                                 # pause
    for name in views:
        draws = [k for k, entry in enumerate(log) if entry == (name, "draw")]
        for k in draws[:3]:
            rest = log[k + 1:]
            if (name, "paint") in rest:
                assert rest.index((name, "turn")) < rest.index((name, "paint")), (name, log[k:k + 8])
    qtbot.waitUntil(lambda: not w.pump.hold.holding, timeout=5000)
    assert all(view.plots.updatesEnabled() for view in views.values())


def test_a_pump_stopped_between_draw_and_paint_leaves_no_view_frozen(make_main_window, qtbot):
    w = make_main_window()
    view = w.parts.curves_view
    with w.pump.hold.drawing():
        w.pump.hold.hold(view.plots)
    assert not view.plots.updatesEnabled()
    w.pump.stop()
    assert view.plots.updatesEnabled() and not w.pump.hold.holding
