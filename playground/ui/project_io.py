"""Files for the main window: Save, Save As, Open, Open Recent, Examples, autosave and recovery, Export.

A file that does not load shows the ``ProjectError`` message in a dialog and changes nothing. While
the project has unsaved changes it is autosaved every minute to ``autosave_path()``; a clean close
removes the autosave, so one found at start means the app did not close cleanly and recovery is
offered.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..project.examples import default_project, list_examples, load_example
from ..project.paths import clear_autosave, load_autosave, recovery_available, write_autosave
from ..project.project import ProjectError
from ..project.projectfile import load_project, save_project
from .download_dialog import ensure_downloaded

FILTER = "Playground projects (*.nnplay)"
AUTOSAVE_MS = 60_000
MAX_RECENT = 8


class ProjectFiles(QObject):
    """The File menu's behaviour for one MainWindow: ``path`` is the file the project came from."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.path: str | None = None
        self.dirty = False
        self._trained_since_save = False
        a = window.actions_
        a["new"].triggered.connect(self.new)
        a["open"].triggered.connect(self.open)
        a["save"].triggered.connect(self.save)
        a["save_as"].triggered.connect(self.save_as)
        a["export_torch"].triggered.connect(self.export_torch)
        a["export_onnx"].triggered.connect(self.export_onnx)
        a["export_history"].triggered.connect(self.export_history)
        a["export_plot"].triggered.connect(self.export_plot)
        window.menus["recent"].aboutToShow.connect(self._fill_recent)
        self._fill_examples()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()

    # -- state ---------------------------------------------------------------------------------
    def mark_dirty(self) -> None:
        if not self.dirty:
            self.dirty = True
            self.set_title()

    def mark_trained(self) -> None:
        if not self._trained_since_save:
            self._trained_since_save = True
            self.mark_dirty()

    def mark_clean(self) -> None:
        self.dirty = self._trained_since_save = False
        self.set_title()

    def set_title(self) -> None:
        name = Path(self.path).stem if self.path else self.window.project.title
        self.window.setWindowTitle(f"{name}{' •' if self.dirty else ''} — Playground")

    def stop(self) -> None:
        self.autosave_timer.stop()

    # -- File menu -----------------------------------------------------------------------------
    def new(self) -> None:
        if self.confirm_close():
            self.path = None
            self.window.load_project(default_project())

    def open(self) -> None:
        if not self.confirm_close():
            return
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", self._folder(), FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Load ``path``; on a bad file show why and change nothing."""
        try:
            project = load_project(path)
        except ProjectError as exc:
            QMessageBox.warning(self.window, "Cannot open the project",
                                f"{Path(path).name} cannot be opened:\n\n{exc}")
            return False
        self.path = str(path)
        self.window.load_project(project)
        self._add_recent(str(path))
        return True

    def save(self) -> bool:
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        suggested = os.path.join(self._folder(), f"{self.window.project.title or 'project'}.nnplay")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save project", suggested, FILTER)
        if not path:
            return False
        if not path.endswith(".nnplay"):
            path += ".nnplay"
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        try:
            save_project(self.window.current_project(), path)
        except ProjectError as exc:
            QMessageBox.warning(self.window, "Cannot save the project", str(exc))
            return False
        self.path = str(path)
        self._add_recent(self.path)
        self.mark_clean()
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def confirm_close(self) -> bool:
        """Ask about unsaved changes; True when it is fine to go on."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes", "Save the changes to this project first?",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        if answer == QMessageBox.Save:
            return self.save()
        if answer == QMessageBox.Discard:
            clear_autosave()
            self.mark_clean()
            return True
        return False

    # -- recent files and examples -------------------------------------------------------------
    def recent(self) -> list[str]:
        value = self.window.settings.value("files/recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [p for p in items if isinstance(p, str) and p]

    def _add_recent(self, path: str) -> None:
        items = [path] + [p for p in self.recent() if p != path]
        self.window.settings.setValue("files/recent", items[:MAX_RECENT])

    def _fill_recent(self) -> None:
        menu = self.window.menus["recent"]
        menu.clear()
        for path in self.recent():
            action = menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.confirm_close() and self.open_path(p))
        if menu.isEmpty():
            menu.addAction("No recent projects").setEnabled(False)

    def _fill_examples(self) -> None:
        menu = self.window.menus["examples"]
        for name, title, description, _kind in list_examples():
            action = menu.addAction(title)
            action.setToolTip(description)
            action.setStatusTip(description)
            action.triggered.connect(lambda _=False, n=name: self.open_example(n))
        menu.setToolTipsVisible(True)

    def open_example(self, name: str) -> None:
        if not self.confirm_close():
            return
        try:
            project = load_example(name)
        except ProjectError as exc:
            QMessageBox.warning(self.window, "Cannot open the example", str(exc))
            return
        recipe = project.dataset
        if not ensure_downloaded(recipe.get("name"), self.window, root=recipe.get("root")):
            return                      # the download was cancelled or failed: keep what is open
        self.path = None
        self.window.load_project(project)

    def _folder(self) -> str:
        return str(Path(self.path).parent) if self.path else str(Path.home())

    # -- autosave and recovery -----------------------------------------------------------------
    def autosave(self) -> bool:
        if not self.dirty:
            return False
        try:
            write_autosave(self.window.current_project())
        except ProjectError as exc:
            self.window.statusBar().showMessage(f"Autosave failed: {exc}", 8000)
            return False
        return True

    def offer_recovery(self) -> bool:
        """At start: if the last session did not close cleanly, offer its autosave."""
        if not recovery_available():
            return False
        answer = QMessageBox.question(
            self.window, "Recover your work?",
            "Playground did not close cleanly last time. Open the project it saved automatically?",
            QMessageBox.Open | QMessageBox.Discard, QMessageBox.Open)
        if answer != QMessageBox.Open:
            clear_autosave()
            return False
        self.window.load_project(load_autosave(), mark_clean=False)
        self.mark_dirty()
        return True

    def closed_cleanly(self) -> None:
        clear_autosave()

    # -- export --------------------------------------------------------------------------------
    def _ask_path(self, title: str, suffix: str, filters: str) -> str | None:
        base = Path(self.path).stem if self.path else (self.window.project.title or "network")
        path, _ = QFileDialog.getSaveFileName(self.window, title,
                                              os.path.join(self._folder(), base + suffix), filters)
        return path or None

    def _export(self, what: str, fn) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - export errors (SpecError, OSError, ImportError)
            QMessageBox.warning(self.window, f"Cannot export {what}", str(exc))
            return
        self.window.statusBar().showMessage(f"Exported {what}", 5000)

    def export_torch(self) -> None:
        path = self._ask_path("Export PyTorch code", ".py", "Python (*.py)")
        if path:
            from ..export import export_pytorch
            project = self.window.current_project()
            self._export("PyTorch code", lambda: export_pytorch(
                project.network, project.weights, path, str(Path(path).with_suffix(".npz")),
                project.training))

    def export_onnx(self) -> None:
        path = self._ask_path("Export ONNX model", ".onnx", "ONNX (*.onnx)")
        if path:
            project = self.window.current_project()

            def write():
                from ..export.onnx_export import export_onnx
                export_onnx(project.network, project.weights, path)
            self._export("the ONNX model", write)

    def export_history(self) -> None:
        path = self._ask_path("Export history", ".csv", "CSV (*.csv)")
        if path:
            from ..export import history_to_csv
            history = self.window.current_project().history
            self._export("the history", lambda: history_to_csv(history, path))

    def export_plot(self) -> None:
        path = self._ask_path("Export the output plot", ".png", "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            self._export("the plot", lambda: export_plot(self.window.parts.output_view.plot, path))


def export_plot(plot_item, path: str) -> None:
    import pyqtgraph.exporters as exporters
    exporter = (exporters.SVGExporter if path.lower().endswith(".svg") else exporters.ImageExporter)
    exporter(plot_item).export(path)
