"""The one-hot target of the hovered point beside the network's output, in the Inspector of the
output layer and in the Data panel too (issue 9 section 4): the same numbers the row under the
decision map shows, following the mouse and the training."""
from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from playground.gallery import open_window, show_example
from playground.project.examples import load_example
from playground.ui.app import train_synchronously, wait_until


@pytest.fixture
def window(qapp, tmp_path):
    sheet, palette = qapp.styleSheet(), qapp.palette()
    w = open_window((1280, 800), str(tmp_path))
    try:
        yield w
    finally:
        w.files.mark_clean()
        w.close()
        w.shutdown()
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


def hover(view, x1: float, x2: float) -> None:
    vb = view.plot.getViewBox()
    view.plot.scene().sigMouseMoved.emit(vb.mapViewToScene(QPointF(x1 + 0.02, x2)))


def output_there(window, x1: float, x2: float) -> str:
    """The output layer's values at the map pixel under (x1, x2), as the views write them."""
    out_id = window.session.network.layers[-1].id
    out = window.parts._last_snap.grid_outputs[out_id]
    r = out.shape[1]
    col, row = int((x1 + 6) // (12 / r)), int((6 - x2) // (12 / r))
    return "[" + " ".join(f"{v:.2f}" for v in out[:, row, col]) + "]"


def bold_after(text: str, words: str) -> str:
    # a narrow panel breaks neither "one-hot" nor a vector: non-breaking hyphen and spaces
    text = text.replace("\u2011", "-").replace("&nbsp;", " ")
    match = re.search(re.escape(words) + r" <b>(\[[^\]]*\])</b>", text)
    assert match, f"{words!r} not in {text!r}"
    return match.group(1)


def test_the_inspector_and_data_panel_show_the_hovered_points_one_hot_and_output(window):
    show_example(window, "spiral3", steps=6)
    parts = window.parts
    view, inspector, data = parts.output_view, parts.editor.inspector, parts.data_panel
    ds = window.session.dataset
    assert len(ds.class_names) == 3
    out_id = window.session.network.layers[-1].id

    # the output layer selected, no point hovered yet: the Inspector says what to do
    parts.editor.scene.select_layer(out_id)
    assert not inspector.hovered.isHidden()
    assert "hover a point on the decision map" in inspector.hovered.text()

    i = int(np.flatnonzero(np.asarray(ds.y_train) == 1)[0])        # a point of the 2nd class
    x1, x2 = (float(v) for v in ds.x_train[i])
    hover(view, x1, x2)
    assert view.readout.point == ("training", i)
    shown_under_map = bold_after(view.readout.text(), "network output here")
    assert shown_under_map == output_there(window, x1, x2)
    for text in (inspector.hovered.text(), data.point_label.text()):
        assert bold_after(text, "target (one-hot)") == "[0 1 0]"
        assert bold_after(text, "output") == shown_under_map
    assert not data.point_label.isHidden()

    # another point, of the 3rd class: both follow the mouse
    j = int(np.flatnonzero(np.asarray(ds.y_train) == 2)[0])
    y1, y2 = (float(v) for v in ds.x_train[j])
    hover(view, y1, y2)
    for text in (inspector.hovered.text(), data.point_label.text()):
        assert bold_after(text, "target (one-hot)") == "[0 0 1]"
        assert bold_after(text, "output") == output_there(window, y1, y2)

    # training on: the output numbers follow the new map
    before = output_there(window, y1, y2)
    train_synchronously(window, 30)
    after = output_there(window, y1, y2)
    assert after != before
    assert bold_after(inspector.hovered.text(), "output") == after
    assert bold_after(data.point_label.text(), "output") == after

    # a hidden layer is not the output: its Inspector has no such section
    parts.editor.scene.select_layer(window.session.network.layers[0].id)
    assert inspector.hovered.isHidden()
    parts.editor.scene.select_layer(out_id)
    assert not inspector.hovered.isHidden()


def test_one_dimensional_data_has_no_hovered_point_row_in_the_data_panel(window):
    show_example(window, "spiral3", steps=2)
    data = window.parts.data_panel
    assert not data.point_label.isHidden()
    window.load_project(load_example("universal_approximation"))
    wait_until(lambda: window.ready, timeout=60)
    assert data.point_label.isHidden()
    window.parts.editor.scene.select_layer(window.session.network.layers[-1].id)
    assert window.parts.editor.inspector.hovered.isHidden()
