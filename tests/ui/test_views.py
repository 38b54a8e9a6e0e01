"""The live views draw what the snapshot holds: decision map, fit curve, curves, weights."""
from __future__ import annotations

import numpy as np
import pytest
import pyqtgraph as pg

from playground.project.examples import example_names, load_example
from playground.project.project import ProjectError
from playground.project.session import build_session
from playground.ui import theme
from playground.ui.views.curves_view import CurvesView
from playground.ui.views.output_view import OutputView
from playground.ui.views.ranges import nice_ceiling
from playground.ui.views.series import GrowingSeries
from playground.ui.views.weight_axes import weight_image
from playground.ui.views.weights_view import WeightsView


@pytest.fixture(autouse=True)
def _theme(qapp):
    theme.apply(qapp, dark=False)


def trained(name: str, steps: int = 60):
    session = build_session(load_example(name))
    session.trainer.run(steps)
    return session, session.trainer.snapshot()


def test_growing_series_doubles_and_keeps_values():
    s = GrowingSeries(capacity=4)
    for i in range(9):
        s.append(i, i * i)
    s.extend([9, 10], [81, 100])
    assert s.capacity == 16 and len(s) == 11
    np.testing.assert_array_equal(s.y, np.arange(11) ** 2)


def test_decision_map_shows_the_networks_output_flipped_to_the_plane(qtbot):
    session, snap = trained("spiral")
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    view.show_snapshot(snap)
    img = view.decision_image()
    out = snap.grid_outputs["output"][0]
    # grid row 0 is the top of the plane (high x2); the image's row 0 is drawn at the bottom
    np.testing.assert_array_equal(img, out[::-1])
    assert img.std() > 0.01
    assert view.colorbar.levels() == (0.0, 1.0)


def test_discretize_thresholds_the_output(qtbot):
    session, snap = trained("spiral")
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    view.show_snapshot(snap)
    view.discretize.setChecked(True)
    assert set(np.unique(view.decision_image())) <= {0.0, 1.0}


def test_test_points_toggle(qtbot):
    session, snap = trained("spiral", 1)
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    assert not view.test_points.isVisible()
    view.show_test.setChecked(True)
    assert view.test_points.isVisible()
    assert len(view.test_points.data) == session.dataset.n_test
    assert len(view.train_points.data) == session.dataset.n_train


def test_softmax_map_blends_class_colours(qtbot):
    session, snap = trained("spiral3")
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    view.show_snapshot(snap)
    img = view.decision_image()
    assert img.shape[-1] == 3 and img.dtype == np.uint8
    assert not view.colorbar.isVisible()


def test_one_d_regression_draws_the_fit_curve(qtbot):
    session, snap = trained("universal_approximation")
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    view.show_snapshot(snap)
    x, y = view.curve.getData()
    np.testing.assert_allclose(x, session.grid_points[:, 0])
    np.testing.assert_allclose(y, snap.grid_outputs["output"][0].reshape(-1))


def test_click_emits_the_plane_coordinates(qtbot):
    session, snap = trained("spiral", 1)
    view = OutputView()
    qtbot.addWidget(view)
    view.resize(400, 400)
    view.show()
    view.set_session(session)
    vb = view.plot.getViewBox()
    scene_pos = vb.mapViewToScene(pg_point(2.0, -3.0))
    event = FakeClick(scene_pos)
    with qtbot.waitSignal(view.point_clicked) as blocker:
        view._on_clicked(event)
    x1, x2, button = blocker.args
    assert x1 == pytest.approx(2.0, abs=0.05) and x2 == pytest.approx(-3.0, abs=0.05) and button == 1


def pg_point(x, y):
    from PySide6.QtCore import QPointF
    return QPointF(x, y)


class FakeClick:
    def __init__(self, pos):
        self._pos = pos

    def scenePos(self):
        return self._pos

    def button(self):
        from PySide6.QtCore import Qt
        return Qt.MouseButton.LeftButton


def test_curves_grow_per_epoch_and_clear_on_reset(qtbot):
    session, _ = trained("spiral", 0)
    view = CurvesView()
    qtbot.addWidget(view)
    session.trainer.run_epoch()
    view.show_snapshot(session.trainer.snapshot())
    session.trainer.run(session.trainer.steps_per_epoch * 3)
    snap = session.trainer.snapshot()
    view.show_snapshot(snap)
    x, y = view.lines["train_loss"].getData()
    assert list(x) == [1, 2, 3, 4]
    np.testing.assert_allclose(y, [r["train_loss"] for r in snap.history])
    assert len(view.lines["train_score"].getData()[0]) == 4
    view.show_snapshot(type(snap)())                    # a reset run: no history
    assert view.lines["train_loss"].getData()[0] is None or len(view.lines["train_loss"].getData()[0]) == 0


def test_weights_view_symmetric_levels_follow_the_weights_until_the_user_sets_them(qtbot):
    session, snap = trained("spiral", 20)
    view = WeightsView()
    qtbot.addWidget(view)
    view.show_snapshot(snap)
    assert [view.layer.itemText(i) for i in range(view.layer.count())] == ["dense1", "dense2", "dense3"]

    def holds_every_weight() -> float:
        r = view.range.value()
        w = view._last.weights[f"{view.layer.currentText()}.weight"]
        assert view.heat.levels[0] == -r and view.heat.levels[1] == r
        assert r / 4 <= np.abs(w).max() <= r          # round, just above the largest |w|
        # the histogram counts every weight (none fall off its ends)
        assert view.weight_hist.getData()[1].sum() == w.size
        return r

    assert view.auto_range.isChecked()
    holds_every_weight()
    session.trainer.run(400)
    view.show_snapshot(session.trainer.snapshot())
    holds_every_weight()
    view.range.setValue(0.05)                           # the user's own range: kept
    assert not view.auto_range.isChecked()
    session.trainer.run(20)
    view.show_snapshot(session.trainer.snapshot())
    assert view.range.value() == 0.05 and tuple(view.heat.levels) == (-0.05, 0.05)
    view.auto_range.setChecked(True)                    # back to following the weights
    holds_every_weight()
    assert set(view.norm_lines) == {"dense1", "dense2", "dense3"}
    assert len(view.norms["dense1"]) == 3
    view.layer.setCurrentText("dense2")
    np.testing.assert_array_equal(view.heat.image, session.trainer.snapshot().weights["dense2.weight"])


def test_weights_heatmap_names_its_inputs_on_cell_centres(qtbot):
    session, snap = trained("spiral", 5)
    view = WeightsView()
    qtbot.addWidget(view)
    view.resize(300, 700)
    view.show()
    view.set_input_names(["X1", "X2"])
    view.show_snapshot(snap)
    bottom = view.heat_plot.getAxis("bottom")._tickLevels[0]
    assert bottom == [(0.5, "X1"), (1.5, "X2")]
    left = view.heat_plot.getAxis("left")._tickLevels[0]
    units = snap.weights["dense1.weight"].shape[0]
    assert all(v == int(v) + 0.5 and label == str(int(v)) for v, label in left)
    assert left[0] == (0.5, "0") and len(left) <= units
    view.layer.setCurrentText("dense2")                 # its inputs are dense1's units
    ticks = view.heat_plot.getAxis("bottom")._tickLevels[0]
    assert ticks[0] == (0.5, "0") and all(label == str(int(v)) for v, label in ticks)
    steps = {b[0] - a[0] for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and steps.pop() == int(ticks[1][0])   # every k-th unit, evenly


def test_conv_layers_show_kernels_with_their_gradients(qtbot):
    session, snap = trained("lenet_digits", 2)
    view = WeightsView()
    qtbot.addWidget(view)
    view.show_snapshot(snap)
    view.layer.setCurrentText("conv1")
    w, g = snap.weights["conv1.weight"], snap.gradients["conv1.weight"]
    out, inp, kh, kw = w.shape
    assert view.grad_heat.isVisible()
    np.testing.assert_array_equal(view.grad_heat.image, weight_image(g))
    # beside the kernels: one blank column between the two grids
    rect = view.grad_heat.mapRectToView(view.grad_heat.boundingRect())
    assert rect.left() == view.heat.image.shape[1] + 1
    assert "gradients" in view.heat_plot.titleLabel.text
    left = view.heat_plot.getAxis("left")._tickLevels[0]
    assert left[0] == (kh / 2, "0")                     # the middle of filter 0's kernels
    view.layer.setCurrentText("dense1")
    assert not view.grad_heat.isVisible()


def test_weight_image_tiles_conv_kernels():
    w = np.arange(2 * 3 * 2 * 2, dtype=np.float32).reshape(2, 3, 2, 2)
    img = weight_image(w)
    assert img.shape == (2 * 3 - 1, 3 * 3 - 1)
    np.testing.assert_array_equal(img[3:5, 6:8], w[1, 2])
    assert np.isnan(img[2]).all()
    assert nice_ceiling(0.37) == 0.5 and nice_ceiling(3) == 5 and nice_ceiling(0) == 1.0


@pytest.mark.parametrize("name", [n for n in example_names()])
def test_every_example_draws(qtbot, name):
    try:
        session, snap = trained(name, 3)
    except ProjectError as exc:
        if "not on this computer" not in str(exc):
            raise
        pytest.skip(f"{name}: its dataset is not downloaded")
    for cls in (OutputView, CurvesView, WeightsView):
        view = cls()
        qtbot.addWidget(view)
        if hasattr(view, "set_session"):
            view.set_session(session)
        view.show_snapshot(snap)


def test_decision_map_fills_a_square_plane_from_minus_6_to_6(qtbot):
    session, snap = trained("spiral")
    view = OutputView()
    qtbot.addWidget(view)
    view.resize(420, 520)
    view.show()
    view.set_session(session)
    view.show_snapshot(snap)

    def square() -> bool:
        box = view.plot.getViewBox().boundingRect()
        return box.height() > 100 and abs(box.width() - box.height()) <= 1.5

    qtbot.waitUntil(square, timeout=5000)          # once the layout has settled
    (x0, x1), (y0, y1) = view.plot.viewRange()
    assert (x0, x1, y0, y1) == (-6, 6, -6, 6)
    image = view.image.mapRectToView(view.image.boundingRect())
    assert (image.left(), image.top(), image.width(), image.height()) == (-6, -6, 12, 12)
    view.resize(600, 400)                          # wide: the square follows the height
    qtbot.waitUntil(lambda: square() and view.plot.getViewBox().boundingRect().height() < 380,
                    timeout=5000)
    assert view.plot.viewRange()[0] == [-6, 6]


def test_gradient_norm_axis_spans_whole_decades_with_one_point(qtbot):
    session, snap = trained("spiral", steps=1)
    view = WeightsView()
    qtbot.addWidget(view)
    view.show_snapshot(snap)
    x0, steps, low, high = view._norm_view
    assert x0 == 0 and steps >= 10 and high - low >= 1
    ticks = view.norm_plot.getAxis("left")._tickLevels[0]
    assert [v for v, _ in ticks] == list(range(low, high + 1))


def test_gradient_norms_that_start_late_get_the_whole_axis(qtbot):
    """A run going on after an edit: the counters continue from step 5,000 but the norms start
    again there; the step axis starts with them instead of at 0 (a sliver at the right)."""
    import copy
    _session, snap = trained("spiral", steps=1)
    view = WeightsView()
    qtbot.addWidget(view)
    for step in (5000, 5040, 5200):
        late = copy.copy(snap)
        late.step = step
        view.show_snapshot(late)
    (x0, x1), _ = view.norm_plot.viewRange()
    assert x0 == 5000 and x1 - x0 < 1000


def test_a_long_run_of_late_gradient_norms_is_decimated_over_its_own_axis(qtbot):
    """Norms from step 50,000 on, more points than the plot has columns: each line keeps about
    two points per pixel column it covers on its axis (decimated over 0 .. steps instead, every
    point lay past the end, in the last column, and 2,000 steps were drawn as four points)."""
    import copy
    _session, snap = trained("spiral", steps=1)
    view = WeightsView()
    qtbot.addWidget(view)
    view.resize(400, 700)
    rng = np.random.default_rng(0)
    for step in range(50_000, 52_000):
        late = copy.copy(snap)
        late.step = step
        late.grad_norms = {k: float(v * rng.uniform(0.5, 2.0)) for k, v in snap.grad_norms.items()}
        view.record(late)
    view.show_snapshot(late)
    (x0, x1), _ = view.norm_plot.viewRange()
    covered = view.norm_plot.getViewBox().boundingRect().width() * 1999 / (x1 - x0)
    x, _ = next(iter(view.norm_lines.values())).getData()
    assert x[0] == 50_000 and x[-1] == 51_999
    assert covered < len(x) <= 2 * covered + 8


def test_decision_map_is_100_by_100_drawn_smooth_and_points_keep_a_ring(qtbot):
    session, snap = trained("xor", 20)
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    view.show_snapshot(snap)
    assert view.decision_image().shape == (100, 100)
    assert view.image.smooth                           # blended pixels, not 6-px blocks
    view.discretize.setChecked(True)                   # crisp classes when asked
    assert not view.image.smooth
    assert set(np.unique(view.decision_image())) <= {0.0, 1.0}
    view.discretize.setChecked(False)
    # over a map saturated in their own colour, points keep a ring of another colour: white
    # for training points, dark for test points (filled with their class colour too)
    train_pen = view.train_points.opts["pen"].color()
    assert (train_pen.red(), train_pen.green(), train_pen.blue()) == (255, 255, 255)
    test = view.test_points.data
    assert view.test_points.opts["pen"].color().lightness() < 60
    blue = pg.mkColor(theme.class_rgb(2).astype(int)[1].tolist())
    labels = np.asarray(session.dataset.y_test).reshape(-1)
    assert all(b.color().rgb() == blue.rgb() for b, k in zip(test["brush"], labels) if k == 1)


def test_a_configurations_name_does_not_break_inside_the_key(qtbot):
    """The key under the Curves wraps between configurations, never inside one: at 1280 px
    "mini-batch 32" broke after "mini-" (no-break spaces, and now no-break hyphens)."""
    from PySide6.QtWidgets import QLabel
    from playground.ui.views.run_overlay import Run, RunOverlay
    view = CurvesView()
    qtbot.addWidget(view)
    legend = QLabel()
    overlay = RunOverlay(view.loss_plot, view.score_plot, legend)
    overlay.show([Run("mini-batch 32", (44, 160, 44), [{"epoch": 1, "train_loss": 0.25}])], "epoch")
    assert "mini\u2011batch&nbsp;32&nbsp;0.2500" in legend.text() and "-" not in legend.text()
