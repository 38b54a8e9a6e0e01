"""The optimizer race tab (issue 10 section 1): surface and settings, play/pause/step/reset and
speed, the scoreboard, adding racers, and the selected racer's internals."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QMessageBox, QPushButton, QSlider, QSplitter, QTextBrowser,
                               QVBoxLayout, QWidget)

from playground.labs import SURFACES

from .internals_text import internals_html
from .network_plane import GRID, NetworkPlane
from .race_model import KINDS, RaceModel
from .race_plot import RacePlot
from .race_table import RaceTable

#: (text, steps per second)
SPEEDS = [("1 step/s", 1), ("5 steps/s", 5), ("20 steps/s", 20), ("60 steps/s", 60),
          ("240 steps/s", 240), ("1,000 steps/s", 1000)]
DEFAULT_SPEED = 3
FRAME_MS = 16                   #: the drawing clock: about 60 frames a second
TEXT_EVERY = 4                  #: the table and the internals redraw every 4th frame (15 a second)
NETWORK = "network"             #: the surface combo's entry for the live network's plane
NETWORK_HELP = ("The network in the main window: its training loss on a plane through its weights "
                "now, spanned by two random filter-normalised directions (Li et al. 2018), with "
                "the run's weights since the Labs opened projected onto it (red). Computed by the "
                "training worker, never on this window's thread.")
KIND_NAMES = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam",
              "amsgrad": "AMSGrad"}


class RaceTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = RaceModel("rosenbrock")
        self.network = NetworkPlane(self)
        self.network.ready.connect(self._on_plane)
        self.network.failed.connect(self._on_plane_failed)
        self.plot = RacePlot()
        self.table = RaceTable()
        self.internals = QTextBrowser()
        self.internals.setOpenLinks(False)
        self.internals.setToolTip("The selected racer's last step, with chapter 2's formulas "
                                  "filled in with its numbers")
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._on_frame)
        self._debt = 0.0
        self._last = 0.0
        self._frame = 0
        self._frame_times: list[float] = []
        self._build()
        self._on_surface_changed()
        self.table.selectRow(3)          # Adam: the richest internals

    # -- layout -------------------------------------------------------------------------------------
    def _build(self) -> None:
        left = QSplitter(Qt.Vertical)
        left.addWidget(self.plot)
        left.addWidget(self.internals)
        # the internals need about 15 lines; every other pixel of height goes to the surface
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 0)
        left.setSizes([2000, 250])
        right = QWidget()
        col = QVBoxLayout(right)
        col.setContentsMargins(4, 0, 0, 0)
        col.addWidget(self._surface_box())
        col.addWidget(self._run_box())
        col.addWidget(self.table, 1)
        col.addWidget(self._add_box())
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        right.setMinimumWidth(340)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.plot.start_clicked.connect(self._on_start_clicked)

    def _surface_box(self) -> QGroupBox:
        box = QGroupBox("Surface")
        form = QFormLayout(box)
        self.surface_combo = QComboBox()
        for name, s in SURFACES.items():
            self.surface_combo.addItem(s.title, name)
            self.surface_combo.setItemData(self.surface_combo.count() - 1, s.help, Qt.ToolTipRole)
        self.surface_combo.addItem("This network (live training loss)", NETWORK)
        self.surface_combo.setItemData(self.surface_combo.count() - 1, NETWORK_HELP, Qt.ToolTipRole)
        self.surface_combo.setCurrentIndex(list(SURFACES).index(self.model.surface_name))
        self.surface_combo.currentIndexChanged.connect(self._on_surface_changed)
        form.addRow("Loss", self.surface_combo)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        form.addRow(self.formula)
        self.param_label = QLabel()
        self.param = QSlider(Qt.Horizontal)
        self.param.setRange(0, 100)
        self.param.valueChanged.connect(self._on_param_moved)
        form.addRow(self.param_label, self.param)
        self.recompute = QPushButton("Recompute the plane")
        self.recompute.setToolTip(f"The {GRID}×{GRID} losses again, through the weights now")
        self.recompute.clicked.connect(self._compute_plane)
        form.addRow(self.recompute)
        return box

    def _run_box(self) -> QGroupBox:
        box = QGroupBox("Race")
        row = QHBoxLayout()
        self.play = QPushButton("Play")
        self.play.setToolTip("Step every racer together, continuously (Space)")
        self.play.setShortcut("Space")
        self.play.clicked.connect(self.toggle_play)
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("One step of every racer")
        self.step_button.clicked.connect(lambda: self.advance(1))
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Every racer back to the start, its optimizer state cleared")
        self.reset_button.clicked.connect(self.reset)
        for b in (self.play, self.step_button, self.reset_button):
            row.addWidget(b)
        form = QFormLayout()
        form.addRow(row)
        self.speed = QComboBox()
        for text, rate in SPEEDS:
            self.speed.addItem(text, rate)
        self.speed.setCurrentIndex(DEFAULT_SPEED)
        self.speed.setToolTip("How many steps each racer takes per second while playing")
        form.addRow("Speed", self.speed)
        self.tol = QDoubleSpinBox()
        self.tol.setDecimals(6)
        self.tol.setRange(1e-6, 10.0)
        self.tol.setValue(1e-3)
        self.tol.setSingleStep(1e-3)
        self.tol.setToolTip("A racer has arrived when J − J* is below this")
        self.tol.valueChanged.connect(lambda _: self._refresh_text())
        form.addRow("Tolerance", self.tol)
        self.status = QLabel()
        self.status.setToolTip("Steps so far, and the frames drawn per second while playing")
        form.addRow(self.status)
        box.setLayout(form)
        return box

    def _add_box(self) -> QGroupBox:
        box = QGroupBox("Add a racer")
        row = QHBoxLayout(box)
        self.add_kind = QComboBox()
        for kind in KINDS:
            self.add_kind.addItem(KIND_NAMES[kind], kind)
        self.add_kind.setCurrentIndex(KINDS.index("adam"))
        self.add_lr = QDoubleSpinBox()
        self.add_lr.setDecimals(5)
        self.add_lr.setRange(1e-5, 10.0)
        self.add_lr.setValue(0.01)
        self.add_lr.setSingleStep(0.01)
        self.add_lr.setToolTip("The copy's learning rate, e.g. Adam lr 0.01 against the built-in one")
        add = QPushButton("Add")
        add.setToolTip("Add this optimizer as another racer (its own colour)")
        add.clicked.connect(self._on_add)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected racer")
        self.remove_button.clicked.connect(self._on_remove)
        row.addWidget(self.add_kind, 1)
        row.addWidget(QLabel("lr"))
        row.addWidget(self.add_lr, 1)
        row.addWidget(add)
        row.addWidget(self.remove_button)
        return box

    # -- running --------------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def toggle_play(self) -> None:
        if self.playing:
            self.timer.stop()
            self.play.setText("Play")
        else:
            self._last = time.perf_counter()
            self._debt = 0.0
            self._frame_times.clear()
            self.timer.start()
            self.play.setText("Pause")
        self._refresh_text()

    def stop(self) -> None:
        if self.playing:
            self.toggle_play()

    def advance(self, n: int) -> None:
        """``n`` steps of every racer, then draw."""
        if n > 0:
            self.model.step(n)
        self.plot.update_racers(self.model.racers)
        self.plot.show_arrow(self._selected_racer())
        self._refresh_text()

    def _on_frame(self) -> None:
        now = time.perf_counter()
        self._debt += (now - self._last) * float(self.speed.currentData())
        self._last = now
        n = min(int(self._debt), 2000)
        self._debt -= n
        self._frame_times.append(now)
        if len(self._frame_times) > 90:
            del self._frame_times[0]
        self.frame(n)
        if all(r.stopped for r in self.model.racers):
            self.stop()

    def frame(self, n: int) -> None:
        """One frame of play: ``n`` steps of every racer, the paths redrawn, and every
        ``TEXT_EVERY``-th frame the table and the internals."""
        if n:
            self.model.step(n)
            self.plot.update_racers(self.model.racers)
            self.plot.show_arrow(self._selected_racer())
        self._frame += 1
        if self._frame % TEXT_EVERY == 0:
            self._refresh_text()

    @property
    def frames_per_second(self) -> float:
        t = self._frame_times
        return (len(t) - 1) / (t[-1] - t[0]) if len(t) > 2 and t[-1] > t[0] else 0.0

    def reset(self) -> None:
        self.model.restart()
        self._redraw_racers()

    def _redraw_racers(self) -> None:
        self.plot.set_racers(self.model.racers, [e.color for e in self.model.entries],
                             self.model.start)
        self.table.rebuild(self.model)
        self.plot.show_arrow(self._selected_racer())
        self._refresh_text()

    def _refresh_text(self) -> None:
        self.table.refresh(self.model, self.tol.value())
        racer = self._selected_racer()
        row = self.table.currentRow()
        color = self.model.entries[row].color if racer is not None else "#000"
        self.internals.setHtml(internals_html(racer, color))
        fps = f", {self.frames_per_second:.0f} frames/s" if self.playing else ""
        self.status.setText(f"Step {self.model.steps:,}{fps}")

    def _selected_racer(self):
        row = self.table.currentRow()
        return self.model.racers[row] if 0 <= row < len(self.model.racers) else None

    # -- handlers ---------------------------------------------------------------------------------------
    def set_network_window(self, window) -> None:
        """The main window whose network 'This network' draws."""
        self.network.set_window(window)

    @property
    def network_mode(self) -> bool:
        return self.surface_combo.currentData() == NETWORK

    def _network_controls(self, on: bool) -> None:
        for w in (self.play, self.step_button, self.reset_button, self.speed, self.tol,
                  self.table, self.internals, self.add_kind, self.add_lr, self.remove_button):
            w.setEnabled(not on)
        self.recompute.setVisible(on)

    def _compute_plane(self) -> None:
        if not self.network.available:
            self.formula.setText("<b>No network:</b> open the Labs from the main window "
                                 "(Labs menu or Ctrl+L) to see its loss here.")
            return
        if self.network.compute():
            self.formula.setText(f"<b>Computing the {GRID}×{GRID} plane in the training "
                                 "worker…</b>")
            self.recompute.setEnabled(False)

    def _on_plane(self, plane) -> None:
        self.recompute.setEnabled(True)
        if not self.network_mode:
            return
        self.plot.show_plane(plane)
        low = float(plane.losses[len(plane.betas) // 2, len(plane.alphas) // 2])
        self.formula.setText(f"<b>J(w + a·d₁ + b·d₂)</b>, the training loss; at the origin (the "
                             f"weights now) J = {low:.4g}. {len(plane.trajectory)} recorded "
                             f"weights of the run in red.<br><span>{NETWORK_HELP}</span>")

    def _on_plane_failed(self, text: str) -> None:
        self.recompute.setEnabled(True)
        self.formula.setText(f"<b>No plane:</b> {text}")

    def _on_surface_changed(self, *_):
        name = self.surface_combo.currentData()
        self._network_controls(name == NETWORK)
        if name == NETWORK:
            self.stop()
            self.param.setVisible(False)
            self.param_label.setVisible(False)
            self.plot.show_arrow(None)
            self._compute_plane()
            return
        self.plot.hide_plane()
        self.model.set_surface(name)
        s = self.model.surface
        self.formula.setText(f"<b>{s.formula}</b><br><span>{s.help}</span>")
        self._show_param()
        self.plot.set_surface(s)
        self._redraw_racers()

    def _show_param(self) -> None:
        s = self.model.surface
        has = bool(s.param_ranges)
        self.param.setVisible(has)
        self.param_label.setVisible(has)
        if has:
            key, (low, high, label) = next(iter(s.param_ranges.items()))
            self.param.blockSignals(True)
            self.param.setValue(round(100 * (s.params[key] - low) / (high - low)))
            self.param.blockSignals(False)
            self.param_label.setText(f"{label.split(' ', 1)[1][0].upper()}{label.split(' ', 1)[1][1:]}"
                                     f" = {s.params[key]:g}")
            self.param.setToolTip(label)

    def _on_param_moved(self, value: int) -> None:
        s = self.model.surface
        key, (low, high, _) = next(iter(s.param_ranges.items()))
        self.model.set_param(key, round(low + (high - low) * value / 100, 3))
        self._show_param()
        self.plot.set_surface(self.model.surface)
        self._redraw_racers()

    def _on_start_clicked(self, x: float, y: float) -> None:
        if self.network_mode:
            return
        self.model.set_start(x, y)
        self._redraw_racers()

    def _on_selection(self) -> None:
        self.plot.show_arrow(self._selected_racer())
        self.remove_button.setEnabled(self._selected_racer() is not None)
        self._refresh_text()

    def _on_add(self) -> None:
        try:
            self.model.add(self.add_kind.currentData(), self.add_lr.value())
        except ValueError as exc:
            QMessageBox.information(self, "Add a racer", str(exc))
            return
        self._redraw_racers()
        self.table.selectRow(len(self.model.entries) - 1)

    def _on_remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.model.entries):
            self.model.remove(row)
            self._redraw_racers()
