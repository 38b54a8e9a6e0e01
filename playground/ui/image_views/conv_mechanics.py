"""ConvMechanicsView: how a convolution computes its numbers (notes 3.1-3.3 and 4.1.3)."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from .base import ImageViewBase
from .correlation_tab import CorrelationPanel
from .layer_info import CONV_TYPES, LayerInfo
from .sliding_window import SlidingWindowPanel


class ConvMechanicsView(ImageViewBase):
    """Two tabs for the selected conv2d or conv_transpose2d layer and probe image. "Sliding
    window": the kernel's window on the padded input, one output's sum written out with the real
    numbers and checked against the engine, and the output-size formula filled in (for a
    transposed convolution: one input value spreading a scaled kernel, and s(n−1)+f−2p).
    "Cross-correlation vs convolution": the notes' kernels on the probe image both ways."""

    layer_label = "Convolution layer:"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.header.addStretch(1)
        self.tabs = QTabWidget()
        self.sliding = SlidingWindowPanel()
        self.correlation = CorrelationPanel()
        self.tabs.addTab(self.sliding, "Sliding window")
        self.tabs.addTab(self.correlation, "Cross-correlation vs convolution")
        self.tabs.setTabToolTip(0, "One output value of the layer, computed step by step.")
        self.tabs.setTabToolTip(1, "Why the kernel is flipped in a true convolution.")
        self._outer.insertWidget(2, self.tabs, 1)

    def accepts(self, info: LayerInfo) -> bool:
        return info.type in CONV_TYPES

    def structure_changed(self) -> None:
        self.sliding.set_layer(self.layer)

    def redraw(self) -> None:
        waiting = self.waiting_text()
        self.message.setText(waiting or "")
        self.message.setVisible(bool(waiting))
        snap = self.snapshot
        probe = None if snap is None or snap.probe_inputs is None else \
            min(self.probe, len(snap.probe_inputs) - 1)
        self.sliding.show_data(None if waiting else snap, probe or 0)
        self.correlation.set_image(None if probe is None else snap.probe_inputs[probe, 0])
