"""The UI benchmark's report names every view's draw cost (wall and UI-thread CPU time, draws a
second), so a user of the bench sees which view is dear; the counts come from DrawTimes."""
from __future__ import annotations

import pytest

from playground.bench_ui import _headless_for, _per_second, format_result
from playground.ui.views.draw_times import DrawTimes


def test_draw_times_count_each_view_and_average_per_draw():
    times = DrawTimes()
    for _ in range(3):
        with times.measure("weights"):
            sum(range(20000))          # some CPU work on this thread
    with times.measure("output"):
        pass
    summary = times.summary()
    assert {name: row["draws"] for name, row in summary.items()} == {"output": 1, "weights": 3}
    assert summary["weights"]["cpu_ms"] > 0 and summary["weights"]["wall_ms"] > 0
    times.reset()
    assert times.summary() == {} and times.count("weights") == 0


def test_a_failing_draw_is_still_counted():
    times = DrawTimes()
    with pytest.raises(ZeroDivisionError):
        with times.measure("curves"):
            1 / 0
    assert times.count("curves") == 1


def _result(**extra):
    figures = dict(max_stall_ms=30.0, p99_stall_ms=12.0, refreshes_per_s=26.0, frame_ms_median=6.0,
                   frame_ms_p90=9.0, canvas_frame_ms=5.0, draw_output_ms=2.0, draw_curves_ms=3.0,
                   draw_weights_ms=4.0, cpu_output_ms=1.5, cpu_curves_ms=2.5, cpu_weights_ms=3.5,
                   cpu_canvas_ms=4.5, ui_steps_per_s=20000.0, headless_steps_per_s=25000.0,
                   ratio_window_steps_per_s=21000.0, speed_ratio=0.84, ratio_rounds=[0.8, 0.88], pause_ms=1.0, step_ms=2.0, reset_ms=3.0, rss_start_mb=90.0,
                   rss_end_mb=250.0, rss_ready_mb=240.0, rss_after_run_mb=245.0)
    figures.update(extra)
    return figures


def test_the_report_shows_each_views_live_draw_cost():
    live = _per_second({"weights": {"draws": 80, "wall_ms": 9.0, "cpu_ms": 6.0},
                        "output": {"draws": 250, "wall_ms": 1.2, "cpu_ms": 1.0}}, 10.0)
    assert live["weights"]["per_s"] == 8.0 and live["weights"]["cpu_ms_per_s"] == 48.0
    text = format_result(_result(live_views=live))
    weights = next(line for line in text.splitlines() if line.strip().startswith("weights"))
    assert "6.0 ms CPU" in weights and "9.0 wall" in weights and "8.0/s" in weights
    assert "1.5 / 2.5 / 3.5 ms" in text            # one view at a time, CPU
    assert "4.5 / nan ms" in text                  # the canvas; no image views on 2-D data


def test_the_longest_draw_is_kept_apart_from_the_mean():
    """A single slow draw (the stall a user feels) shows as the view's longest, above its mean."""
    times = DrawTimes()
    for work in (1000, 1000, 1000, 400000):
        with times.measure("curves"):
            sum(range(work))
    row = times.summary()["curves"]
    assert row["max_ms"] > row["wall_ms"] * 2


def test_the_ratio_row_shows_both_rates_and_each_round():
    """The ratio compares the window's rate with the headless one of the same rounds, and each
    round's ratio is shown so a reader sees how much the machine drifted."""
    lines = format_result(_result()).splitlines()
    assert any("21,000 vs 25,000" in line for line in lines)
    assert any(line.startswith("ratio") and "84%" in line for line in lines)
    assert any("each round" in line and "80% 88%" in line for line in lines)


class _CountingTrainer:
    def __init__(self):
        self.steps = 0

    def run(self, n):
        self.steps += n
        sum(range(2000))                 # a little work per call, as a kernel takes


def test_a_headless_slice_reports_the_steps_it_trained():
    trainer = _CountingTrainer()
    steps, seconds = _headless_for(0.05)(trainer)
    assert steps == trainer.steps > 0 and steps % 100 == 0
    assert 0.05 <= seconds < 1.0
