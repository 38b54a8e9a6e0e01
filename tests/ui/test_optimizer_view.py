"""The Optimizer tab of Weights & gradients: the worker's snapshots carry the per-layer summaries,
and the tab draws one series per layer in each plot."""
from __future__ import annotations

import numpy as np
import pytest

from playground.engine.optimizer_stats import summarize
from playground.project.examples import load_example
from playground.project.session import build_session
from playground.ui import theme
from playground.ui.bridge import TrainingBridge
from playground.ui.views.weights_view import WeightsView

WAIT = 30.0


@pytest.fixture(autouse=True)
def _theme(qapp):
    theme.apply(qapp, dark=False)


def _snapshots(optimizer: dict, chunks: int = 4, steps: int = 50):
    """Snapshots of the spiral example as the worker makes them (with the optimizer's numbers)."""
    project = load_example("spiral")
    project.training.optimizer = optimizer
    session = build_session(project)
    t = session.trainer
    out = []
    for _ in range(chunks):
        t.run(steps)
        snap = t.snapshot()
        snap.optimizer, snap.optimizer_stats = t.optimizer.name, summarize(t.optimizer, t.net)
        out.append(snap)
    return session, out


def test_the_worker_publishes_the_optimizers_numbers_per_layer():
    session, _ = _snapshots({"type": "adam", "lr": 0.02}, chunks=0)
    bridge = TrainingBridge(session.trainer).start()
    try:
        assert bridge.step().wait(WAIT)
        snap = bridge.take_snapshot()
        assert snap.optimizer == "adam"
        assert list(snap.optimizer_stats) == [layer.id for layer in session.network.layers]
        expected = bridge.call(lambda t: summarize(t.optimizer, t.net)).result(WAIT)
        assert snap.optimizer_stats == expected
    finally:
        bridge.stop()


def test_the_tab_draws_one_series_per_layer(qtbot):
    session, snaps = _snapshots({"type": "adam", "lr": 0.02})
    view = WeightsView()
    qtbot.addWidget(view)
    view.resize(420, 700)
    view.show()
    for snap in snaps[:2]:
        view.show_snapshot(snap)          # recorded while the Weights tab is in front
    view.tabs.setCurrentWidget(view.optimizer)
    for snap in snaps[2:]:
        view.show_snapshot(snap)
    tab = view.optimizer
    layers = [layer.id for layer in session.network.layers]
    assert list(tab.layers) == layers
    assert len(tab.legend.items) == len(layers)
    for layer in layers:
        for key in ("velocity", "sqrt_v", "step", "ratio"):
            x, y = tab.items[layer][key].getData()
            assert list(x) == [s.step for s in snaps]          # every snapshot, none twice
            assert y[-1] == pytest.approx(np.log10(
                {"velocity": snaps[-1].optimizer_stats[layer].velocity_norm,
                 "sqrt_v": snaps[-1].optimizer_stats[layer].sqrt_v[2],
                 "step": snaps[-1].optimizer_stats[layer].step[2],
                 "ratio": snaps[-1].optimizer_stats[layer].update_ratio}[key]))
    # every point is inside its plot
    for key, plot in tab.plot.items():
        (x0, x1), (y0, y1) = plot.viewRange()
        for layer in layers:
            x, y = tab.items[layer][key].getData()
            assert x0 <= x.min() and x.max() <= x1 and y0 <= y.min() and y.max() <= y1
    assert not tab.notes["velocity"].textItem.toPlainText()


def test_sgd_says_what_it_does_not_keep_and_a_reset_starts_again(qtbot):
    _, snaps = _snapshots({"type": "sgd", "lr": 0.1}, chunks=2)
    view = WeightsView()
    qtbot.addWidget(view)
    view.tabs.setCurrentWidget(view.optimizer)
    for snap in snaps:
        view.show_snapshot(snap)
    tab = view.optimizer
    assert "no velocity" in tab.notes["velocity"].textItem.toPlainText()
    assert "does not divide" in tab.notes["sqrt_v"].textItem.toPlainText()
    layer = next(iter(tab.layers))
    assert len(tab.items[layer]["step"].getData()[0]) == 2
    assert tab.items[layer]["velocity"].getData()[0] is None or \
        len(tab.items[layer]["velocity"].getData()[0]) == 0
    view.clear()
    assert not tab.layers and not tab.legend.items


def test_the_worker_summarises_the_optimizer_only_as_often_as_its_budget():
    # summarising on every publish cost ~5 % of training: snapshots within OPTIMIZER_SECONDS of the
    # last summary carry none (the tab skips them), and the next one after it has fresh numbers
    from playground.ui.bridge import OPTIMIZER_SECONDS
    session, _ = _snapshots({"type": "adam", "lr": 0.02}, chunks=0)
    t = session.trainer
    now = [100.0]
    bridge = TrainingBridge(t, publish_hz=1000, clock=lambda: now[0])   # never started: no thread
    bridge._publish(force=True)
    assert bridge.take_snapshot().optimizer_stats == summarize(t.optimizer, t.net)
    t.run(5)
    now[0] += OPTIMIZER_SECONDS / 2
    bridge._publish()
    between = bridge.take_snapshot()
    assert between.optimizer == "adam" and between.optimizer_stats == {}
    t.run(5)
    now[0] += OPTIMIZER_SECONDS
    bridge._publish()
    fresh = bridge.take_snapshot()
    assert fresh.step == t.step_count and fresh.optimizer_stats == summarize(t.optimizer, t.net)
    t.run(5)
    bridge._publish(force=True)          # Pause, Step, a setting: the numbers are always current
    assert bridge.take_snapshot().optimizer_stats == summarize(t.optimizer, t.net)


def test_numbers_that_start_late_get_the_whole_step_axis(qtbot):
    """A run going on after an edit: the step counter continues from 5,000, the tab's lines start
    again there, and each plot's step axis starts with them (from 0 they were a sliver at the
    right, as in the gradient-norm plot; both use ranges.step_window)."""
    import copy
    _, snaps = _snapshots({"type": "adam", "lr": 0.01}, chunks=3)
    view = WeightsView()
    qtbot.addWidget(view)
    view.tabs.setCurrentWidget(view.optimizer)
    for k, snap in enumerate(snaps):
        late = copy.copy(snap)
        late.step = 5000 + 40 * k
        view.show_snapshot(late)
    for key, plot in view.optimizer.plot.items():
        (x0, x1), _ = plot.viewRange()
        assert x0 == 5000 and x1 - x0 < 1000, key


def test_four_layers_legend_fits_a_tall_dock_at_1280(qtbot):
    """The dock is ~290 px wide at 1280x800: four layer names in one row ran past its edge (the
    fourth cut to "der"); the legend wraps as the gradient-norm legend does."""
    _, snaps = _snapshots({"type": "adam", "lr": 0.01}, chunks=1)
    view = WeightsView()
    qtbot.addWidget(view)
    view.resize(290, 700)
    view.show()
    view.tabs.setCurrentWidget(view.optimizer)
    tab = view.optimizer
    for layer in ("dense1", "dense4", "dense2", "dense3"):
        if layer not in tab.layers:
            tab._add_layer(layer)
    qtbot.wait(100)
    legend = tab.legend
    right = legend.mapRectToScene(legend.boundingRect()).right()
    assert right <= tab.plots.viewport().width()
