"""The Step-through panel: one step of backpropagation at a time, its formula and its numbers.

``show_steps(steps, example)`` takes the list ``labs.backprop_steps.build_steps`` returns; Next and
Back (buttons, or N and B in the window) walk it. The panel writes only what a step holds: the
formula, the selected neuron's formula with its numbers, every array as an aligned table tinted
with the canvas's weight colours, and 3-D arrays (conv feature maps and their gradients) as images
through the image views' CellGrid.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox,
                               QTextBrowser, QVBoxLayout, QWidget)

from ..canvas import style
from ..image_views.cell_grid import Cell, CellGrid, ColorBar
from ..image_views.colours import MAPS, image_planes, symmetric_levels
from .numbers import MAX_COLS, array_html, neuron_lines

KIND_TITLES = {"example": "The example", "forward": "Forward", "loss": "Loss",
               "backward": "Backward", "gradient": "Gradient", "update": "Update"}
#: the roles whose arrays are indexed by the current layer's neurons: the selected one is marked
NEURON_ROLES = ("weight", "bias", "z", "y", "upstream", "gprime", "delta", "grad_w", "grad_b",
                "dw", "new_w")
CANVAS_LEGEND = {
    "backward": "On the canvas: the links into {0} coloured by ∂L/∂W (blue above 0, orange below, "
                "wider for larger |∂L/∂w| relative to the layer's largest), the dots by δ.",
    "gradient": "On the canvas: the links into {0} coloured by ∂L/∂W (blue above 0, orange "
                "below, wider for larger magnitudes).",
    "update": "On the canvas: the links into {0} coloured by ΔW, the change each weight gets: "
              "opposite in sign to its gradient.",
}
#: the canvas's own colours (orange below 0, white at 0, blue above) for the maps, as its blocks'
#: feature-map thumbnails and the numbers' tints use them
MAPS.setdefault("canvas", style.DIVERGING_LUT.copy())
MAX_MAPS = 8        #: feature maps drawn per 3-D array
EXAMPLE_TIP = ("The training example to follow. For 2-D data you can also click a point on the "
               "Output map.")
NEURON_TIP = ("The neuron (or feature map) whose formula is written out with its numbers; its "
              "row is always shown, even in a big layer.")
INTRO = ("<p><b>Step through backpropagation</b> follows one training example through the "
         "network: forward layer by layer, the loss, then δ backward layer by layer with the "
         "chain rule, the gradients ∂L/∂W = δ xᵀ and the update ΔW = −η ∂L/∂W (notes 1.2.3–1.2.4)."
         "</p><p>Pick an example (click a point on the Output map, or choose its number), then "
         "press <b>Next</b> (N) and <b>Back</b> (B).</p>")


class StepperPanel(QWidget):
    """Shows ``steps[index]``; ``example_chosen(int)`` when the example number is changed,
    ``step_shown(step)`` after each step is drawn, ``close_requested`` for Leave."""

    example_chosen = Signal(int)
    step_shown = Signal(object)
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        #: whether the canvas colours the links of this step's layer (set by the mode)
        self.links_coloured = lambda step: False
        #: what the canvas shows of a step where it draws no line per weight (set by the mode)
        self.canvas_legend = lambda step: ""
        self.steps: list = []
        self.index = 0
        self.example = QSpinBox()
        self.example.setToolTip(EXAMPLE_TIP)
        self.example.setKeyboardTracking(False)
        self.neuron = QSpinBox()
        self.neuron.setToolTip(NEURON_TIP)
        self.back = QPushButton("◀ Back")
        self.back.setToolTip("The previous step (B)")
        self.next = QPushButton("Next ▶")
        self.next.setToolTip("The next step (N)")
        self.next.setDefault(True)
        self.leave = QPushButton("Leave")
        self.leave.setToolTip("Leave Step through (training stays paused)")
        self.progress = QLabel()
        self.progress.setObjectName("muted")
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() + 1.5)
        self.title.setFont(title_font)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(Qt.TextSelectableByMouse)
        formula_font = QFont(self.formula.font())
        formula_font.setPointSizeF(formula_font.pointSizeF() + 1.0)
        self.formula.setFont(formula_font)
        self.numbers = QTextBrowser()
        self.numbers.setOpenLinks(False)
        self.numbers.setMinimumHeight(120)
        self.maps = CellGrid(min_cell=24, max_cell=64)   # the numbers keep most of the height
        self.maps.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.maps_bar = ColorBar()
        self._layout()
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.leave.clicked.connect(self.close_requested)
        # numbered from 1, as the Output view's readout says "Training point 110"
        self.example.valueChanged.connect(lambda value: self.example_chosen.emit(value - 1))
        self.neuron.valueChanged.connect(lambda _: self._draw())
        self.show_intro()

    def _layout(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.setSpacing(6)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Example #"))
        pick.addWidget(self.example)
        pick.addSpacing(8)
        pick.addWidget(QLabel("Neuron / map"))
        pick.addWidget(self.neuron)
        pick.addStretch(1)
        pick.addWidget(self.leave)
        box.addLayout(pick)
        walk = QHBoxLayout()
        walk.addWidget(self.back)
        walk.addWidget(self.next)
        walk.addSpacing(8)
        walk.addWidget(self.progress, 1)
        box.addLayout(walk)
        box.addWidget(self.title)
        box.addWidget(self.formula)
        box.addWidget(self.numbers, 1)
        box.addWidget(self.maps)
        box.addWidget(self.maps_bar)

    # -- content ---------------------------------------------------------------------------------
    def show_intro(self, message: str = "") -> None:
        self.steps = []
        self.title.setText("Step through")
        self.formula.setText(message)
        self.numbers.setHtml(INTRO)
        self.progress.setText("")
        self._show_maps([])
        self._buttons()

    def set_example_range(self, count: int, index: int) -> None:
        self.example.blockSignals(True)
        self.example.setRange(1, max(count, 1))
        self.example.setValue(index + 1)
        self.example.blockSignals(False)

    def show_steps(self, steps: list, keep_index: bool = True) -> None:
        """A new walk (a new example, or new weights): stay at the same step if it exists."""
        self.steps = steps
        self.index = min(self.index, len(steps) - 1) if keep_index else 0
        self._draw()

    def go_next(self) -> None:
        if self.steps and self.index < len(self.steps) - 1:
            self.index += 1
            self._draw()

    def go_back(self) -> None:
        if self.steps and self.index > 0:
            self.index -= 1
            self._draw()

    @property
    def step(self):
        return self.steps[self.index] if self.steps else None

    def _buttons(self) -> None:
        self.back.setEnabled(bool(self.steps) and self.index > 0)
        self.next.setEnabled(bool(self.steps) and self.index < len(self.steps) - 1)

    def _neuron_count(self, step) -> int:
        focus = step.arrays.get(step.focus) if step.focus else None
        if focus is None or focus.ndim == 0:
            return 1
        return focus.shape[0]

    def _draw(self) -> None:
        step = self.step
        if step is None:
            return
        self._buttons()
        n = self._neuron_count(step)
        self.neuron.blockSignals(True)
        self.neuron.setRange(0, max(n - 1, 0))
        self.neuron.blockSignals(False)
        self.progress.setText(f"step {self.index + 1} of {len(self.steps)} · "
                              f"{KIND_TITLES.get(step.kind, step.kind)}")
        self.title.setText(step.title)
        self.formula.setText(step.formula)
        self._drawn_columns = self.columns()
        self.step_shown.emit(step)            # the canvas first: the legend says what it shows
        self.numbers.setHtml(self.step_html(step, self.neuron.value()))
        self._show_maps([(name, a) for name, a in step.arrays.items() if a.ndim == 3],
                        step.focus, step.roles.get("input") or ("x" if step.kind == "example"
                                                                 else None))

    def step_html(self, step, neuron: int) -> str:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        muted = style.muted_text(palette).name()
        parts = []
        lines = neuron_lines(step, neuron)
        if lines:
            parts.append('<div style="font-family:monospace;background:%s;padding:4px;">%s</div>'
                         % (style.mix(base, palette.color(QPalette.ColorRole.Highlight), 0.12).name(),
                            "<br>".join(line.replace("<", "&lt;") for line in lines)))
        if step.note:
            parts.append(f'<p style="color:{muted};">{step.note}</p>')
        legend = CANVAS_LEGEND.get(step.kind)
        other = self.canvas_legend(step)
        if other:
            parts.append(f'<p style="color:{muted};">{other}</p>')
        elif legend and step.layer_id and self.links_coloured(step):
            parts.append(f'<p style="color:{muted};">{legend.format(step.layer_id)}</p>')
        mine = {key for role, key in step.roles.items() if role in NEURON_ROLES}
        for name, a in step.arrays.items():
            parts.append(array_html(name, a, base, neuron if name in mine else None,
                                    cols=self.columns()))
        return "".join(parts).replace("palette(mid)", muted)

    def columns(self) -> int:
        """Numbers per table row that fit the panel's width (a cell is up to ~74 px wide)."""
        room = self.numbers.viewport().width() - 70
        return max(4, min(MAX_COLS, room // 74))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.step is not None and self.columns() != getattr(self, "_drawn_columns", None):
            self._draw()

    def _show_maps(self, arrays: list[tuple[str, np.ndarray]], focus: str | None = None,
                   image: str | None = None) -> None:
        """3-D arrays as rows of images (first MAX_MAPS channels), each on its own symmetric
        levels ±max|v| in the canvas's colours (white = 0), the selected map framed; the
        network's input ``image`` in grey. The bar gives the focus array's levels."""
        self.maps.setVisible(bool(arrays))
        self.maps_bar.setVisible(bool(arrays))
        if not arrays:
            self.maps.set_cells([])
            return
        columns = min(max(a.shape[0] for _, a in arrays), MAX_MAPS)
        cells, labels = [], []
        chosen = self.neuron.value()
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        for name, a in arrays:
            grey = name == image and name == "x"
            if grey:
                planes, levels, cmap = image_planes(a[None])
                a = planes
            else:
                levels, cmap = symmetric_levels(a), "canvas"
            labels.append(name)
            for c in range(columns):
                if c < a.shape[0]:
                    cells.append(Cell(a[c], levels, cmap, title=f"{c}",
                                      border=highlight if c == chosen and not grey else None,
                                      tooltip=f"{name}, map {c}: {a[c].min():.3g} … "
                                              f"{a[c].max():.3g}"))
                else:
                    cells.append(Cell(None, border=QColor(0, 0, 0, 0)))   # no frame
        self.maps.set_cells(cells, columns, row_labels=labels)
        self.maps.setFixedHeight(self.maps.height_for(max(self.width() - 12, 200)))
        shown = dict(arrays)
        name = focus if focus in shown else arrays[-1][0]
        if name == image == "x":
            self.maps_bar.set_levels(image_planes(shown[name][None])[1], "x: the input's pixels",
                                     "grey")
        else:
            self.maps_bar.set_levels(symmetric_levels(shown[name]), f"{name} (each row on its own "
                                     f"±max|value|; white = 0)", "canvas")

    def text(self) -> str:
        """What the panel shows now as plain text (title, formula, numbers): for tests."""
        return "\n".join([self.title.text(), self.formula.text(), self.numbers.toPlainText()])
