"""Each lesson shows its own numbers (issue 9 section 4): the Lesson panel with the example's text,
its notes section and the live layer table; multi-label pies; the one-hot target beside the
output; the softmax formula over the layer; 1-D hidden units as curves and the fit as their sum;
pool_unpool opening on the pooling view."""
from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QUndoStack

from playground.engine import Network
from playground.project import lesson_notes
from playground.project.examples import example_names, load_example
from playground.project.document import NetworkDocument
from playground.project.session import build_session
from playground.ui import theme
from playground.ui.canvas import EditorController
from playground.ui.canvas import lesson_live
from playground.ui.image_docks import ImageDocks, front_dock
from playground.ui.panels.lesson_panel import LessonPanel
from playground.ui.views.multilabel import tint
from playground.ui.views.output_view import OutputView

NOTES = """# Chapter 1 Learning Basics

## 1.6 Softmax Regression (Multi-class Output)

### 1.6.1 Multi-Class Classification and Multi-Label Classification

#### Definition 1.7

Multi-Label Classification allows each sample to have 1 or more classes, $y_{i}$ in 0/1.

We update the weights  $\\{w_i\\}_{i=0}^m$  by  $z = x^T W$  to update  $\\{w_i\\}_{i=0}^m$  here.

### 1. A list-like heading that is not a section

Still part of 1.6.1.

## 1.6.2 One-hot Encoding

One-hot encoding assigns a single location.
"""


@pytest.fixture(autouse=True)
def _theme(qapp):
    theme.apply(qapp, dark=False)


@pytest.fixture
def notes_file(tmp_path, monkeypatch):
    path = tmp_path / "deep-learning-notes.md"
    path.write_text(NOTES, encoding="utf-8")
    monkeypatch.setattr(lesson_notes, "notes_candidates", lambda: [path])
    return path


def shown_editor(qtbot, session, labels=None) -> EditorController:
    """The canvas of ``session``'s network, on screen (a hidden canvas draws nothing)."""
    controller = EditorController(NetworkDocument(session.network.to_spec(), input_labels=labels),
                                  QUndoStack())
    qtbot.addWidget(controller.view)
    controller.view.resize(720, 760)
    controller.view.show()
    qtbot.waitExposed(controller.view)
    return controller


def trained(name: str, steps: int = 300):
    session = build_session(load_example(name))
    session.trainer.run(steps)
    return session, session.trainer.snapshot()


# -- the notes and the Lesson panel ----------------------------------------------------------------
def test_a_section_runs_to_the_next_numbered_heading_outside_it():
    heading, body = lesson_notes.section(NOTES, "1.6.1")
    assert heading.startswith("1.6.1 Multi-Class")
    assert "Definition 1.7" in body and "Still part of 1.6.1." in body
    assert "One-hot" not in body
    assert lesson_notes.section(NOTES, "1.6")[1].count("One-hot encoding assigns") == 1
    assert lesson_notes.section(NOTES, "1")[0] == "Chapter 1 Learning Basics"
    assert lesson_notes.section(NOTES, "9.9") is None


def test_every_example_names_a_section_of_the_notes():
    found = lesson_notes.find_notes()
    text = found.read_text(encoding="utf-8") if found else None
    for name in example_names():
        refs = lesson_notes.notes_refs(load_example(name).description)
        assert refs, name
        if text is not None:      # the course notes beside the repository: every section exists
            assert all(lesson_notes.section(text, ref) for ref in refs), (name, refs)
    assert lesson_notes.notes_refs("Notes 1.3.3 and 1.7. No line") == ["1.3.3", "1.7"]
    assert lesson_notes.notes_refs("Notes chapter 3. LeNet") == ["3"]


def test_the_lesson_panel_shows_the_text_and_the_notes_section(qtbot, notes_file):
    panel = LessonPanel()
    qtbot.addWidget(panel)
    project = load_example("multilabel")
    panel.set_project(project)
    text = panel.notes.toPlainText()
    assert "Each point may carry any of three labels" in text        # the example's own text
    assert not text.startswith("Notes 1.6.1")                          # the ref is the link above
    assert "1.6.1 Multi-Class Classification" in text and "Definition 1.7" in text
    # formulas typeset, not LaTeX source, and their _ not turned into emphasis
    assert "in 0/1" in text and "y_{i}" not in text and "{wi}i=0m" in text
    page = panel.notes.toHtml()
    assert "vertical-align:sub" in page and "vertical-align:super" in page
    assert "underline" not in page and "MATHX" not in text
    assert "One-hot encoding assigns" not in text
    assert "§1.6.1" in panel.reference.text() and panel.title.text() == "<b>Multi-label</b>"


def test_every_examples_section_reads_without_latex_source(qtbot):
    """The real notes: each section an example links to shows no ``\\command`` and no $ sign."""
    if lesson_notes.find_notes() is None:
        pytest.skip("the course notes are not beside this checkout")
    panel = LessonPanel()
    qtbot.addWidget(panel)
    seen = 0
    for name in example_names():
        panel.set_project(load_example(name))
        for ref in panel.refs:
            panel.show_section(ref)
            text = panel.notes.toPlainText()
            assert "were not found" not in text and "is not in" not in text, (name, ref)
            assert not re.findall(r"\\[A-Za-z]+", text), (name, ref, re.findall(r"\\[A-Za-z]+", text))
            assert "$" not in text and "MATHX" not in text, (name, ref)
            seen += 1
    assert seen >= 15
    panel.set_project(load_example("logistic_regression"))      # notes 1.5: the sigmoid
    assert "σ" in panel.notes.toPlainText()


def test_without_the_notes_the_panel_says_where_they_go(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(lesson_notes, "notes_candidates",
                        lambda: [tmp_path / "env.md", tmp_path / "notes" / "deep-learning-notes.md"])
    panel = LessonPanel()
    qtbot.addWidget(panel)
    panel.set_project(load_example("xor"))
    text = panel.notes.toPlainText()
    assert "No single straight line separates exclusive-or" in text
    assert "were not found" in text and str(tmp_path / "notes") in text and "1.3.3" in text


def test_the_layer_table_gives_the_notes_numbers_from_the_live_network(qtbot, notes_file):
    panel = LessonPanel()
    qtbot.addWidget(panel)
    project = load_example("notes_cnn_rgb")
    panel.set_project(project)
    assert panel.tabs.currentIndex() == 1                   # this lesson opens on its table
    panel.set_network(build_session(project).network)
    rows = {name: (shape, size, params) for name, shape, size, params in panel.table_rows()}
    assert rows["Input"] == ("3x32x32", "3,072", "0")
    assert rows["conv1"] == ("8x28x28", "6,272", "608")
    assert rows["pool1"] == ("8x14x14", "1,568", "0")
    assert rows["conv2"] == ("16x10x10", "1,600", "3,216")
    assert rows["pool2"] == ("16x5x5", "400", "0")
    assert rows["dense1"] == ("120", "120", "48,120")
    assert rows["dense2"] == ("84", "84", "10,164")
    assert rows["dense3"] == ("10", "10", "850")          # the notes' softmax over 10 classes
    # the table follows an edit: five outputs give 84·5 + 5
    project.network["layers"][-1]["units"] = 5
    panel.set_network(Network.from_spec(project.network))
    assert dict((r[0], r[3]) for r in panel.table_rows())["dense3"] == "425"


# -- multi-label -------------------------------------------------------------------------------------
def test_multilabel_points_show_every_label_and_none(qtbot):
    session, snap = trained("multilabel", 50)
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    view.show_snapshot(snap)
    ml = view.multilabel
    assert ml.active
    y = np.asarray(session.dataset.y_train) > 0.5
    pies = ml.items["train"]
    assert len(pies[0].data) == len(y)                      # every point has its (white) pie
    for k in range(y.shape[1]):                             # slice k only where label k is carried
        xs = pies[1 + k].data["x"]
        assert len(xs) == int(y[:, k].sum())
        np.testing.assert_array_equal(np.sort(xs), np.sort(session.dataset.x_train[y[:, k], 0]))
    unlabelled = int((~y.any(axis=1)).sum())
    assert unlabelled > 0 and int((ml.counts["train"] == 0).sum()) == unlabelled
    # no point is drawn as a one-colour "class" point any more
    assert len(view.train_points.data) == 0
    caption = view.caption.text().replace("&nbsp;", " ")
    assert all(name in caption for name in session.dataset.class_names) and "no label" in caption


def test_the_multilabel_map_is_white_without_labels_and_mixes_overlaps():
    colours = np.array([[245, 147, 34], [8, 119, 189], [76, 175, 80]], np.float32)
    p = np.zeros((3, 1, 4), np.float32)
    p[0, 0, 1] = 1
    p[1, 0, 2] = 1
    p[[0, 1], 0, 3] = 1
    rgb = tint(p, colours)[0].astype(int)
    assert tuple(rgb[0]) == (255, 255, 255)                         # no label: white
    assert rgb[1][0] > rgb[1][2] + 100 and rgb[2][2] > rgb[2][0] + 100   # orange, blue
    assert rgb[3].sum() < min(rgb[1].sum(), rgb[2].sum())          # both: the filters combine


# -- one-hot target beside the output --------------------------------------------------------------
def test_the_hovered_point_shows_its_one_hot_target_and_the_output(qtbot):
    session, snap = trained("spiral3", 100)
    view = OutputView()
    qtbot.addWidget(view)
    view.resize(420, 480)
    view.show()
    qtbot.waitExposed(view)
    view.set_session(session)
    view.show_snapshot(snap)
    ds = session.dataset
    i = int(np.flatnonzero(np.asarray(ds.y_train) == 1)[0])
    x1, x2 = (float(v) for v in ds.x_train[i])
    vb = view.plot.getViewBox()
    view.plot.scene().sigMouseMoved.emit(vb.mapViewToScene(QPointF(x1 + 0.02, x2)))
    assert view.readout.point == ("training", i)
    text = view.readout.text()
    assert "target (one-hot) <b>[0 1 0]</b>" in text
    out = snap.grid_outputs["output"]
    r = out.shape[1]
    col, row = int((x1 + 6) // (12 / r)), int((6 - x2) // (12 / r))
    assert "network output here <b>[" + " ".join(f"{v:.2f}" for v in out[:, row, col]) + "]" in text


# -- softmax formula ---------------------------------------------------------------------------------
def test_the_softmax_formula_normalises_over_the_layer_with_live_numbers(qtbot):
    session, snap = trained("spiral3", 200)
    controller = shown_editor(qtbot, session, ["X1", "X2"])
    controller.show_snapshot(snap)
    out_id = session.network.layers[-1].id
    block = controller.scene.blocks[out_id]
    text = controller.scene._formula(block, 2)
    assert text.startswith("z₃ = ") and "softmax normalises over the layer's 3 units" in text
    assert "y₃ = e^z₃ / Σₖ e^zₖ" in text
    probs = snap.grid_outputs[out_id]
    r = probs.shape[1] // 2
    # the number it ends on is the probability the map shows at that point
    assert text.rstrip().endswith(f"= {probs[2, r, r]:.2f}")


# -- 1-D: hidden units as curves, the fit as their sum -------------------------------------------------
def test_1d_hidden_units_are_drawn_as_curves_over_x(qtbot):
    session, snap = trained("universal_approximation", 400)
    assert lesson_live.is_sweep(snap.grid_inputs)
    controller = shown_editor(qtbot, session)
    controller.show_snapshot(snap)
    hidden = session.network.layers[0].id
    block = controller.scene.blocks[hidden]
    side = lesson_live.CURVE_PIXELS
    assert block.live_kind == "thumbs" and block.resolution == side
    words = block.live_buffer.words.reshape(-1, side, side)
    maps = snap.grid_outputs[hidden]
    _, rows = lesson_live.curve_rows(maps, "tanh", side)
    for unit in range(maps.shape[0]):
        line = words[unit] == lesson_live.LINE_RGB
        for col in range(side):                     # the curve passes through every column
            where = np.flatnonzero(line[:, col])
            assert where.size and np.abs(where - rows[unit, col]).min() <= 1.0, (unit, col)


def test_2d_maps_are_not_taken_for_curves():
    _, snap = trained("spiral", 5)
    assert not lesson_live.is_sweep(snap.grid_inputs)


def test_the_fit_breaks_down_into_the_hidden_units_terms(qtbot):
    session, snap = trained("universal_approximation", 400)
    view = OutputView()
    qtbot.addWidget(view)
    view.set_session(session)
    toggle = view.breakdown.toggle
    assert toggle.isEnabled() and not toggle.isHidden()
    toggle.setChecked(True)
    view.show_snapshot(snap)
    terms, bias = view.breakdown.last_terms, view.breakdown.last_bias
    assert terms.shape[0] == 16
    _, fit = view.curve.getData()
    np.testing.assert_allclose(terms.sum(axis=0) + bias, fit, atol=1e-4)
    assert sum(item.isVisible() for item in view.breakdown.items) == 16
    toggle.setChecked(False)
    assert not any(item.isVisible() for item in view.breakdown.items)
    spiral, spiral_snap = trained("spiral", 5)
    view.set_session(spiral)
    assert toggle.isHidden()


# -- pool_unpool ---------------------------------------------------------------------------------------
def test_pool_unpool_is_no_autoencoder_to_compare_with_pca(qtbot):
    docks = ImageDocks()
    docks.set_session(build_session(load_example("pool_unpool")), None)
    assert docks.reconstruct and not docks.compressing
    assert not docks.wanted()["autoencoder"] and front_dock(docks) == "pooling"
    docks.set_session(build_session(load_example("dense_autoencoder")), None)
    assert docks.wanted()["autoencoder"] and front_dock(docks) == "autoencoder"
