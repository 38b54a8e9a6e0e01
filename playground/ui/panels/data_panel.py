"""The Data panel: choose a dataset, its noise, split and size, the input features, paint points,
load your own CSV or image folder, and pick the batch size. Choosing a classic whose files are
missing downloads them first (``ensure_downloaded``); only a finished download changes the dataset.

The recipe (``playground.data``'s dict) and the feature list are the model; the main window owns
them and shows them with ``set_dataset``. Every edit goes out as ``dataset_changed(recipe,
features)``; the batch size goes out as ``settings_changed(settings, False)`` (it applies live).
Painted points live in the recipe as ``"painted": [[x1, x2, label], ...]`` (build_session adds them
to the training set).
"""
from __future__ import annotations

import copy
import math
import random

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QAbstractScrollArea, QCheckBox, QComboBox, QDoubleSpinBox,
                               QFileDialog, QGridLayout, QHBoxLayout, QLabel, QMessageBox,
                               QPushButton, QSizePolicy, QSlider, QSpinBox, QToolButton,
                               QVBoxLayout, QWidget)

from playground.data import DatasetError, LoadCancelled, default_recipe, make_dataset
from playground.data.features import FEATURES, LABELS
from playground.engine import TrainingSettings

from ..download_dialog import ensure_downloaded
from ..own_data_loader import OwnDataLoad
from ..theme import ACCENT, CLASS_COLORS
from .fields import align_labels, group
from .gallery import DatasetGallery

BATCH_SIZES: list[int | str] = [1, 2, 5, 10, 20, 50, 100, 256, "full"]
#: the recipe fields that survive switching to another dataset of the same kind
_CARRIED = ("noise", "train_share", "shift", "flip", "scale", "reconstruct")
_PAINT_TIP = ("Paint points: a left click on the output map adds a point of the chosen class, a "
              "right click removes the painted point nearest to it.")


def _swatch(rgb: tuple[int, int, int]) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(*rgb))
    return QIcon(pixmap)


class WheelGuard(QObject):
    """Scrolling the panel with the mouse wheel must not change the data: a slider, spin box or
    combo box takes wheel steps only once it has the focus (a click or Tab gives it)."""

    def guard(self, widget: QWidget) -> None:
        widget.setFocusPolicy(Qt.StrongFocus)
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.Wheel or watched.hasFocus():
            return False
        area = watched.parentWidget()      # the panel's scroll area scrolls instead
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None:
            QCoreApplication.sendEvent(area.verticalScrollBar(), event)
        return True


class DataPanel(QWidget):
    """The dataset gallery and the dataset's settings; shows and edits a recipe the main window
    owns. Signals ``dataset_changed(recipe, features)`` and ``settings_changed(settings, False)``
    (batch size); ``paint_point(x1, x2, button)`` receives clicks on the output map."""

    dataset_changed = Signal(dict, list)
    settings_changed = Signal(object, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._recipe: dict = {"name": "spiral"}
        self._features: list[str] = ["x1", "x2"]
        self._settings = TrainingSettings()
        self._class_names: list[str] = []
        self._task = "classification"
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.gallery = DatasetGallery()
        self.gallery.setMinimumHeight(210)
        self.gallery.dataset_picked.connect(self._on_dataset_picked)
        layout.addWidget(self.gallery)
        # the features first: on 2-D data they are what a student changes most
        layout.addWidget(self._build_features())
        layout.addWidget(self._build_settings())
        layout.addWidget(self._build_images())
        layout.addWidget(self._build_paint())
        layout.addLayout(self._build_loaders())
        layout.addStretch(1)
        align_labels([self._settings_form, self._images_form, self._paint_form])
        self._wheel_guard = WheelGuard(self)
        for box in (self.noise, self.train_share, self.samples, self.batch, self.scale,
                    self.paint_class, self.paint_value):
            self._wheel_guard.guard(box)
        self.set_dataset(self._recipe, self._features)
        self.set_settings(self._settings)

    # -- building --------------------------------------------------------------------------------
    def _slider(self, low: int, high: int, suffix: str, tip: str) -> tuple[QWidget, QSlider]:
        row, slider, value = QWidget(), QSlider(Qt.Horizontal), QLabel()
        slider.setRange(low, high)
        slider.setTracking(False)                 # one change on release, not one per pixel
        slider.setToolTip(tip)
        value.setMinimumWidth(34)
        value.setText(f"{low}{suffix}")
        value.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        slider.sliderMoved.connect(lambda v: value.setText(f"{v}{suffix}"))
        slider.valueChanged.connect(lambda v: value.setText(f"{v}{suffix}"))
        slider.valueChanged.connect(self._on_edited)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(slider, 1)
        box.addWidget(value)
        return row, slider

    def _build_settings(self) -> QWidget:
        box, form = group("Data")
        self._settings_form = form
        row, self.noise = self._slider(0, 50, " %", "Noise: how far points are pushed across the "
                                       "class boundary (2-D) or how grainy the images are.")
        form.addRow("Noise", row)
        row, self.train_share = self._slider(10, 90, " %", "The share of the examples used for "
                                             "training; the rest is the test set.")
        form.addRow("Train share", row)
        self.samples = QSpinBox()
        self.samples.setKeyboardTracking(False)
        self.samples.setToolTip("How many examples to generate (or, for downloaded sets, how many "
                                "training images to use).")
        self.samples.valueChanged.connect(self._on_edited)
        form.addRow("Samples", self.samples)
        self.batch = QComboBox()
        for size in BATCH_SIZES:
            self.batch.addItem(str(size), size)
        self.batch.setToolTip("Examples per step (notes 1.8): 1 is stochastic gradient descent, "
                              "\"full\" is batch gradient descent, anything between is mini-batch.")
        self.batch.currentIndexChanged.connect(self._on_batch_edited)
        form.addRow("Batch size", self.batch)
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setToolTip("Draw a new random sample of the same dataset (a new seed).")
        self.regenerate.clicked.connect(self._on_regenerate)
        form.addRow(self.regenerate)
        self.point_label = QLabel()              # the hovered point's target and output
        self.point_label.setObjectName("muted")
        self.point_label.setWordWrap(True)
        self.point_label.setTextFormat(Qt.RichText)
        self.point_label.setToolTip("The point under the mouse on the decision map: the target "
                                    "the network is trained towards (classes one-hot, notes "
                                    "1.6.2) next to the network's output there.")
        form.addRow(self.point_label)
        form.setRowVisible(self.point_label, False)
        return box

    def show_point_reading(self, reading) -> None:
        """The Output view's reading of the hovered point (a ``PointReading``); hidden when the
        data are not points on the plane."""
        shown = reading is not None and reading.active
        if shown:
            self.point_label.setText(reading.short_text())
        self._settings_form.setRowVisible(self.point_label, shown)

    def _build_images(self) -> QWidget:
        box, form = group("Images")
        self._images_box, self._images_form = box, form
        self.scale = QComboBox()
        self.scale.addItem("[0, 1]", "unit")
        self.scale.addItem("Standardise", "standardize")
        self.scale.setToolTip("Pixels as they are in [0, 1], or standardised per channel to mean 0 "
                              "and standard deviation 1 (using the training set's statistics).")
        self.scale.currentIndexChanged.connect(self._on_edited)
        form.addRow("Pixels", self.scale)
        self.shift = QCheckBox("Random shifts (±2 px)")
        self.flip = QCheckBox("Random flips")
        self.reconstruct = QCheckBox("Autoencoder (y = x)")
        self.shift.setToolTip("Augmentation: every training batch is moved by up to 2 pixels.")
        self.flip.setToolTip("Augmentation: half of every training batch is mirrored.")
        self.reconstruct.setToolTip("The network must give back its input (notes 4.1): the "
                                    "target of every image is the image itself.")
        for check in (self.shift, self.flip, self.reconstruct):
            check.toggled.connect(self._on_edited)
            form.addRow(check)
        return box

    def _build_features(self) -> QWidget:
        box, _ = group("Input features")
        self._features_box = box
        grid = QGridLayout()
        grid.setSpacing(3)
        box.layout().addRow(grid)
        # a chosen feature is drawn in the accent colour, as TensorFlow Playground highlights it
        box.setStyleSheet(f"QToolButton {{ padding: 2px; }} QToolButton:checked {{ background: "
                          f"{ACCENT}; color: white; border: 1px solid {ACCENT}; border-radius: 3px; }}")
        self.feature_buttons: dict[str, QToolButton] = {}
        for i, feature in enumerate(FEATURES):
            button = QToolButton()
            button.setText(LABELS[feature])
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            button.setToolTip(f"Feed {LABELS[feature]} into the network as an input.")
            button.toggled.connect(self._on_feature_toggled)
            self.feature_buttons[feature] = button
            grid.addWidget(button, i // 3, i % 3)
        return box

    def _build_paint(self) -> QWidget:
        box, form = group("Paint points")
        self._paint_box, self._paint_form = box, form
        self.paint = QCheckBox("Paint on the output")
        self.paint.setToolTip(_PAINT_TIP)
        form.addRow(self.paint)
        self.paint_class = QComboBox()
        self.paint_class.setToolTip("The class of the points a left click adds.")
        form.addRow("Class", self.paint_class)
        self.paint_value = QDoubleSpinBox()
        self.paint_value.setRange(-1.0, 1.0)
        self.paint_value.setSingleStep(0.1)
        self.paint_value.setValue(1.0)
        self.paint_value.setToolTip("The target value of the points a left click adds.")
        form.addRow("Target", self.paint_value)
        self.clear_painted = QPushButton("Clear painted")
        self.clear_painted.clicked.connect(self._on_clear_painted)
        form.addRow(self.clear_painted)
        return box

    def _build_loaders(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.load_csv = QPushButton("Load CSV…")
        self.load_csv.setToolTip("Points from a CSV file: x1, x2 (more columns allowed), then a label "
                                 "or a target value.")
        self.load_csv.clicked.connect(self._on_load_csv)
        self.load_folder = QPushButton("Load images…")
        self.load_folder.setToolTip("A folder with one subfolder of PNG/PGM/PPM images per class.")
        self.load_folder.clicked.connect(self._on_load_folder)
        row.addWidget(self.load_csv)
        row.addWidget(self.load_folder)
        return row

    # -- model -> widgets ------------------------------------------------------------------------
    def recipe(self) -> dict:
        return copy.deepcopy(self._recipe)

    def features(self) -> list[str]:
        return list(self._features)

    def set_dataset(self, recipe: dict, features: list[str]) -> None:
        """Show ``recipe`` and ``features`` without emitting anything."""
        self._recipe, self._features = copy.deepcopy(recipe), list(features)
        self._updating = True
        try:
            self._show()
        finally:
            self._updating = False

    def set_settings(self, settings: TrainingSettings) -> None:
        """Show the batch size of ``settings`` (the main window's) without emitting anything."""
        self._settings = TrainingSettings.from_dict(copy.deepcopy(settings.to_dict()))
        self._updating = True
        try:
            size = settings.batch_size
            if self.batch.findData(size) < 0:
                self.batch.addItem(str(size), size)
            self.batch.setCurrentIndex(self.batch.findData(size))
        finally:
            self._updating = False

    def _show(self) -> None:
        r, name = self._recipe, self._recipe.get("name")
        self.gallery.select(name)
        info = self.gallery.infos.get(name)
        kind = info.kind if info else "2d"
        try:
            defaults = default_recipe(name)
        except DatasetError:
            defaults = {}
        full = {**defaults, **r}
        self.noise.setValue(round(100 * float(full.get("noise", 0) or 0)))
        self.train_share.setValue(round(100 * float(full.get("train_share", 0.8) or 0.8)))
        self._show_samples(full)
        form = self._settings_form
        form.setRowVisible(self.noise.parentWidget(), "noise" in full)
        form.setRowVisible(self.train_share.parentWidget(), "train_share" in full)
        form.setRowVisible(self.regenerate, "seed" in full)
        self._images_box.setVisible(kind == "image")
        self.scale.setCurrentIndex(max(self.scale.findData(full.get("scale", "unit")), 0))
        self.shift.setChecked(bool(full.get("shift", 0)))
        self.flip.setChecked(bool(full.get("flip", False)))
        self.reconstruct.setChecked(bool(r.get("reconstruct", False)))
        self._features_box.setVisible(kind == "2d")
        for feature, button in self.feature_buttons.items():
            button.setChecked(feature in self._features)
        self._show_paint(kind)

    def _show_samples(self, full: dict) -> None:
        if "n_train" in full:                     # the classics: 0 means every training image
            self.samples.setRange(0, 60000)
            self.samples.setSpecialValueText("all")
            self.samples.setValue(int(full.get("n_train") or 0))
        else:
            self.samples.setSpecialValueText("")
            self.samples.setRange(20 if "size" in full else 4, 100_000)
            self.samples.setValue(int(full.get("n", 0) or 0))
        self._settings_form.setRowVisible(self.samples, "n" in full or "n_train" in full)

    def _show_paint(self, kind: str) -> None:
        self._paint_box.setVisible(kind in ("2d", "1d"))
        self._class_names, self._task = [], "regression"
        if kind == "2d":
            try:
                clean = {k: v for k, v in self._recipe.items() if k != "painted"
                         and k != "reconstruct"}
                ds = make_dataset({**clean, "n": 4} if "n" in default_recipe(clean["name"]) else clean)
                self._class_names, self._task = list(ds.class_names), ds.task
            except DatasetError:
                pass
        self.paint_class.clear()
        for i, label in enumerate(self._class_names):
            self.paint_class.addItem(_swatch(CLASS_COLORS[i % len(CLASS_COLORS)]), label, i)
        self._paint_form.setRowVisible(self.paint_class, bool(self._class_names))
        self._paint_form.setRowVisible(self.paint_value, kind == "2d" and self._task == "regression")
        self.clear_painted.setEnabled(bool(self._recipe.get("painted")))

    # -- widgets -> model ------------------------------------------------------------------------
    def _emit(self) -> None:
        self.dataset_changed.emit(self.recipe(), self.features())

    def _on_dataset_picked(self, name: str) -> None:
        if self._updating or name == self._recipe.get("name"):
            return
        old_info = self.gallery.infos.get(self._recipe.get("name"))
        new_info = self.gallery.infos[name]
        recipe = {"name": name}
        if old_info and old_info.kind == new_info.kind:
            recipe.update({k: v for k, v in self._recipe.items() if k in _CARRIED
                           and k in {**default_recipe(name), "reconstruct": 0}})
        if name in ("csv", "image_folder"):       # these need a path: ask for one
            self.set_dataset(self._recipe, self._features)
            (self._on_load_csv if name == "csv" else self._on_load_folder)()
            return
        if new_info.needs_download and not ensure_downloaded(name, self):
            self.set_dataset(self._recipe, self._features)     # cancelled or failed: keep the old
            return
        features = (self._features or ["x1", "x2"]) if new_info.kind == "2d" else []
        self.set_dataset(recipe, features)
        self._emit()

    def _on_edited(self, *_args) -> None:
        if self._updating:
            return
        r, full = self._recipe, {**default_recipe(self._recipe["name"]), **self._recipe}
        if "noise" in full:
            r["noise"] = self.noise.value() / 100
        if "train_share" in full:
            r["train_share"] = self.train_share.value() / 100
        if "n_train" in full:
            r["n_train"] = self.samples.value() or None
        elif "n" in full:
            r["n"] = self.samples.value()
        if "scale" in full:
            r["scale"] = self.scale.currentData()
            r["shift"] = 2 if self.shift.isChecked() else 0
            r["flip"] = self.flip.isChecked()
            if self.reconstruct.isChecked():
                r["reconstruct"] = True
            else:
                r.pop("reconstruct", None)
        self._emit()

    def _on_regenerate(self) -> None:
        self._recipe["seed"] = random.randrange(1, 2**31)
        self._emit()

    def _on_batch_edited(self, _index: int) -> None:
        if self._updating:
            return
        settings = TrainingSettings.from_dict(copy.deepcopy(self._settings.to_dict()))
        settings.batch_size = self.batch.currentData()
        self._settings = settings
        self.settings_changed.emit(TrainingSettings.from_dict(settings.to_dict()), False)

    def _on_feature_toggled(self, _checked: bool) -> None:
        if self._updating:
            return
        chosen = [f for f in FEATURES if self.feature_buttons[f].isChecked()]
        if not chosen:                            # a network needs at least one input
            self.set_dataset(self._recipe, self._features)
            return
        self._features = chosen
        self._emit()

    # -- painting --------------------------------------------------------------------------------
    def paint_point(self, x1: float, x2: float, button: int) -> None:
        """A click on the output map at (x1, x2): left (1) adds a point, right (2) removes the
        nearest painted one. Ignored unless painting is on."""
        if not self.paint.isChecked() or not self._paint_box.isVisibleTo(self):
            return
        painted = list(self._recipe.get("painted", []))
        if button == int(Qt.RightButton.value):
            if not painted:
                return
            nearest = min(range(len(painted)), key=lambda i: math.hypot(painted[i][0] - x1,
                                                                        painted[i][1] - x2))
            painted.pop(nearest)
        else:
            painted.append([round(float(x1), 4), round(float(x2), 4), self._paint_label()])
        if painted:
            self._recipe["painted"] = painted
        else:
            self._recipe.pop("painted", None)
        self.clear_painted.setEnabled(bool(painted))
        self._emit()

    def _paint_label(self) -> float | int:
        if self._class_names:
            return int(self.paint_class.currentData() or 0)
        if self._task == "regression" and self.paint_value.isVisibleTo(self):
            return round(self.paint_value.value(), 3)
        return 0

    def _on_clear_painted(self) -> None:
        if self._recipe.pop("painted", None) is not None:
            self.clear_painted.setEnabled(False)
            self._emit()

    # -- the user's own data ---------------------------------------------------------------------
    def _on_load_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load points from a CSV file", "",
                                              "CSV files (*.csv *.txt);;All files (*)")
        if path:
            self._load_own({"name": "csv", "path": path}, "This CSV file cannot be used")

    def _on_load_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Load an image folder (one subfolder per class)")
        if path:
            self._load_own({"name": "image_folder", "path": path}, "This folder cannot be used")

    def _load_own(self, recipe: dict, title: str) -> None:
        """Read the user's data now, off the UI thread with a progress dialog and Cancel, so a bad
        file is reported here, in a message box; the dataset changes only after a good read (the
        data layer keeps what it read, so building the session does not read it again)."""
        if getattr(self, "own_load", None) is not None:
            return                                          # one load at a time

        def done(ds, error) -> None:
            self.own_load = None
            if isinstance(error, LoadCancelled):
                return
            if error is not None:
                QMessageBox.warning(self, title, str(error))
                return
            features = (self._features or ["x1", "x2"]) if ds.kind == "2d" else []
            self.set_dataset(recipe, features)
            self._emit()
        self.own_load = OwnDataLoad(self, recipe, done, loader=make_dataset)
