"""The main window's dock widgets and their default arrangement.

Every panel lives in a movable QDockWidget with a fixed object name, so ``saveState`` /
``restoreState`` remember where the user put it. ``default_layout`` is also what View > Reset
layout restores; it is sized so nothing is clipped at 1280x800.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QLabel, QMainWindow, QScrollArea, QWidget

#: object name: (title, tooltip)
DOCKS = {
    "data": ("Data", "The dataset, its noise and train/test split, and the input features"),
    "layers": ("Layers", "Drag a layer onto the network to add it"),
    "inspector": ("Inspector", "The selected layer's settings"),
    "training": ("Training", "Loss, optimizer, regularization and learning rule"),
    "output": ("Output", "What the network computes over the input plane, with the data"),
    "curves": ("Curves", "Loss and accuracy per epoch"),
    "weights": ("Weights && gradients", "Weight matrices, histograms and gradient norms"),
}


#: panels of form fields: they scroll rather than be clipped when their dock is short
SCROLLING = ("data", "inspector", "training")


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
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
        if name in SCROLLING:
            widget = scrolling(widget)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        docks[name] = dock
    return docks


def default_layout(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Left: Data over Layers. Right, two columns: Output over Training | Inspector, and Curves
    over Weights & gradients. The canvas keeps the middle; sized for 1280x800."""
    for dock in docks.values():
        dock.setFloating(False)
        dock.show()
    window.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
    window.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
    window.addDockWidget(Qt.LeftDockWidgetArea, docks["data"])
    window.splitDockWidget(docks["data"], docks["layers"], Qt.Vertical)
    window.addDockWidget(Qt.RightDockWidgetArea, docks["output"])
    window.splitDockWidget(docks["output"], docks["curves"], Qt.Horizontal)
    window.splitDockWidget(docks["output"], docks["training"], Qt.Vertical)
    window.tabifyDockWidget(docks["training"], docks["inspector"])
    window.splitDockWidget(docks["curves"], docks["weights"], Qt.Vertical)
    docks["training"].raise_()
    window.resizeDocks([docks["data"], docks["output"], docks["curves"]], [275, 360, 330],
                       Qt.Horizontal)
    window.resizeDocks([docks["data"], docks["layers"]], [420, 300], Qt.Vertical)
    window.resizeDocks([docks["output"], docks["training"]], [450, 270], Qt.Vertical)
    window.resizeDocks([docks["curves"], docks["weights"]], [300, 420], Qt.Vertical)
