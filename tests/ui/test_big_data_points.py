"""A big CSV (hundreds of thousands of rows) opens without freezing the window: the output view
draws a fixed sample of MAX_POINTS points per set, with brushes picked from a small palette, and
says that it shows a sample; hovering reads the drawn points only."""
from __future__ import annotations

import numpy as np
import pytest

from playground.project.examples import load_example
from playground.project.session import build_session
from playground.ui.views.output_view import OutputView
from playground.ui.views.sampling import MAX_POINTS, shown_points

ROWS = 60_000


@pytest.fixture(scope="module")
def big_session(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "many.csv"
    rng = np.random.default_rng(1)
    x = rng.uniform(-5, 5, size=(ROWS, 2))
    label = (x[:, 0] * x[:, 1] > 0).astype(int)
    np.savetxt(path, np.column_stack([x, label]), fmt=["%.3f", "%.3f", "%d"], delimiter=",")
    project = load_example("xor")
    project.dataset = {"name": "csv", "path": str(path)}
    return build_session(project)


def test_a_big_data_set_draws_a_bounded_sample_from_a_small_palette(qtbot, big_session):
    ds = big_session.dataset
    assert ds.n_train > MAX_POINTS
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(big_session)
    points = view.train_points.data
    assert len(points) == MAX_POINTS
    # the drawn points are data points, each in the colour of its own class
    drawn = shown_points(ds.n_train)
    np.testing.assert_allclose(points["x"], np.asarray(ds.x_train)[drawn, 0])
    brushes = points["brush"]
    assert len({id(b) for b in brushes}) == 2          # two classes: two brushes, shared
    labels = np.asarray(ds.y_train).reshape(ds.n_train, -1)[drawn, 0].astype(int)
    first = {int(k): brushes[np.flatnonzero(labels == k)[0]] for k in (0, 1)}
    assert all(b is first[int(k)] for b, k in zip(brushes, labels))
    assert f"{MAX_POINTS:,} of the {ds.n_train:,} training points" in view.caption.text()


def test_hovering_a_sampled_data_set_finds_only_drawn_points(qtbot, big_session):
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(big_session)
    ds = big_session.dataset
    drawn = shown_points(ds.n_train)
    x = np.asarray(ds.x_train)
    hidden = np.setdiff1d(np.arange(ds.n_train), drawn)[0]
    from PySide6.QtCore import QPointF
    found = view.readout.nearest(QPointF(*x[hidden]), (1e-4, 1e-4))
    assert found is None or found[1] in set(drawn.tolist())
    target = int(drawn[17])
    assert view.readout.nearest(QPointF(*x[target]), (0.05, 0.05)) == ("training", target)


def test_a_small_data_set_is_drawn_whole(qtbot):
    session = build_session(load_example("xor"))
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    assert len(view.train_points.data) == session.dataset.n_train
    assert "sample" not in view.caption.text()
