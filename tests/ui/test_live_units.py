"""The activation explorer's live half, opened from the Inspector's activation field: the chosen
layer's z behind f and f', and its saturated or dead units over steps."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QToolButton

WAIT = 60_000


@pytest.fixture
def main_window(quiet_dialogs, make_main_window):
    return make_main_window()


def test_the_inspector_link_opens_the_explorer_on_that_layer(main_window, qtbot):
    w = main_window
    for _ in range(3):
        assert w.bridge.step().wait(30)
    editor = w.parts.editor
    layer_id = w.session.network.layers[1].id              # the second tanh layer
    editor.inspector.show_layer(layer_id)
    link = editor.inspector.findChild(QToolButton, "explore_activation")
    assert link is not None
    link.click()
    labs = w._labs_window
    tab = labs.activations
    assert labs.isVisible() and labs.tabs.currentWidget() is tab
    live = tab.live
    qtbot.waitUntil(lambda: live.layer.currentData() == layer_id, timeout=WAIT)
    assert tab.name == "tanh"                                # the layer's own activation shown
    snap = w.bridge.latest_snapshot_of(w.session.network)
    z = snap.unit_health[layer_id].z
    # the histogram is of this layer's z: its shares add up to what lies inside the plot
    x0, x1 = tab.plot.getPlotItem().getViewBox().viewRange()[0]
    heights = live.hist.opts["height"]
    assert np.sum(heights) == pytest.approx(1.0)
    assert live.hist_box.isVisible()
    assert f"{snap.unit_health[layer_id].units} units" in live.status.text()
    # the share plot has a saturated line for each tanh layer (the spiral has no ReLU)
    assert {kind for (_, kind) in live.series} == {"saturated"}
    assert {layer for (layer, _) in live.series} == {l.id for l in w.session.network.layers}
    assert len(z) and np.isfinite(z).all() and x0 < x1


def test_choosing_none_hides_the_histogram(main_window, qtbot):
    w = main_window
    assert w.bridge.step().wait(30)
    w.actions_["labs"].trigger()
    labs = w._labs_window
    labs.show_tab("activations")
    live = labs.activations.live
    qtbot.waitUntil(lambda: live.layer.count() > 1, timeout=WAIT)
    live.layer.setCurrentIndex(1)
    assert live.hist_box.isVisible()
    live.layer.setCurrentIndex(0)
    assert not live.hist_box.isVisible()


def test_this_network_draws_the_live_plane_with_the_trajectory(main_window, qtbot):
    w = main_window
    w.actions_["labs"].trigger()
    race = w._labs_window.race
    for _ in range(4):                      # a few snapshots for the trajectory
        assert w.bridge.step().wait(30)
        race.network.record()
    race.surface_combo.setCurrentIndex(race.surface_combo.findData("network"))
    assert not race.play.isEnabled() and race.recompute.isVisible()
    got = []
    race.network.ready.connect(got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT)
    plane = got[0]
    assert plane.losses.shape == (41, 41)
    # the origin is the training loss now; the trajectory ends there
    loss = w.bridge.call(lambda t: t.evaluate()["train_loss"]).result(30)
    assert plane.losses[20, 20] == pytest.approx(loss, rel=1e-5)
    assert len(plane.trajectory) >= 2
    np.testing.assert_allclose(plane.trajectory[-1], [0, 0], atol=1e-4)
    x, y = race.plot.trajectory.getData()
    np.testing.assert_allclose(x, plane.trajectory[:, 0])
    assert race.plot.image.image.shape == (201, 201)        # the 41 x 41 grid, interpolated
    assert "J = " in race.formula.text()
    # back to a 2-D surface: the racers return, the trajectory goes
    race.surface_combo.setCurrentIndex(0)
    assert race.play.isEnabled() and not race.plot.trajectory.isVisible()


def test_the_drawn_plane_is_the_grid_where_the_grid_is():
    from playground.ui.labs.race_plot import upsampled
    grid = np.random.default_rng(0).normal(size=(5, 7))
    fine = upsampled(grid, 4)
    assert fine.shape == (17, 25)
    np.testing.assert_allclose(fine[::4, ::4], grid)
    np.testing.assert_allclose(fine[2, 0], (grid[0, 0] + grid[1, 0]) / 2)


def test_labs_opened_after_training_show_the_whole_run(main_window, qtbot):
    """The worker records unit health and the weights from the first step: a Labs window opened
    late draws the shares and the trajectory of every step, not just the newest."""
    w = main_window
    for _ in range(6):
        assert w.bridge.step().wait(30)
    w.actions_["labs"].trigger()
    labs = w._labs_window
    labs.show_tab("activations")
    live = labs.activations.live
    qtbot.waitUntil(lambda: bool(live.series), timeout=WAIT)
    for series in live.series.values():
        steps = list(series.x)
        assert steps[0] <= 1 and steps[-1] == 6 and len(steps) >= 6
    trajectory = labs.race.network.trajectory()
    assert len(trajectory) >= 6
    np.testing.assert_allclose(trajectory[-1], w.session.network.flat_params, rtol=1e-6)
