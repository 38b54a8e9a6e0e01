"""A bigger window gives its extra room to the views, not to an empty canvas: resizing (or
maximising, or a saved layout shown on a bigger screen) keeps each dock's share of the window."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from playground.gallery import open_window
from playground.ui.app import scratch_settings
from playground.ui.main_window import MainWindow
from playground.ui.qtapp import wait_until


pytestmark = pytest.mark.usefixtures("app_look")      # conftest: the app's look put back

def settle(turns: int = 6) -> None:
    for _ in range(turns):
        QApplication.processEvents()


def widths(window) -> dict[str, int]:
    d = window.docks
    return {"left": d["layers"].width(), "output": d["output"].width(),
            "weights": d["weights"].width(), "canvas": window.centralWidget().width(),
            "output_h": d["output"].height(), "curves_h": d["curves"].height()}


def close(window) -> None:
    window.files.mark_clean()
    window.close()
    window.shutdown()


def assert_scaled(before, after, ratio_w, ratio_h):
    for name in ("left", "output", "weights", "canvas"):
        assert after[name] == pytest.approx(before[name] * ratio_w, rel=0.06), (name, before, after)
    for name in ("output_h", "curves_h"):
        assert after[name] == pytest.approx(before[name] * ratio_h, rel=0.08), (name, before, after)


def test_resizing_the_window_keeps_every_docks_share(qapp, tmp_path):
    window = open_window((1280, 800), str(tmp_path))
    try:
        settle()
        before = widths(window)
        window.resize(1920, 1080)
        settle()
        after = widths(window)
        # the canvas does not swallow the 640 px: every column grows by half
        assert_scaled(before, after, 1920 / 1280, 1080 / 800)
        window.resize(1280, 800)                 # and back again
        settle()
        assert_scaled(before, widths(window), 1.0, 1.0)
    finally:
        close(window)


def test_a_saved_layout_shown_in_a_bigger_window_is_scaled_to_it(qapp, tmp_path):
    window = open_window((1280, 800), str(tmp_path))
    settle()
    before = widths(window)
    close(window)                               # saves geometry, dock state and the window size
    window = MainWindow(settings=scratch_settings(str(tmp_path)))
    try:
        window.resize(1920, 1080)               # as if the saved geometry met a bigger screen
        window.show()
        assert wait_until(lambda: window.ready)
        settle()
        assert_scaled(before, widths(window), 1920 / 1280, 1080 / 800)
    finally:
        close(window)
