"""Files for the main window: Save, Save As, Open, Open Recent, Examples, autosave and recovery, Export.

Opening is all or nothing: the file is read, its dataset offered for download if it is missing
(never downloaded unasked), and the whole session built off the UI thread (``session_loader``);
only then are the path, the project, the canvas and the worker's trainer swapped in one go. A file
that does not load or build shows why in a dialog and changes nothing.

While the project has unsaved changes it is autosaved every minute to this window's own file
(``paths.Autosave``: other windows, in this app or another, never see or delete it). An explicit
Save or a clean close removes it, so one found at start belongs to a window that crashed and
recovery is offered. Temp files that interrupted saves left behind are removed at start.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..project.examples import default_project, list_examples, load_example
from ..project.paths import (Autosave, autosave_folder, data_dir, discard_autosave, load_autosave,
                             orphaned_autosaves, remove_stale_temp_files)
from ..project.project import Project, ProjectError
from ..project.projectfile import load_project, save_project
from .download_dialog import ensure_downloaded
from .session_loader import BuildCancelled, BuildFailed, build_in_background

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
        self.autosaver = Autosave()
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
            self.switch_to(default_project(), None, "the new project")

    def open(self) -> None:
        if not self.confirm_close():
            return
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", self._folder(), FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open ``path`` completely, or show why not and change nothing."""
        name = Path(path).name
        remove_stale_temp_files([Path(path).parent])
        try:
            project = load_project(path)
        except ProjectError as exc:
            QMessageBox.warning(self.window, "Cannot open the project",
                                f"{name} cannot be opened:\n\n{exc}")
            return False
        if not self.switch_to(project, str(path), name):
            return False
        self._add_recent(str(path))
        return True

    def switch_to(self, project: Project, path: str | None, what: str, mark_clean: bool = True) -> bool:
        """Build ``project``'s session first (its download offered, the build off the UI thread),
        then swap the path, project, panels and trainer in one go. On failure a dialog says why,
        and the window stays exactly as it was. ``what`` names the project in messages."""
        recipe = project.dataset
        if not ensure_downloaded(recipe.get("name"), self.window, root=recipe.get("root")):
            return False                # the download was declined or failed: keep what is open
        try:
            session = build_in_background(project, self.window, f"Opening {what}…")
        except BuildCancelled:
            return False
        except BuildFailed as exc:
            # a project that cannot train as it is (a network the data does not fit, a data file
            # that is missing) may be opened to fix it, if the user asks; anything else is refused
            if exc.details or not self._open_anyway(what, exc.message):
                if exc.details:
                    self._refuse(what, exc.message, exc.details)
                return False
            session = ProjectError(exc.message)
        old = (self.path, self.window.project, self.window.session)
        try:
            self.window.load_project(project, mark_clean=mark_clean, session=session)
        except Exception as exc:  # noqa: BLE001 - a panel refusing the project: put everything back
            import traceback
            details = traceback.format_exc()
            self.path = old[0]
            self.window.load_project(old[1], mark_clean=False, session=old[2])
            self._refuse(what, f"{type(exc).__name__}: {exc}", details)
            return False
        self.path = path
        self.set_title()
        return True

    def _open_anyway(self, what: str, reason: str) -> bool:
        answer = QMessageBox.question(
            self.window, "This project cannot train",
            f"{what} cannot train as it is:\n\n{reason}\n\nOpen it anyway, to fix it? (Cancel "
            f"keeps the project that is open now.)", QMessageBox.Open | QMessageBox.Cancel,
            QMessageBox.Cancel)
        return answer == QMessageBox.Open

    def _refuse(self, what: str, message: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Warning, "Cannot open the project",
                          f"{what} cannot be opened:\n\n{message}\n\nNothing was changed.",
                          QMessageBox.Ok, self.window)
        if details:
            box.setDetailedText(details)
        self.last_refusal = message
        box.exec()

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
        self.autosaver.clear()          # the file now holds everything the autosave held
        note = self.window.state_note
        self.window.statusBar().showMessage(f"Saved {path}" + (f" ({note})" if note else ""),
                                            15000 if note else 5000)
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
            self.autosaver.clear()
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
        self.switch_to(project, None, f"the example “{project.title or name}”")

    def _folder(self) -> str:
        return str(Path(self.path).parent) if self.path else str(Path.home())

    # -- autosave and recovery -----------------------------------------------------------------
    def autosave(self) -> bool:
        if not self.dirty:
            return False
        try:
            self.autosaver.write(self.window.current_project())
        except ProjectError as exc:
            self.window.statusBar().showMessage(f"Autosave failed: {exc}", 8000)
            return False
        note = self.window.state_note
        if note:
            self.window.statusBar().showMessage(f"Autosaved ({note})", 8000)
        return True

    def clean_up(self) -> list[Path]:
        """Remove the temp files interrupted saves left in the autosave folder and beside the
        recent projects (a save still under way keeps its file)."""
        folders = [data_dir(), autosave_folder()] + [Path(p).parent for p in self.recent()]
        return remove_stale_temp_files(folders)

    def offer_recovery(self) -> bool:
        """At start: offer the autosaves of windows that did not close cleanly, newest first."""
        self.clean_up()
        for path in orphaned_autosaves():
            try:
                project = load_autosave(path)
            except ProjectError:
                discard_autosave(path)  # damaged: there is nothing in it to recover
                continue
            answer = QMessageBox.question(
                self.window, "Recover your work?",
                f"Playground did not close cleanly. Open “{project.title or 'project'}”, saved "
                f"automatically at {_when(path)}?",
                QMessageBox.Open | QMessageBox.Discard, QMessageBox.Open)
            if answer != QMessageBox.Open:
                discard_autosave(path)
                continue
            if not self.switch_to(project, None, "the recovered project", mark_clean=False):
                return False            # kept on disk: offered again next time
            self.mark_dirty()
            # this window's own autosave takes over before the orphan goes
            if self.autosave():
                discard_autosave(path)
            return True
        return False

    def closed_cleanly(self) -> None:
        self.autosaver.close()

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


def _when(path: Path) -> str:
    import time
    try:
        return time.strftime("%H:%M on %d %b", time.localtime(path.stat().st_mtime))
    except OSError:
        return "an unknown time"


def export_plot(plot_item, path: str) -> None:
    import pyqtgraph.exporters as exporters
    exporter = (exporters.SVGExporter if path.lower().endswith(".svg") else exporters.ImageExporter)
    exporter(plot_item).export(path)
