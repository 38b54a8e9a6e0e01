"""The main window's dock widgets and their default arrangement.

Every panel lives in a movable QDockWidget with a fixed object name, so ``saveState`` /
``restoreState`` remember where the user put it. ``default_layout`` is also what View > Reset
layout restores; it is sized so nothing is clipped at 1280x800. The image views' docks are tabbed
with Output: the window shows either the Output dock (2-D and 1-D data) or them (images).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDockWidget, QFrame, QLabel, QMainWindow, QScrollArea, QTabBar,
                               QWidget)

from .image_docks import IMAGE_DOCKS

#: object name: (title, tooltip)
DOCKS = {
    "data": ("Data", "The dataset, its noise and train/test split, and the input features"),
    "layers": ("Layers", "Drag a layer onto the network to add it"),
    "inspector": ("Inspector", "The selected layer's settings"),
    "lesson": ("Lesson", "The example's text, its section of the notes and the layer table"),
    "training": ("Training", "Loss, optimizer, regularization and learning rule"),
    "output": ("Output", "What the network computes over the input plane, with the data"),
    "curves": ("Curves", "Loss and accuracy per epoch"),
    "weights": ("Weights && gradients", "Weight matrices, histograms and gradient norms"),
    "compare": ("Compare", "Pinned runs and a comparison's configurations: their decision maps "
                           "side by side, and per-layer histograms"),
    **{name: (title, tip) for name, (title, tip, _) in IMAGE_DOCKS.items()},
}
#: the left column's width and the two right columns' (Output or image views | Weights) at 1280
LEFT_WIDTH, OUTPUT_WIDTH, WEIGHTS_WIDTH = 290, 345, 300
#: the network canvas keeps at least this width, or this share of a wider window
CANVAS_WIDTH, CANVAS_SHARE = 350, 0.25
#: the Curves dock's height (two plots over 80 px each, with their axes and the legend row)
CURVES_HEIGHT = 320


def column_widths(window_width: int) -> tuple[int, int, int]:
    """(left, output, weights) widths: 1280 px wide gives the defaults; a wider window gives its
    extra width to the views, not to an empty canvas (the network is zoomed to fit its view)."""
    canvas = max(CANVAS_WIDTH, int(CANVAS_SHARE * window_width))
    views = max(OUTPUT_WIDTH + WEIGHTS_WIDTH, window_width - LEFT_WIDTH - canvas)
    output = round(views * OUTPUT_WIDTH / (OUTPUT_WIDTH + WEIGHTS_WIDTH))
    return LEFT_WIDTH, output, views - output


def row_heights(window_height: int) -> tuple[int, int]:
    """(output or image views, curves) heights: 450 and 270 at 800 px; a taller window gives the
    top views most of the extra height."""
    room = max(720, window_height - 80)
    curves = max(CURVES_HEIGHT, round(0.36 * room))
    return room - curves, curves


#: panels of form fields: they scroll rather than be clipped when their dock is short
SCROLLING = ("data", "inspector", "training")
#: wide views: they scroll sideways rather than force the dock column wider than the window allows
WIDE = tuple(IMAGE_DOCKS)


def scrolling(widget: QWidget, sideways: bool = False) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded if sideways else Qt.ScrollBarAlwaysOff)
    return area


def missing_part(what: str) -> QLabel:
    """Shown in a dock whose part is not in this build, so the layout stays the same."""
    label = QLabel(f"{what} is not available in this build.")
    label.setAlignment(Qt.AlignCenter)
    label.setWordWrap(True)
    return label


def make_docks(window: QMainWindow, widgets: dict[str, QWidget]) -> dict[str, QDockWidget]:
    docks = {}
    for name, (title, tip) in DOCKS.items():
        dock = QDockWidget(title, window)     # "&&": a literal & (one & marks a mnemonic)
        dock.setObjectName(f"dock_{name}")
        dock.setToolTip(tip)
        widget = widgets[name]
        if name in SCROLLING or name in WIDE:
            widget = scrolling(widget, sideways=name in WIDE)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        docks[name] = dock
    return docks


def default_layout(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Left: Data, Training and Inspector tabbed over Layers. Right, two columns: Output (or the
    image views, tabbed with it) over Curves | Weights & gradients. The canvas keeps the middle."""
    for dock in docks.values():
        dock.setFloating(False)
    window.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
    window.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
    window.addDockWidget(Qt.LeftDockWidgetArea, docks["data"])
    window.splitDockWidget(docks["data"], docks["layers"], Qt.Vertical)
    window.tabifyDockWidget(docks["data"], docks["training"])
    window.tabifyDockWidget(docks["training"], docks["inspector"])
    window.tabifyDockWidget(docks["inspector"], docks["lesson"])
    window.addDockWidget(Qt.RightDockWidgetArea, docks["output"])
    window.splitDockWidget(docks["output"], docks["weights"], Qt.Horizontal)
    window.splitDockWidget(docks["output"], docks["curves"], Qt.Vertical)
    previous = docks["output"]
    for name in IMAGE_DOCKS:
        window.tabifyDockWidget(previous, docks[name])
        previous = docks[name]
    if "compare" in docks:
        window.tabifyDockWidget(docks["output"], docks["compare"])
    for dock in docks.values():
        dock.show()
    if "compare" in docks:
        docks["compare"].hide()              # shown once there are runs to compare
    docks["data"].raise_()
    docks["output"].raise_()
    default_sizes(window, docks)


def default_sizes(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The columns' widths and the rows' heights at 1280x800. Call again once the window has its
    size: before that Qt scales the requested sizes down with the window."""
    window.resizeDocks([docks["data"], docks["output"], docks["weights"]],
                       list(column_widths(window.width())), Qt.Horizontal)
    window.resizeDocks([docks["data"], docks["layers"]], [470, 250], Qt.Vertical)
    window.resizeDocks([docks["output"], docks["curves"]], list(row_heights(window.height())),
                       Qt.Vertical)


def arrange_for(window: QMainWindow, docks: dict[str, QDockWidget], images: bool) -> None:
    """Images: the image views need width and height, so they take both right columns from top
    to bottom, Weights & gradients joins them as a tab, and Curves moves under the network canvas
    (the bottom area between the left and right columns). Points: Weights & gradients gets its
    own column again and Curves returns under Output."""
    weights, curves = docks["weights"], docks["curves"]
    left, output, right = column_widths(window.width())
    top, bottom = row_heights(window.height())
    if images:
        if weights not in window.tabifiedDockWidgets(docks["feature_maps"]):
            window.removeDockWidget(weights)
            window.tabifyDockWidget(docks["feature_maps"], weights)
            weights.show()
        if window.dockWidgetArea(curves) != Qt.BottomDockWidgetArea:
            window.removeDockWidget(curves)
            window.addDockWidget(Qt.BottomDockWidgetArea, curves)
            curves.show()
        window.resizeDocks([docks["data"], docks["feature_maps"]], [left, output + right],
                           Qt.Horizontal)
        window.resizeDocks([curves], [bottom], Qt.Vertical)
        return
    window.removeDockWidget(weights)
    window.addDockWidget(Qt.RightDockWidgetArea, weights, Qt.Horizontal)
    weights.show()
    if window.dockWidgetArea(curves) != Qt.RightDockWidgetArea:
        window.removeDockWidget(curves)
        window.splitDockWidget(docks["output"], curves, Qt.Vertical)
        curves.show()
    window.resizeDocks([docks["data"], docks["output"], weights], [left, output, right],
                       Qt.Horizontal)
    window.resizeDocks([docks["output"], curves], [top, bottom], Qt.Vertical)


def hide_stale_tab_bars(window: QMainWindow) -> int:
    """Hide the dock tab bars Qt left behind when tab groups were rearranged or emptied (they
    stay painted where the group used to be). A live bar sits right under a visible dock of its
    group. Call once the layout has settled; returns how many were hidden."""
    docks = [d for d in window.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
    hidden = 0
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window or not bar.isVisible():
            continue
        titles = {bar.tabText(i) for i in range(bar.count())}
        live = any(d.windowTitle() in titles and abs(d.geometry().left() - bar.x()) <= 8
                   and abs(d.geometry().bottom() + 1 - bar.y()) <= 8 for d in docks)
        if not live:
            bar.hide()
            hidden += 1
    return hidden
