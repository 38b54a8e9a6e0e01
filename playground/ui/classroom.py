"""Classroom mode (issue 11, section 4): presentation mode, hidden controls, one view maximised.

- View > Presentation mode (F11): full screen, fonts, dock titles and plot text scaled by the
  classroom scale (1.25 to 2); F11 again puts everything back.
- Ctrl+1…9 maximise one view: 1 is the network, 2… the open panels in order; the same keys again
  bring the layout back.
- A project's classroom settings (``project.classroom``, see project/classroom.py) hide the
  controls it names and show only the views it names as long as it is open; with
  "presentation": true it opens in presentation mode.
- File > Export for class… writes the project with those settings, chosen in a small dialog.
"""
from __future__ import annotations

import copy
import os

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QDialogButtonBox, QDockWidget,
                               QDoubleSpinBox, QFileDialog, QFormLayout, QGridLayout, QGroupBox,
                               QLabel, QMessageBox, QSizePolicy, QVBoxLayout)

from ..project.classroom import (CONTROLS, DEFAULT_SCALE, MAX_SCALE, MIN_SCALE, VIEWS,
                                 check_classroom, default_classroom)
from ..project.project import ProjectError
from ..project.projectfile import save_project
from .docks import hide_stale_tab_bars

#: toolbar controls: classroom name -> how to find its QAction on the toolbar
TOOLBAR_ACTIONS = {"reset": "reset", "step": "step", "step_epoch": "step_epoch"}
TOOLBAR_WIDGETS = {"pace": "pace", "learning_rate": "lr"}


class ClassroomMode(QObject):
    """Owns the presentation state of one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.settings = default_classroom()
        self.presenting = False
        self.maximised: int | None = None
        self._hidden: list = []            # what the project's settings hid (to show again)
        self._saved_state = None           # the layout before a view was maximised
        self._maxi_hidden: list = []       # the docks maximising hid
        self._saved_font: QFont | None = None
        self._wrapped: list[QLabel] = []   # one-line labels presentation mode lets wrap
        self._was_maximised_window = False
        self._make_actions()

    # -- actions ---------------------------------------------------------------------------------
    def _make_actions(self) -> None:
        w = self.window
        self.present_action = QAction("&Presentation mode", w)
        self.present_action.setCheckable(True)
        self.present_action.setShortcut(QKeySequence("F11"))
        self.present_action.setToolTip("Full screen, larger text and plots (F11 again to leave)")
        self.present_action.toggled.connect(self.set_presenting)
        self.export_action = QAction("Export for &class…", w)
        self.export_action.setToolTip("Save this project for a class: which controls are hidden, "
                                      "which views show, presentation scale")
        self.export_action.triggered.connect(self.export_dialog)
        self.view_actions = []
        for k in range(1, 10):
            action = QAction(f"Maximise view {k}", w)
            action.setShortcut(QKeySequence(f"Ctrl+{k}"))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, n=k: self.maximise(n))
            w.addAction(action)
            self.view_actions.append(action)
        menus = getattr(w, "menus", {})
        if "view" in menus:
            menus["view"].addSeparator()
            menus["view"].addAction(self.present_action)
        if "file" in menus:
            export = menus.get("export")
            menus["file"].insertAction(export.menuAction() if export else None, self.export_action)
        w.addAction(self.present_action)

    # -- a project opens ---------------------------------------------------------------------------
    def open_project(self, project) -> None:
        """Show what the last project's settings hid, then apply this project's."""
        self.restore_layout()
        for thing in self._hidden:
            thing.setVisible(True)
        self._hidden = []
        self.settings = copy.deepcopy(project.classroom) if project.classroom else default_classroom()
        self._apply_hidden()
        if self.settings["presentation"] != self.presenting:
            self.present_action.setChecked(self.settings["presentation"])

    def _things(self, name: str) -> list:
        """The QActions and docks a control name stands for."""
        w = self.window
        if name in TOOLBAR_ACTIONS:
            return [w.actions_[TOOLBAR_ACTIONS[name]]]
        if name in TOOLBAR_WIDGETS:
            widget = getattr(w.toolbar, TOOLBAR_WIDGETS[name])
            found = [a for a in w.toolbar.actions() if w.toolbar.widgetForAction(a) is widget]
            if name == "learning_rate":   # its label goes with it
                index = w.toolbar.actions().index(found[0]) if found else -1
                if index > 0:
                    found.insert(0, w.toolbar.actions()[index - 1])
            return found
        return [w.docks[name]] if name in w.docks else []

    def _apply_hidden(self) -> None:
        names = list(self.settings["hidden"])
        views = self.settings["views"]
        if views is not None:
            names += [v for v in VIEWS if v not in views]
        for name in names:
            for thing in self._things(name):
                if thing.isVisible():
                    thing.setVisible(False)
                    self._hidden.append(thing)

    def hidden_controls(self) -> list[str]:
        """The control names hidden now (for tests and the export dialog)."""
        return [name for name in CONTROLS
                if self._things(name) and not any(t.isVisible() for t in self._things(name))]

    # -- presentation --------------------------------------------------------------------------------
    def set_presenting(self, on: bool) -> None:
        if on == self.presenting:
            return
        w, app = self.window, QApplication.instance()
        self.presenting = on
        if on:
            self._saved_font = QFont(app.font())
            self._was_maximised_window = w.isMaximized()
            font = QFont(self._saved_font)
            font.setPointSizeF(self._saved_font.pointSizeF() * self.settings["scale"])
            set_app_font(app, font)
            scale_dock_titles(w, font)
            scale_plots(w, font)
            self._wrapped = wrap_cut_labels(w)
            self._zoom_canvas(self.settings["scale"])
            w.showFullScreen()
            w.statusBar().showMessage("Presentation mode: F11 to leave, Ctrl+1…9 to maximise a "
                                      "view", 8000)
        else:
            if self._saved_font is not None:
                set_app_font(app, self._saved_font)
                scale_dock_titles(w, None)
                scale_plots(w, self._saved_font)
            for label in self._wrapped:
                label.setWordWrap(False)
            self._wrapped = []
            self._zoom_canvas(1.0)
            if self._was_maximised_window:
                w.showMaximized()
            else:
                w.showNormal()
        if self.present_action.isChecked() != on:
            self.present_action.setChecked(on)

    def _zoom_canvas(self, scale: float) -> None:
        """The network drawn up to ``scale`` times larger where the canvas has room."""
        editor = self.window.parts.editor
        if editor is not None:
            # the blocks' text keeps its size (the blocks do not grow): the zoom enlarges both
            if self._saved_font is not None:
                editor.scene.setFont(self._saved_font)
            editor.view.max_scale = scale
            editor.view._fit()

    # -- one view maximised ----------------------------------------------------------------------------
    def views(self) -> list[tuple[str, object]]:
        """(title, dock or None for the network) in Ctrl+number order."""
        w = self.window
        # the views first (Output, Curves, ...), then the panels
        order = [n for n in VIEWS if n in w.docks] + [n for n in w.docks if n not in VIEWS]
        shown = [(w.docks[n].windowTitle(), w.docks[n]) for n in order if w.docks[n].isVisible()]
        return [("Network", None)] + shown

    def maximise(self, number: int) -> None:
        """Show view ``number`` alone; the same number again restores the layout."""
        if self.maximised == number:
            self.restore_layout()
            return
        self.restore_layout()
        views = self.views()
        if not 1 <= number <= len(views):
            return
        w = self.window
        title, chosen = views[number - 1]
        self._saved_state = w.saveState()
        self._maxi_hidden = [dock for dock in w.docks.values() if dock.isVisible()
                             and dock is not chosen]
        for dock in self._maxi_hidden:
            dock.hide()
        if chosen is not None:
            chosen.show()
            chosen.raise_()
            w.centralWidget().hide()
        self.maximised = number
        w.statusBar().showMessage(f"{title} maximised: Ctrl+{number} again to bring the other "
                                  f"views back", 6000)

    def restore_layout(self) -> None:
        if self.maximised is None:
            return
        w = self.window
        w.centralWidget().show()
        for dock in self._maxi_hidden:
            dock.show()
        if self._saved_state is not None:
            w.restoreState(self._saved_state)
        self.maximised, self._saved_state, self._maxi_hidden = None, None, []
        for delay in (0, 100):          # the tab bars Qt leaves behind, once the layout settles
            QTimer.singleShot(delay, w, lambda: hide_stale_tab_bars(w))

    # -- export for class --------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        dialog = ExportForClassDialog(self.settings, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        files = self.window.files
        base = (self.window.project.title or "lesson") + " (class).nnplay"
        path, _ = QFileDialog.getSaveFileName(self.window, "Export for class",
                                              os.path.join(files._folder(), base),
                                              "Playground project (*.nnplay)")
        if path:
            self.export(path if path.endswith(".nnplay") else path + ".nnplay", dialog.settings())

    def export(self, path: str, settings: dict) -> bool:
        """Write the current project, weights and all, with classroom ``settings`` to ``path``."""
        project = self.window.current_project()
        try:
            project.classroom = check_classroom(settings)
            save_project(project, path)
        except ProjectError as exc:
            QMessageBox.warning(self.window, "Cannot export for class", str(exc))
            return False
        self.window.statusBar().showMessage(f"Exported for class: {path}", 8000)
        return True


def set_app_font(app, font: QFont) -> None:
    """The application's font, reaching every widget: with an application style sheet, widgets
    already shown keep their font until the sheet is applied again."""
    app.setFont(font)
    sheet = app.styleSheet()
    if sheet:
        app.setStyleSheet(sheet)


def scale_dock_titles(root, font: QFont | None) -> None:
    """Dock titles in ``font``; None gives them back Qt's own title font.

    A QDockWidget paints its title in the font it read when it was made whenever its own font
    is the application's, so a larger application font left the titles small. Each dock gets
    ``font`` as its own, with a style strategy that changes nothing on screen (antialiasing is
    on already) but tells it apart from the application's font; its content inherits the same
    font. ``QFont()`` clears that again: the dock follows the application as before."""
    for dock in root.findChildren(QDockWidget):
        if font is None:
            dock.setFont(QFont())
        else:
            own = QFont(font)
            own.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
            dock.setFont(own)


def wrap_cut_labels(root) -> list[QLabel]:
    """Labels that are cut short rather than widen their column (the timeline's readout, the
    Curves legend: horizontal policy Ignored) wrap instead while the text is large; returns
    them, to be cut short again after."""
    labels = [label for label in root.findChildren(QLabel) if not label.wordWrap()
              and label.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored]
    for label in labels:
        label.setWordWrap(True)
    return labels


def scale_plots(root, font: QFont) -> None:
    """The plots' tick labels and axis titles in ``font`` (pyqtgraph does not follow the
    application font)."""
    for view in root.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.AxisItem):
                item.setTickFont(font)
                item.label.setFont(font)
                item._updateWidth() if item.orientation in ("left", "right") else item._updateHeight()


class ExportForClassDialog(QDialog):
    """Checkboxes for the controls to hide and the views to show, the scale, and whether the
    project opens in presentation mode."""

    def __init__(self, settings: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export for class")
        layout = QVBoxLayout(self)
        intro = QLabel("Your students open this project as you set it here: hidden controls stay "
                       "hidden and only the chosen views show.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.hide_boxes = self._group(layout, "Hide these controls", CONTROLS,
                                      set(settings.get("hidden", [])))
        views = settings.get("views")
        self.view_boxes = self._group(layout, "Show these views", VIEWS,
                                      set(VIEWS) if views is None else set(views))
        form = QFormLayout()
        self.scale = QDoubleSpinBox()
        self.scale.setRange(MIN_SCALE, MAX_SCALE)
        self.scale.setSingleStep(0.25)
        self.scale.setSuffix("×")
        self.scale.setValue(settings.get("scale", DEFAULT_SCALE))
        self.scale.setToolTip("How much larger text and plots are in presentation mode")
        form.addRow("Presentation scale", self.scale)
        self.presentation = QCheckBox("Open in presentation mode (full screen, F11 leaves it)")
        self.presentation.setChecked(settings.get("presentation", False))
        form.addRow(self.presentation)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _group(layout, title: str, names: dict, checked: set) -> dict[str, QCheckBox]:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        boxes = {}
        for k, (name, words) in enumerate(names.items()):
            words = words[4:] if words.startswith("the ") else words
            check = QCheckBox((words[0].upper() + words[1:]).replace("&", "&&"))
            check.setChecked(name in checked)
            grid.addWidget(check, k // 2, k % 2)
            boxes[name] = check
        layout.addWidget(box)
        return boxes

    def settings(self) -> dict:
        views = [n for n, box in self.view_boxes.items() if box.isChecked()]
        return {"presentation": self.presentation.isChecked(), "scale": self.scale.value(),
                "hidden": [n for n, box in self.hide_boxes.items() if box.isChecked()],
                "views": None if len(views) == len(VIEWS) else views}
