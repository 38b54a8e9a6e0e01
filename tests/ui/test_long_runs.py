"""Long runs stay smooth: curves hold a bounded number of points, keep the extremes, draw at most
two points per pixel column, and a trainer that thins its history is not mistaken for a reset."""
from __future__ import annotations

import numpy as np

from playground.engine import trainer as trainer_module
from playground.engine.snapshot import Snapshot
from playground.ui import theme
from playground.ui.views.curves_view import CurvesView
from playground.ui.views.series import GrowingSeries


def test_a_series_stays_bounded_and_keeps_its_spikes_and_its_ends():
    s = GrowingSeries(limit=1000)
    x = np.arange(100_000, dtype=float)
    y = np.exp(-x / 20_000)
    y[1234] = 50.0                       # an early loss spike
    y[5678] = -3.0                       # and a dip
    for start in range(0, len(x), 997):
        s.extend(x[start:start + 997], y[start:start + 997])
    assert len(s) <= 1000
    assert s.y.max() == 50.0 and s.y.min() == -3.0
    assert s.x[0] == 0 and s.y[0] == y[0] and s.x[-1] == x[-1] and s.y[-1] == y[-1]
    assert np.all(np.diff(s.x) > 0)      # still in order
    np.testing.assert_array_equal(s.y[-400:], y[-400:])   # the newest points exact


def test_decimation_gives_two_points_per_column_with_every_extreme():
    s = GrowingSeries(limit=100_000)
    x = np.linspace(0, 10, 50_000)
    y = np.cos(x)
    y[30_000] = 9.0                     # a one-sample spike and dip, in mid-column
    y[20_001] = -7.0
    s.extend(x, y)
    dx, dy = s.decimated(0.0, 10.0, 300)
    assert len(dx) <= 2 * 301 + 2
    assert dy.max() == 9.0 and dy.min() == -7.0
    assert dx[0] == 0 and dx[-1] == 10 and dy[-1] == y[-1]
    assert np.all(np.diff(dx) >= 0)
    # the decimated line stays within a pixel column's worth of the true curve
    keep = np.abs(np.arange(len(x)) - 25_000) > 6000
    np.testing.assert_allclose(np.interp(x[keep], dx, dy), y[keep], atol=0.11)


def test_curves_survive_a_thinned_history_without_a_reset(qtbot, qapp, monkeypatch):
    theme.apply(qapp, dark=False)
    from playground.engine import Network, TrainData, Trainer, TrainingSettings
    monkeypatch.setattr(trainer_module, "HISTORY_LIMIT", 30)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    net = Network.from_spec({"input_shape": [2], "layers": [
        {"type": "dense", "units": 1, "activation": "sigmoid"}]}, seed=0)
    trainer = Trainer(net, TrainingSettings(batch_size="full"), TrainData(x, y, x, y))
    view = CurvesView()
    qtbot.addWidget(view)
    view.add_batch_losses(np.array([0.5]), np.array([0.7]))
    for _ in range(40):                  # 200 epochs drawn 5 at a time; the history is thinned
        trainer.run(5)
        view.show_snapshot(trainer.snapshot())
    assert len(trainer.history) <= 30
    drawn = view.series["train_loss"]
    np.testing.assert_array_equal(drawn.x, np.arange(1, 201))    # every epoch once, none lost
    assert drawn.y[-1] == trainer.history[-1]["train_loss"]
    assert len(view.series["batch_loss"]) == 1                   # not cleared as by a reset
    view.show_snapshot(Snapshot())                               # a real reset still clears
    assert len(view.series["train_loss"]) == 0
