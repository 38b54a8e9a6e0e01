"""After the data change mid-run, the Curves view and the toolbar's counters agree and never go
backwards (issue 9 §1): the batch losses sit at the epoch counter whatever the new data's size,
and a run whose curves start afresh while the counters go on starts its x axis there, not at 0."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QPainter, QPicture

from playground.project.examples import load_example
from playground.project.session import build_session
from playground.ui import theme
from playground.ui.views.curves_view import CurvesView


@pytest.fixture(autouse=True)
def _theme(qapp):
    theme.apply(qapp, dark=False)


def session_for(n: int):
    project = load_example("spiral")
    project.dataset = {**project.dataset, "n": n}
    return build_session(project)


def train(view, trainer, steps: int, every: int = 5) -> list[float]:
    """Train as the worker does, feeding the view its batch losses and snapshots."""
    xs = []
    for _ in range(steps // every):
        loss = trainer.run(every)
        xs.append(trainer.epoch_position)
        view.add_batch_losses(np.array([xs[-1]]), np.array([float(loss)]))
        view.show_snapshot(trainer.snapshot())
    return xs


def x_range(view) -> tuple[float, float]:
    return tuple(view.loss_plot.getViewBox().viewRange()[0])


def test_a_fresh_history_after_a_data_change_starts_the_axis_at_the_epoch_counter(qtbot):
    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(400, 320)
    view.show()
    a = session_for(200).trainer
    a.evaluate_each_epoch = True
    train(view, a, 20 * a.steps_per_epoch)
    epoch, step = a.epoch, a.step_count
    assert epoch >= 15 and x_range(view)[0] <= 0.5
    # the data change (4x as many points) and no weights fit: a new trainer, the counters go on
    view.clear()                                    # as the window's rebuild does
    b = session_for(800).trainer
    b.epoch, b.step_count = epoch, step
    view.show_snapshot(b.snapshot())
    low, high = x_range(view)
    assert epoch - 1 < low <= epoch and high > epoch     # the axis starts where the counter is
    # and says so: its end ticks are labelled (centred on the ends they were hidden)
    view.plots.grab()
    axis = view.score_plot.getAxis("bottom")
    picture = QPicture()
    painter = QPainter(picture)
    labels = [text for _rect, _flags, text in axis.generateDrawSpecs(painter)[2]]
    painter.end()
    assert any(float(text) == epoch for text in labels), labels
    xs = train(view, b, 3 * b.steps_per_epoch)
    assert xs == sorted(xs) and xs[0] > epoch and xs[-1] <= b.epoch + 1    # never backwards
    assert step / b.steps_per_epoch < epoch - 5        # the old x (steps over steps per epoch) lagged
    records = [r["epoch"] for r in b.history]
    assert records and min(records) > epoch
    low, high = x_range(view)
    assert low <= epoch and high >= max(xs)          # every point in view
    # a history of its own (weights kept, curves carried) starts at 0 again
    view.clear()
    view.show_snapshot(a.snapshot())
    assert x_range(view)[0] <= 0.5


def test_the_batch_loss_position_holds_when_the_batch_size_changes():
    trainer = session_for(200).trainer
    trainer.run(25)
    before = trainer.epoch_position
    trainer.set_batch_size(40)
    assert trainer.epoch_position == pytest.approx(before)
    trainer.run(3)
    assert trainer.epoch_position > before


def test_the_worker_puts_a_new_trainers_batch_losses_at_the_epoch_counter():
    """The training thread's batch-loss x after the data change: the epoch counter's position,
    not the step counter over the new data's steps per epoch."""
    from playground.ui.bridge import TrainingBridge
    a = session_for(200).trainer
    a.run(20 * a.steps_per_epoch)
    b = session_for(800).trainer
    b.epoch, b.step_count = a.epoch, a.step_count        # as the window's rebuild carries them
    bridge = TrainingBridge(b, publish_hz=30).start()
    try:
        for _ in range(4):
            assert bridge.step().wait(60)
        x, _ = bridge.drain_batch_losses()
        assert len(x) == 4 and np.all(np.diff(x) > 0)
        assert a.epoch < x[0] and x[-1] < a.epoch + 1
    finally:
        bridge.stop()


def test_a_cleared_view_keeps_nothing_of_the_last_runs_axes(qtbot):
    """Another example opened: before its first epoch the plots show neither the last run's
    loss range and ticks nor its R² label."""
    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(400, 320)
    view.show()
    session = build_session(load_example("universal_approximation"))      # regression: R²
    session.trainer.evaluate_each_epoch = True
    session.trainer.run(40 * session.trainer.steps_per_epoch)
    view.show_snapshot(session.trainer.snapshot())
    assert view.score_plot.getAxis("left").labelText == "R²"
    view.clear()
    view.show_snapshot(session_for(200).trainer.snapshot())     # a classifier, no epoch yet
    assert view.score_plot.getAxis("left").labelText == "accuracy"
    low, high = view.loss_plot.getViewBox().viewRange()[1]
    assert low <= 0 and high >= 0.99
    assert view.loss_plot.getAxis("left")._tickLevels is None
