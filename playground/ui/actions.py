"""The main window's actions, menus and toolbar (File, Edit, View, Train, Help).

Built once by ``build_actions``; the window connects their ``triggered`` signals. Keeping the long
list of actions here keeps main_window.py about behaviour, not construction.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QStyle, QToolBar, QWidget

from .panels.fields import NumberBox
from .widgets.steady_label import make_steady, set_steady

LR_TIP = ("Learning rate lr: the size of each step down the gradient, θ ← θ − lr·∇J(θ). Too small "
          "and training crawls; too large and the loss jumps around or diverges. Applies live.")

SPEED_TIP = "Training steps per second, measured in the training thread."
#: how fast Play trains: slow enough to watch a boundary form, or flat out
SPEEDS = [("Slow: 30/s", 30.0), ("Watch: 300/s", 300.0),
          ("Fast: 3,000/s", 3000.0), ("Flat out", 0.0)]   # steps a second
DEFAULT_SPEED = 1
PACE_TIP = ("How fast Play trains. Small networks can take 100,000+ steps a second, which finishes "
            "the spiral before you see it form: 'Watch' paces the run so each step can be seen; "
            "'Flat out' trains as fast as the engine goes.")

#: name: (text, shortcut, standard icon, tooltip)
SPECS = {
    "new": ("&New", QKeySequence.New, "SP_FileIcon", "Start a new project from the default spiral"),
    "open": ("&Open…", QKeySequence.Open, "SP_DialogOpenButton", "Open a .nnplay project"),
    "save": ("&Save", QKeySequence.Save, "SP_DialogSaveButton",
             "Save the network, data settings, weights and history"),
    "save_as": ("Save &As…", QKeySequence.SaveAs, None, "Save under a new name"),
    "export_torch": ("PyTorch code and weights…", None, None,
                     "A runnable PyTorch script (.py) and its weights (.npz)"),
    "export_onnx": ("ONNX model…", None, None, "The network with its weights as an .onnx file"),
    "export_history": ("History as CSV…", None, None, "Per-epoch loss and metrics as a CSV table"),
    "export_plot": ("Output plot as PNG or SVG…", None, None, "The decision map / fit curve as an image"),
    "quit": ("&Quit", QKeySequence.Quit, None, "Close Playground"),
    "delete": ("&Delete layer", QKeySequence.Delete, None, "Delete the selected layer"),
    "dark": ("&Dark mode", None, None, "Dark colours (remembered)"),
    "reset_layout": ("Reset &layout", None, None, "Put every panel back where it started"),
    "play": ("&Play", "Space", "SP_MediaPlay", "Train continuously (Space)"),
    "step": ("&Step one batch", "S", "SP_MediaSeekForward",
             "One gradient step on one mini-batch (S)"),
    "step_epoch": ("Step one &epoch", "Shift+S", "SP_MediaSkipForward",
                   "Train until the end of the current epoch: every training example seen once"),
    "reset": ("&Reset", "R", "SP_BrowserReload",
              "Re-initialise the weights from the seed and clear the history (R)"),
    "step_through": ("Step &through backprop", "Ctrl+T", "SP_ArrowRight",
                     "Pause and follow one training example through backpropagation, one step "
                     "per click: forward, loss, δ backward, gradients, update (Ctrl+T)"),
    "pin": ("Pin &run", "Ctrl+P", None,
            "Keep this run's curves, decision map and settings as a baseline: train again with "
            "other settings and compare (up to 6; saved with the project)"),
    "unpin_all": ("&Unpin all runs", None, None, "Remove every pinned run"),
    "labs": ("&Labs: optimizer race, moving average, activations", "Ctrl+L", None,
             "Optimizers racing on loss surfaces with their internals, the moving average behind "
             "momentum and Adam, and every activation with its derivative"),
    "about": ("&About Playground", None, None, "Version and credits"),
    "shortcuts": ("&Keyboard shortcuts", "F1", None, "Every shortcut at a glance"),
}


def build_actions(window: QMainWindow) -> dict[str, QAction]:
    style = window.style()
    actions = {}
    for name, (text, shortcut, icon, tip) in SPECS.items():
        action = QAction(text, window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:
            action.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, icon)))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        actions[name] = action
    actions["dark"].setCheckable(True)
    # the toolbar's shorter words (the menus keep the full ones): every control fits at 1280 px
    actions["step"].setIconText("Step batch")
    actions["step_epoch"].setIconText("Step epoch")
    from .widgets.pin_icon import pin_icon
    actions["pin"].setIcon(pin_icon())
    # single-key shortcuts must not fire while the user types in a spin box: window-wide only
    for name in ("play", "step", "reset", "step_epoch"):
        actions[name].setShortcutContext(Qt.WindowShortcut)
    window.addActions(list(actions.values()))
    return actions


def build_menus(window: QMainWindow, actions: dict[str, QAction]) -> dict:
    """The menu bar; ``actions`` must also hold the editor's "undo" and "redo" actions."""
    bar = window.menuBar()
    menus = {"file": bar.addMenu("&File")}
    f = menus["file"]
    f.addActions([actions["new"], actions["open"]])
    menus["recent"] = f.addMenu("Open &Recent")
    menus["examples"] = f.addMenu("E&xamples")
    f.addSeparator()
    f.addActions([actions["save"], actions["save_as"]])
    menus["export"] = f.addMenu("&Export")
    menus["export"].addActions([actions[k] for k in ("export_torch", "export_onnx",
                                                     "export_history", "export_plot")])
    f.addSeparator()
    f.addAction(actions["quit"])
    menus["edit"] = bar.addMenu("&Edit")
    menus["edit"].addActions([actions["undo"], actions["redo"], actions["delete"]])
    menus["view"] = bar.addMenu("&View")
    menus["docks"] = menus["view"].addMenu("&Panels")
    menus["view"].addActions([actions["dark"], actions["reset_layout"]])
    menus["train"] = bar.addMenu("&Train")
    menus["train"].addActions([actions[k] for k in ("play", "step", "step_epoch", "reset")])
    menus["train"].addSeparator()
    menus["train"].addAction(actions["step_through"])
    menus["train"].addSeparator()
    menus["train"].addActions([actions["pin"], actions["unpin_all"]])
    menus["labs"] = bar.addMenu("&Labs")
    menus["labs"].addAction(actions["labs"])
    menus["help"] = bar.addMenu("&Help")
    menus["help"].addActions([actions["shortcuts"], actions["about"]])
    return menus


STEP_TIP = "Mini-batches (gradient steps) so far"


def compact_count(n: float) -> str:
    """A counter in at most seven characters: 123,456 as it is, then 1.23 M, 12.3 M, 123 M
    (the toolbar fits at 1280 pixels however long the run; the tooltip has the exact count)."""
    if n < 1e6:
        return f"{n:,.0f}"
    m = n / 1e6
    return f"{m:.2f} M" if m < 10 else f"{m:.1f} M" if m < 100 else f"{m:,.0f} M"


class TrainToolBar(QToolBar):
    """File and training buttons, the epoch/step/speed counters and the learning-rate box."""

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None):
        super().__init__("Training", parent)
        self.setObjectName("training_toolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        for name in ("new", "open", "save"):
            self.addAction(actions[name])
            # file buttons as icons (their names are in the tooltips and the File menu): the
            # training controls need the width at 1280 px
            self.widgetForAction(actions[name]).setToolButtonStyle(Qt.ToolButtonIconOnly)
        self.addSeparator()
        for name in ("reset", "play", "step", "step_epoch"):
            self.addAction(actions[name])
        self.addAction(actions["step_through"])
        self.widgetForAction(actions["step_through"]).setToolButtonStyle(Qt.ToolButtonIconOnly)
        self.addAction(actions["pin"])
        self.widgetForAction(actions["pin"]).setToolButtonStyle(Qt.ToolButtonIconOnly)
        self.addSeparator()
        self.epoch = self._counter("Epoch", "Passes over the whole training set so far")
        self.step = self._counter("Step", STEP_TIP)
        self.speed = self._counter("Steps/s", SPEED_TIP)
        self.speed.setText("idle")
        self.pace = QComboBox()
        for text, rate in SPEEDS:
            self.pace.addItem(text, rate)
        self.pace.setCurrentIndex(DEFAULT_SPEED)
        self.pace.setToolTip(PACE_TIP)
        self.addWidget(self.pace)
        self.addSeparator()
        label = QLabel("Learning rate")
        label.setToolTip(LR_TIP)
        self.addWidget(label)
        self.lr = NumberBox(1e-6, 10.0)
        self.lr.setToolTip(LR_TIP)
        self.lr.setMinimumWidth(90)
        self.addWidget(self.lr)

    def _counter(self, title: str, tip: str, widest: str = "00,000") -> QLabel:
        label = QLabel(title)
        label.setToolTip(tip)
        value = QLabel("0")
        value.setObjectName("counter")
        value.setToolTip(tip)
        self.addWidget(label)
        self.addWidget(value)
        make_steady(value, widest)
        return value

    def show_counts(self, epoch: int, step: int, steps_per_second: float, running: bool) -> None:
        """While training the measured rate; paused, "idle" (the last rate in the tooltip)."""
        set_steady(self.epoch, f"{epoch:,}")
        set_steady(self.step, compact_count(step))
        self.step.setToolTip(f"{STEP_TIP}: {step:,}")
        if running and steps_per_second > 0:
            set_steady(self.speed, compact_count(steps_per_second))
            self._last_rate = steps_per_second
        else:
            set_steady(self.speed, "…" if running else "idle")   # "…": still measuring
        last = getattr(self, "_last_rate", 0.0)
        self.speed.setToolTip(SPEED_TIP + (f" Last measured: {last:,.0f} steps/s." if last else ""))
