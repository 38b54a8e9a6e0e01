"""The weights view redraws only what changed: the gradient histogram's range does not jump with
every batch (a range change re-lays the axis out), its bars are not rebuilt when they are the same,
and the gradient-norm lines stay a bounded number of points however long the run."""
from __future__ import annotations

import copy

import numpy as np

from playground.project.examples import load_example
from playground.project.session import build_session
from playground.ui.views.weight_histograms import SHRINK_AFTER
from playground.ui.views.weights_view import WeightsView


def _spiral(steps: int):
    session = build_session(load_example("spiral"))
    session.trainer.run(steps)
    return session, session.trainer.snapshot()


def _scaled_gradients(snap, factor: float, step: int):
    other = copy.copy(snap)
    other.gradients = {k: v * factor for k, v in snap.gradients.items()}
    other.step = step
    return other


def test_the_gradient_range_shrinks_only_after_a_run_of_small_batches(qtbot):
    _, snap = _spiral(20)
    view = WeightsView()
    qtbot.addWidget(view)
    view.show_snapshot(snap)
    wide = view.hists.grad_range
    for i in range(SHRINK_AFTER - 1):              # batches with gradients 1000 times smaller
        view.show_snapshot(_scaled_gradients(snap, 1e-3, snap.step + 1 + i))
        assert view.hists.grad_range == wide
    view.show_snapshot(_scaled_gradients(snap, 1e-3, snap.step + SHRINK_AFTER))
    assert view.hists.grad_range < wide / 100
    view.show_snapshot(_scaled_gradients(snap, 1.0, snap.step + SHRINK_AFTER + 1))
    assert view.hists.grad_range >= wide            # and grows back at once


def test_same_histogram_bars_are_not_set_again(qtbot):
    _, snap = _spiral(20)
    view = WeightsView()
    qtbot.addWidget(view)
    sets = []
    real = view.weight_hist.setData
    view.weight_hist.setData = lambda *a, **k: (sets.append(1), real(*a, **k))
    view.show_snapshot(snap)
    view.show_snapshot(snap)
    assert len(sets) == 1
    view.show_snapshot(_scaled_gradients(snap, 1.0, snap.step + 1))   # the same weights
    assert len(sets) == 1


def test_gradient_norm_lines_stay_bounded_by_the_plot_width(qtbot):
    _, snap = _spiral(20)
    view = WeightsView()
    qtbot.addWidget(view)
    view.resize(400, 600)
    rng = np.random.default_rng(0)
    for step in range(1, 5001):
        other = copy.copy(snap)
        other.step = step
        other.grad_norms = {k: float(rng.uniform(0.1, 1.0)) for k in snap.grad_norms}
        view.record(other)
    view.show_snapshot(other)
    width = view.norm_plot.getViewBox().boundingRect().width()
    for line in view.norm_lines.values():
        assert len(line.getData()[0]) <= 2 * max(width, 16) + 4
    assert len(view.norms["dense1"]) == 5000        # every point is kept, only the drawing thins
