"""Set a convolution filter by hand (issue 11, section 3): the notes' kernels, and Freeze.

A bar under the Filters view's grids: choose a filter (or click its row of kernels), choose one of
the notes' kernels (section 3.1) and press Load; the filter becomes that kernel on every input
channel, its bias 0, as one undo entry sent to the training worker. Beside it, the probe image,
the filter as loaded and the feature map it makes, from the snapshot that follows (so the result
shows at once, while paused too). "Freeze" keeps the layer out of training ("trainable": false,
saved in the spec, undoable).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from playground.labs.kernels import KERNELS, filter_values

from .cell_grid import Cell, CellGrid
from .colours import image_planes, symmetric_levels

FREEZE_TIP = ("Freeze: training leaves this layer's weights as they are (saved in the network\n"
              "as \"trainable\": false, and honoured by the PyTorch and ONNX exports).\n"
              "Load a kernel, freeze the layer, and the network learns around it.")


class FilterHandsBar(QWidget):
    """The hand controls of a FiltersView (``view``) and the chosen filter's result."""

    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.view = view
        self.hands = None                 # set by the window (``Hands``); None: controls disabled
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Filter"))
        self.filter_combo = QComboBox()
        self.filter_combo.setToolTip("The filter to set by hand (or click its row of kernels).")
        self.filter_combo.currentIndexChanged.connect(lambda _: self.refresh())
        row.addWidget(self.filter_combo)
        row.addWidget(QLabel("kernel"))
        self.kernel_combo = QComboBox()
        self.kernel_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kernel_combo.setMinimumContentsLength(24)
        for name, kernel in KERNELS.items():
            self.kernel_combo.addItem(name)
            self.kernel_combo.setItemData(self.kernel_combo.count() - 1, kernel_tip(name, kernel),
                                          0x03)    # Qt.ToolTipRole
        self.kernel_combo.setToolTip("The kernels of the notes, section 3.1 (Gaussian blur is "
                                     "the one not in the notes).")
        row.addWidget(self.kernel_combo)
        self.load_button = QPushButton("Load")
        self.load_button.setToolTip("Put this kernel into the chosen filter (on every input "
                                    "channel; bias 0). Ctrl+Z undoes it.")
        self.load_button.clicked.connect(self.load)
        row.addWidget(self.load_button)
        row.addStretch(1)
        self.freeze_box = QCheckBox("Freeze layer")
        self.freeze_box.setToolTip(FREEZE_TIP)
        self.freeze_box.toggled.connect(self._on_freeze)
        view.header.addWidget(self.freeze_box)        # beside the layer: it is the layer's
        outer.addLayout(row)
        self.result = CellGrid(min_cell=36, max_cell=110)
        self.result.setToolTip("The probe image, the chosen filter's kernel, and the feature map "
                               "it makes from the image (before the activation it is z = Σ w·x + "
                               "b; shown after it).")
        outer.addWidget(self.result)
        self.setEnabled(False)

    # -- state from the view -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Follow the view's layer and snapshot: the filter list, Freeze, the result cells."""
        view, info = self.view, self.view.layer
        kernels = None
        if info is not None and view.snapshot is not None:
            kernels = view._kernels(view.snapshot.weights)
        usable = kernels is not None and info.type == "conv2d" and self.hands is not None
        self.setEnabled(info is not None and self.hands is not None)
        self.load_button.setEnabled(usable)
        self.kernel_combo.setEnabled(usable)
        count = 0 if kernels is None else len(kernels)
        if self.filter_combo.count() != count:
            keep = self.filter_combo.currentIndex()
            self.filter_combo.blockSignals(True)
            self.filter_combo.clear()
            self.filter_combo.addItems([f"f{f}" for f in range(count)])
            self.filter_combo.setCurrentIndex(min(max(keep, 0), count - 1) if count else -1)
            self.filter_combo.blockSignals(False)
        self.freeze_box.blockSignals(True)
        self.freeze_box.setChecked(info is not None and self.hands is not None
                                   and not self.hands.trainable(info.id))
        self.freeze_box.blockSignals(False)
        self._show_result(kernels)

    def choose_filter(self, f: int) -> None:
        if 0 <= f < self.filter_combo.count():
            self.filter_combo.setCurrentIndex(f)

    def _show_result(self, kernels) -> None:
        view, f = self.view, self.filter_combo.currentIndex()
        snap = view.snapshot
        acts = None if snap is None else snap.probe_activations.get(view.layer_id)
        if kernels is None or f < 0 or snap.probe_inputs is None or acts is None or acts.ndim != 4:
            self.result.set_cells([])
            self.result.setFixedHeight(0)
            return
        p = min(view.probe, len(acts) - 1)
        planes, levels, cmap = image_planes(snap.probe_inputs[p:p + 1])
        kernel = kernels[f].mean(0)
        fmap = acts[p, f]
        cells = [Cell(planes[0], levels, cmap, title=f"probe image {p}"),
                 Cell(kernel, symmetric_levels(kernel), title=f"f{f} kernel",
                      numbers=kernel.size <= 25),
                 Cell(fmap, symmetric_levels(fmap), title=f"f{f} feature map")]
        self.result.set_cells(cells, columns=3)
        self.result.setFixedHeight(self.result.height_for(min(max(self.width(), 240), 400)))

    # -- edits -------------------------------------------------------------------------------------
    def load(self) -> None:
        """Load the chosen kernel into the chosen filter (one undo entry)."""
        view, f = self.view, self.filter_combo.currentIndex()
        name = self.kernel_combo.currentText()
        if self.hands is None or view.snapshot is None or f < 0 or view.layer is None:
            return
        key, bias_key = f"{view.layer_id}.weight", f"{view.layer_id}.bias"
        weight = view.snapshot.weights.get(key)
        if weight is None:
            return
        new = [(key, (f,), filter_values(KERNELS[name], weight.shape))]
        old = [(key, (f,), weight[f].copy())]
        bias = view.snapshot.weights.get(bias_key)
        if bias is not None:
            new.append((bias_key, (f,), 0.0))
            old.append((bias_key, (f,), float(bias[f])))
        self.hands.edit_weights(new, old, f"Load '{name}' into {view.layer_id} filter {f}")

    def _on_freeze(self, frozen: bool) -> None:
        if self.hands is not None and self.view.layer_id is not None:
            self.hands.set_trainable(self.view.layer_id, not frozen)


def kernel_tip(name: str, kernel: np.ndarray) -> str:
    rows = "\n".join("  ".join(f"{v:+.3f}" for v in row) for row in kernel)
    return f"{name}\n{rows}"
