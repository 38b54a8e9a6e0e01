"""The live views draw what the snapshot holds: decision map, fit curve, curves, weights."""
from __future__ import annotations

import numpy as np
import pytest

from playground.project.examples import example_names, load_example
from playground.project.project import ProjectError
from playground.project.session import build_session
from playground.ui import theme
from playground.ui.views.curves_view import CurvesView
from playground.ui.views.output_view import OutputView
from playground.ui.views.series import GrowingSeries
from playground.ui.views.weights_view import WeightsView, nice_range, weight_image


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


def test_weights_view_fixed_symmetric_levels_and_norm_lines(qtbot):
    session, snap = trained("spiral", 20)
    view = WeightsView()
    qtbot.addWidget(view)
    view.show_snapshot(snap)
    assert [view.layer.itemText(i) for i in range(view.layer.count())] == ["dense1", "dense2", "dense3"]
    r = view.range.value()
    assert view.heat.levels[0] == -r and view.heat.levels[1] == r
    session.trainer.run(20)
    view.show_snapshot(session.trainer.snapshot())
    assert view.range.value() == r                      # the levels stay put while weights change
    assert set(view.norm_lines) == {"dense1", "dense2", "dense3"}
    assert len(view.norms["dense1"]) == 2
    view.layer.setCurrentText("dense2")
    np.testing.assert_array_equal(view.heat.image, session.trainer.snapshot().weights["dense2.weight"])


def test_weight_image_tiles_conv_kernels():
    w = np.arange(2 * 3 * 2 * 2, dtype=np.float32).reshape(2, 3, 2, 2)
    img = weight_image(w)
    assert img.shape == (2 * 3 - 1, 3 * 3 - 1)
    np.testing.assert_array_equal(img[3:5, 6:8], w[1, 2])
    assert np.isnan(img[2]).all()
    assert nice_range(0.37) == 0.5 and nice_range(3) == 5 and nice_range(0) == 1.0


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
    steps, low, high = view._norm_view
    assert steps >= 10 and high - low >= 1
    ticks = view.norm_plot.getAxis("left")._tickLevels[0]
    assert [v for v, _ in ticks] == list(range(low, high + 1))
