"""Every example fits the window at 1280x800 and at 1920x1080: no label cut short, no plot squashed
below 80 px, no tick labels on top of each other, no dock that needs a sideways scroll bar.

One window per size opens every offline example in turn (as the Examples menu does), trains a few
steps so the views have content, and then measures what a student would see."""
from __future__ import annotations

import os
import tempfile

import pytest
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import (QAbstractScrollArea, QDockWidget, QLabel, QListView, QScrollArea,
                               QStyleOptionViewItem, QTabBar)

from playground.data.features import LABELS as FEATURE_LABELS
from playground.gallery import (offline_examples, open_window, raise_dock, show_example,
                                tabbed_docks)
from playground.ui.image_views.cell_grid import CellGrid

SIZES = ((1280, 800), (1920, 1080))
MIN_PLOT = 80           #: a plot's inner area, in pixels, in either direction
STEPS = 8


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def window(request, qapp):
    # the window applies the app's theme (style sheet, palette): leave the app as it was found
    sheet, palette = qapp.styleSheet(), qapp.palette()
    with tempfile.TemporaryDirectory(prefix="playground-layout-") as folder:
        w = open_window(request.param, folder)
        expected = os.environ.get("PLAYGROUND_EXPECT_DPR")     # set by test_layout_hidpi
        assert expected is None or w.devicePixelRatioF() == float(expected)
        try:
            yield w
        finally:
            w.files.mark_clean()
            w.close()
            w.shutdown()
            qapp.setStyleSheet(sheet)
            qapp.setPalette(palette)


def seen(widget) -> bool:
    """Shown and at least partly on screen (a tab behind another is moved off, not hidden)."""
    if isinstance(widget, QAbstractScrollArea):        # its viewport covers it
        widget = widget.viewport()
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def visible_docks(window) -> list[QDockWidget]:
    return [d for d in window.docks.values() if seen(d) and not d.isFloating()]


def where(widget) -> str:
    names = []
    while widget is not None:
        if isinstance(widget, QDockWidget):
            names.append(widget.windowTitle().replace("&&", "&"))
            break
        widget = widget.parentWidget()
    return "/".join(names) or "window"


def label_problems(window) -> list[str]:
    problems = []
    for dock in visible_docks(window):
        for label in dock.findChildren(QLabel):
            if not seen(label) or not label.text() or label.wordWrap():
                continue
            text = label.text()
            if "<" in text or label.pixmap() is not None and not label.pixmap().isNull():
                continue                        # rich text wraps or has its own layout
            if "…" in text or "..." in text:
                problems.append(f"{where(label)}: label {text!r} is elided")
            width = label.fontMetrics().horizontalAdvance(text)
            if width > label.contentsRect().width() + 1:
                problems.append(f"{where(label)}: label {text!r} needs {width} px, "
                                f"has {label.contentsRect().width()}")
        for grid in dock.findChildren(CellGrid):
            if seen(grid):
                problems += [f"{where(grid)}: {text!r} is cut off" for text in cut_titles(grid)]
        for view in dock.findChildren(QListView):
            if seen(view) and view.viewMode() == QListView.IconMode:
                problems += icon_label_problems(view)
    return problems


def cut_titles(grid: CellGrid) -> list[str]:
    """The titles and captions painted over and under a grid's images that do not fit the width
    of their cell (one line each; a grid that wraps titles says which ones it cut itself)."""
    if hasattr(grid, "clipped_text"):
        return grid.clipped_text()
    font = QFont(grid.font())
    font.setPointSizeF(max(6.5, grid.font().pointSizeF() - 1.5))
    metrics = QFontMetricsF(font)
    out = []
    for i, cell in enumerate(grid.cells):
        room = grid.image_rect(i).width() + 6
        out += [t for t in (cell.title, cell.caption) if t and metrics.horizontalAdvance(t) > room]
    return out


def icon_label_problems(view: QListView) -> list[str]:
    """An icon view's item titles get the room they need (the delegate's wrapped size) inside
    their grid cell; less and Qt elides them ("f(x) = sawtoot...")."""
    problems = []
    grid, model = view.gridSize(), view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = view.visualRect(index)
        need = view.itemDelegate().sizeHint(option, index)
        has = view.visualRect(index).size()
        if need.width() > has.width() or need.height() > has.height() \
                or has.width() > grid.width() or has.height() > grid.height():
            problems.append(f"{where(view)}: gallery title {index.data()!r} does not fit its cell")
    return problems


def tab_problems(window) -> list[str]:
    """Every dock tab shows its whole title: the tabs' natural widths fit their bar."""
    problems = []
    for bar in window.findChildren(QTabBar):
        if not seen(bar) or bar.count() < 2:
            continue
        need = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        if need > bar.width() + 1:
            titles = ", ".join(bar.tabText(i) for i in range(bar.count()))
            problems.append(f"tabs {titles} need {need} px, have {bar.width()}")
    return problems


def plot_items(window):
    for dock in visible_docks(window):
        for gview in dock.findChildren(pg.GraphicsView):
            if not seen(gview):
                continue
            for item in gview.scene().items():
                # a colour bar is a narrow PlotItem by design: it is not a plot
                if isinstance(item, pg.PlotItem) and not isinstance(item, pg.ColorBarItem) \
                        and item.isVisible():
                    yield dock, gview, item


def on_screen(gview, item) -> bool:
    """Part of ``item`` lies inside the graphics view's visible viewport."""
    rect = gview.mapFromScene(item.sceneBoundingRect()).boundingRect()
    return rect.intersects(gview.viewport().visibleRegion().boundingRect())


def plot_problems(window) -> list[str]:
    problems = []
    for dock, gview, plot in plot_items(window):
        if not on_screen(gview, plot):
            continue
        box = plot.getViewBox().sceneBoundingRect()
        title = plot.titleLabel.text or plot.getAxis("left").labelText or "plot"
        if box.width() < MIN_PLOT or box.height() < MIN_PLOT:
            problems.append(f"{where(dock)}: plot {title!r} is {box.width():.0f}x"
                            f"{box.height():.0f} px")
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            if axis.isVisible() and tick_labels_overlap(axis):
                problems.append(f"{where(dock)}: {name} tick labels of {title!r} overlap")
    return problems


def tick_labels_overlap(axis) -> bool:
    image = QImage(8, 8, QImage.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if not specs:
        return False
    rects = [QRectF(rect) for rect, _flags, text in specs[2] if text]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            if a.intersected(b).width() > 1 and a.intersected(b).height() > 1:
                return True
    return False


def scroll_problems(window) -> list[str]:
    problems = []
    for dock in visible_docks(window):
        widget = dock.widget()
        if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().maximum() > 0:
            problems.append(f"{where(dock)}: needs a sideways scroll bar "
                            f"({widget.horizontalScrollBar().maximum()} px more)")
        for area in dock.findChildren(QAbstractScrollArea):
            if isinstance(area, pg.GraphicsView) and seen(area) \
                    and area.horizontalScrollBar().isVisible():
                problems.append(f"{where(dock)}: a view inside needs a sideways scroll bar")
    return problems


def dock_problems(window) -> list[str]:
    """Each view shows in full: no dock squeezed so its content is cut at the bottom."""
    problems = []
    for dock in visible_docks(window):
        widget = dock.widget()
        inner = widget.widget() if isinstance(widget, QScrollArea) else widget
        if isinstance(widget, QScrollArea):
            continue                        # form panels scroll up and down by design
        need = inner.minimumSizeHint()
        if need.isValid() and need.height() > widget.height() + 1:
            problems.append(f"{where(dock)}: needs {need.height()} px tall, has {widget.height()}")
    return problems


def problems_now(window) -> list[str]:
    return (label_problems(window) + plot_problems(window) + scroll_problems(window)
            + dock_problems(window) + tab_problems(window))


@pytest.mark.parametrize("name", offline_examples())
def test_every_view_fits(window, name):
    """The window as the example opens, then with each dock behind a tab raised in turn."""
    show_example(window, name, STEPS)
    problems = problems_now(window)
    for dock in tabbed_docks(window):
        front = [d for d in window.tabifiedDockWidgets(dock) if seen(d)]
        raise_dock(window, dock, evaluate=False)
        problems += [p for p in problems_now(window) if p not in problems]
        for other in front:
            raise_dock(window, other, evaluate=False)
    size = f"{window.width()}x{window.height()}"
    assert not problems, f"{name} at {size}:\n" + "\n".join(problems)


def test_input_block_shows_one_map_per_feature(window):
    """As in TensorFlow Playground: the Input block on the canvas draws each input feature over
    the plane (X1, X2, X1², ...), and the weights heatmap names the first layer's columns so."""
    show_example(window, "xor", 2)
    scene = window.parts.editor.scene
    block = scene.input_block
    features = window.project.features
    assert block.live_kind == "inputs" and block.n_units == len(features)
    assert list(block.labels) == [FEATURE_LABELS[f] for f in features]
    # each map is a real picture of its feature: X1 runs orange to blue from left to right
    r = block.resolution
    assert r >= 100
    first = block.live_buffer.words.reshape(len(features), r, r)[0]
    assert first[r // 2, 0] != first[r // 2, -1]
    weights = window.parts.weights_view
    weights.layer.setCurrentIndex(0)
    labels = [text for _, text in weights.heat_plot.getAxis("bottom")._tickLevels[0]]
    assert labels == [FEATURE_LABELS[f] for f in features]
