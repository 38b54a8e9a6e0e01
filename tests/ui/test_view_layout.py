"""What the student sees of the live views' layout: legends beside the data, never on it; axes that
stay readable; the network canvas zoomed to fit its view; the toolbar's speed when idle; the
training worker's chunking and the pump's frame budget."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF

from playground.project.examples import load_example
from playground.project.session import build_session
from playground.ui import theme
from playground.ui.pump import MIN_PAUSE_MS, PERIOD_MS, REST_SHARE, pause_after
from playground.ui.views.curves_view import CurvesView
from playground.ui.views.output_view import OutputView
from playground.ui.views.ranges import decade_ticks, doubled, nice_ceiling, sticky_top
from playground.ui.views.weights_view import WeightsView


@pytest.fixture(autouse=True)
def _theme(qapp):
    theme.apply(qapp, dark=False)


def trained(name: str, steps: int):
    session = build_session(load_example(name))
    session.trainer.run(steps)
    return session, session.trainer.snapshot()


def scene_rect(item) -> QRectF:
    return item.mapRectToScene(item.boundingRect())


def test_curves_legend_is_outside_both_plots_and_names_the_latest_losses(qtbot):
    session, snap = trained("spiral", 25 * 40)
    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(340, 260)
    view.show()
    view.show_snapshot(snap)
    # no legend item inside a plot: it is the header line, above the plots
    for plot in (view.loss_plot, view.score_plot):
        assert plot.legend is None
    assert view.legend.geometry().bottom() <= view.plots.geometry().top()
    text = view.legend.text()
    assert f"{snap.train_loss:.4f}" in text and f"{snap.test_loss:.4f}" in text


def test_curves_ranges_hold_every_point_and_move_only_when_data_leave_them(qtbot):
    session, snap = trained("spiral", 25 * 40)
    view = CurvesView()
    qtbot.addWidget(view)
    view.show_snapshot(snap)
    (x0, x1), (y0, y1) = view.loss_plot.viewRange()
    losses = [r["train_loss"] for r in snap.history] + [r["test_loss"] for r in snap.history]
    assert x0 <= 0 and x1 >= snap.epoch and y0 <= 0 and y1 >= max(losses)
    session.trainer.run(25)                     # one more epoch: still inside the ranges
    view.show_snapshot(session.trainer.snapshot())
    assert view.loss_plot.viewRange() == [[x0, x1], [y0, y1]]
    view.log_scale.setChecked(True)             # log axis: whole decades around the losses
    low, high = view.loss_plot.viewRange()[1]
    assert 10 ** low <= min(losses) and 10 ** high >= max(losses)


def test_gradient_norm_axis_has_readable_decades_and_a_legend_row_of_its_own(qtbot):
    session, snap = trained("spiral", 2500)
    view = WeightsView()
    qtbot.addWidget(view)
    view.resize(300, 680)
    view.show()
    view.show_snapshot(snap)
    labels = [label for _, label in view.norm_plot.getAxis("left")._tickLevels[0]]
    assert len(labels) >= 4 and all(label in ("0.01", "0.1", "1", "10", "100") or "e" in label
                                    for label in labels)
    # every norm is inside the plot, the last dot included
    (x0, x1), (y0, y1) = view.norm_plot.viewRange()
    for name, value in snap.grad_norms.items():
        assert y0 < np.log10(value) < y1
    assert x1 > snap.step
    # the legend lies under the plot's data area and inside the widget (no clipped entries)
    qtbot.waitUntil(lambda: scene_rect(view.norm_legend).top() > 0, timeout=3000)   # laid out
    legend, box = scene_rect(view.norm_legend), scene_rect(view.norm_plot.getViewBox())
    assert legend.top() >= box.bottom()
    assert legend.right() <= view.plots.viewport().width() + 1
    assert view.norm_legend.items and len(view.norm_legend.items) == 3


def test_class_legend_has_its_own_row_and_shows_every_class(qtbot):
    session, snap = trained("spiral", 10)
    view = OutputView()
    qtbot.addWidget(view)
    view.resize(340, 440)
    view.show()
    view.set_session(session)
    qtbot.waitUntil(lambda: view.caption.isVisible(), timeout=2000)
    for name in session.dataset.class_names:
        assert name in view.caption.text()
    # below the checkboxes, above the plot, and as wide as the view: nothing cut short
    assert view.caption.geometry().top() >= view.show_test.geometry().bottom()
    assert view.caption.geometry().bottom() <= view.plot_widget.geometry().top()
    assert view.caption.sizeHint().width() <= view.caption.width() or view.caption.wordWrap()


def test_fit_curve_legend_does_not_cover_the_data(qtbot):
    session, _ = trained("universal_approximation", 10)
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    assert not view.legend.isVisible()
    assert "network f(x)" in view.caption.text() and "training data" in view.caption.text()


def test_the_network_canvas_fits_its_view_without_a_sideways_scroll_bar(qtbot):
    from playground.project.document import NetworkDocument
    from playground.ui.canvas import EditorController
    spec = load_example("spiral").network
    controller = EditorController(NetworkDocument(spec))
    view = controller.view
    qtbot.addWidget(view)
    for width, height in ((330, 700), (700, 700), (330, 400)):
        view.resize(width, height)
        view.show()
        qtbot.waitExposed(view)
        rect = view.sceneRect()
        # once the scroll bars have settled (the next turns of the event loop)
        qtbot.waitUntil(lambda: rect.width() * view.transform().m11()
                        <= view.viewport().width() + 1, timeout=2000)
        scale = view.transform().m11()
        assert 0.6 <= scale <= 1.0 or rect.width() * scale <= view.viewport().width() + 1
        assert rect.width() * scale <= view.viewport().width() + 1     # the width always fits
        assert not view.horizontalScrollBar().isVisible()
        if scale < 1.0:                  # as large as the space allows: one side touches
            assert max(rect.width() * scale / view.viewport().width(),
                       rect.height() * scale / (view.viewport().height() - 30)) > 0.97
    view.resize(700, 700)
    qtbot.waitUntil(lambda: view.transform().m11() == 1.0, timeout=2000)   # never above 100 %


def test_toolbar_says_idle_rather_than_a_dash(qtbot):
    from PySide6.QtWidgets import QMainWindow
    from playground.ui.actions import TrainToolBar, build_actions
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = TrainToolBar(build_actions(window), window)
    assert bar.speed.text() == "idle"
    bar.show_counts(3, 75, 51234.0, running=True)
    assert bar.speed.text() == "51,234"
    bar.show_counts(3, 80, 0.0, running=False)
    assert bar.speed.text() == "idle" and "51,234" in bar.speed.toolTip()


def test_round_ranges_and_decade_labels():
    assert nice_ceiling(0.37) == 0.5 and nice_ceiling(3) == 5 and nice_ceiling(0.2) == 0.2
    assert doubled(10, 15) == 20 and doubled(4, 3) == 4     # one doubling: a tight fit
    assert doubled(10, 2500) == 5120                         # a leap: room for as much again
    assert sticky_top(None, 0.7) == 1.0 and sticky_top(1.0, 0.5) == 1.0
    assert sticky_top(1.0, 1.3) == 2.0 and sticky_top(1.0, 0.1) == 0.2
    assert [label for _, label in decade_ticks(-3, 0)] == ["1e-3", "0.01", "0.1", "1"]


def test_the_pump_paces_frames_at_about_28_a_second_and_backs_off_when_they_get_dear():
    assert 1000 / (PERIOD_MS) >= 25
    assert pause_after(frame_ms=10, frame_avg=10) == PERIOD_MS - 10      # cheap: the period
    assert pause_after(frame_ms=60, frame_avg=60) >= REST_SHARE * 60      # dear: views slow down
    assert pause_after(frame_ms=40, frame_avg=1) == MIN_PAUSE_MS          # input gets its turn
