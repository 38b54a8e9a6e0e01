"""The Lesson panel: the open example's text, the section of the notes it teaches, and the
network's layer table (activation shape, activation size, parameters) as in the notes' 3.5.

The notes are not shipped with the app (``playground.project.lesson_notes`` says where they are
looked for). When they are found, the section shows right here; the link beside it opens the
whole file in the system's viewer. The layer table is computed from the live network, so it
follows every edit.
"""
from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from playground.engine.layers.base import shape_text
from playground.project import latex_text, lesson_notes

NO_NOTES = ("The course notes ({file}) were not found. Put them in {folder} (or set "
            "PLAYGROUND_NOTES to the file) to read section {ref} here.")
#: "Notes 1.3.3 and 1.7. ", "Notes chapter 3. ", "Notes 1.6.1 (the table ...). " at the start
LEADING_REF = re.compile(r"^\s*Notes\s+(chapter\s+\d+|[\d.]+(\s*(,|and)\s*[\d.]+)*)"
                         r"(\s*\([^)]*\))?[.:]?\s*", re.IGNORECASE)
TABLE_TIP = ("Every layer's output for one sample: its shape (channels x height x width for "
             "images), how many values that is, and how many weights and biases the layer "
             "learns. Dense: units x (inputs + 1). Convolution: filters x (channels x f x f + 1).")


def layer_rows(network) -> list[tuple[str, str, int, int, str]]:
    """(layer, activation shape, activation size, parameters, layer type) for the input and
    every layer."""
    rows = [("Input", shape_text(network.input_shape), int(np.prod(network.input_shape)), 0,
             "input")]
    for layer_id, kind, shape, n_params in network.summary():
        rows.append((layer_id, shape_text(shape), int(np.prod(shape)), int(n_params), kind))
    return rows


def _markdown(body: str) -> str:
    """The notes for Qt's Markdown (formulas already replaced by placeholder words, see
    ``latex_text.extract_math``): tab-separated tables as fixed-width blocks (Markdown has no tab
    tables)."""
    out, block = [], []
    for line in body.splitlines():
        if "\t" in line:
            block.append(re.sub(r"</?\w+>", "", line).replace("\t", "    "))   # no <b> tags
            continue
        if block:
            out += ["```", *block, "```"]
            block = []
        out.append(line)
    if block:
        out += ["```", *block, "```"]
    return "\n".join(out)


def with_formulas(page: str, formulas: dict[str, tuple[str, bool]]) -> str:
    """The rendered page with each placeholder word replaced by its formula: a display formula
    that has its paragraph to itself is centred there, a little larger."""
    for word, (fragment, display) in formulas.items():
        if display:
            page, n = re.subn(rf"<p([^>]*)>\s*{word}\s*</p>",
                              lambda m: f'<p align="center"{m.group(1)}>'
                                        f'<span style="font-size:large">{fragment}</span></p>',
                              page)
            if n:
                continue
        page = page.replace(word, fragment)
    return page


class LessonPanel(QWidget):
    """``set_project(project)`` when a project opens; ``set_network(network)`` per session."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("lessonTitle")
        self.title.setWordWrap(True)
        self.reference = QLabel()
        self.reference.setWordWrap(True)
        self.reference.setTextFormat(Qt.RichText)
        self.reference.linkActivated.connect(self._on_link)
        self.notes = QTextBrowser()
        self.notes.setOpenLinks(False)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Layer", "Shape", "Size", "Parameters"])
        self.table.setToolTip(TABLE_TIP)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.total = QLabel()
        self.total.setObjectName("muted")
        table_page = QWidget()
        box = QVBoxLayout(table_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table, 1)
        box.addWidget(self.total)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.notes, "Text && notes")
        self.tabs.addTab(table_page, "Layer table")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.reference)
        layout.addWidget(self.tabs, 1)
        self.text = ""
        self.refs: list[str] = []
        self.notes_path = None
        self.set_project(None)

    # -- the project ---------------------------------------------------------------------------
    def set_project(self, project) -> None:
        title = getattr(project, "title", "") or ""
        description = getattr(project, "description", "") or ""
        self.title.setText(f"<b>{title}</b>" if title and title != "Untitled" else "")
        self.title.setVisible(bool(self.title.text()))
        # the reference is shown on its own line below, as a link
        self.text = LEADING_REF.sub("", description) or (
            "This project has no lesson text. The examples (File > Examples) each come with one.")
        self.refs = lesson_notes.notes_refs(description)
        self.notes_path = lesson_notes.find_notes()
        self._show_reference()
        self.show_section(self.refs[0] if self.refs else None)
        view = getattr(project, "view", None) or {}
        self.tabs.setCurrentIndex(1 if view.get("lesson_tab") == "layer table" else 0)

    def _show_reference(self) -> None:
        if not self.refs:
            self.reference.setText("")
            self.reference.setVisible(False)
            return
        links = ", ".join(f'<a href="ref:{r}">§{r}</a>' for r in self.refs)
        more = (' · <a href="open:">open the notes file</a>' if self.notes_path else "")
        self.reference.setText(f"Notes: {links}{more}")
        self.reference.setVisible(True)

    def show_section(self, ref: str | None) -> None:
        """Show section ``ref`` of the notes in the Notes tab (or say where the notes go)."""
        if ref is None:
            self._show_text("")
            return
        found = None
        if self.notes_path is not None:
            try:
                found = lesson_notes.section(self.notes_path.read_text(encoding="utf-8"), ref)
            except (OSError, UnicodeDecodeError):
                found = None
        if found is None:
            folder = lesson_notes.notes_candidates()[1].parent if self.notes_path is None else \
                self.notes_path
            self._show_text("*" + (NO_NOTES.format(file=lesson_notes.NOTES_FILE, folder=folder, ref=ref)
                                   if self.notes_path is None else
                                   f"Section {ref} is not in {folder}.") + "*")
            return
        heading, body = found
        body, formulas = latex_text.extract_math(body)
        self._show_text(f"### Notes {heading}\n\n{_markdown(body)}", formulas)

    def _show_text(self, notes_markdown: str, formulas: dict | None = None) -> None:
        """The lesson's text, then (below a rule) the notes, their formulas typeset."""
        parts = [re.sub(r"([\\*_`#\[\]])", r"\\\1", self.text)]     # plain text, not Markdown
        if notes_markdown:
            parts += ["---", notes_markdown]
        self.notes.setMarkdown("\n\n".join(parts))
        if formulas:
            self.notes.setHtml(with_formulas(self.notes.toHtml(), formulas))
        self.notes.verticalScrollBar().setValue(0)

    def _on_link(self, link: str) -> None:
        kind, _, value = link.partition(":")
        if kind == "ref":
            self.tabs.setCurrentWidget(self.notes)
            self.show_section(value)
        elif kind == "open" and self.notes_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.notes_path)))

    # -- the network -----------------------------------------------------------------------------
    def set_network(self, network) -> None:
        rows = layer_rows(network) if network is not None else []
        self.table.setRowCount(len(rows))
        for r, (name, shape, size, params, kind) in enumerate(rows):
            for c, value in enumerate((name, shape, f"{size:,}", f"{params:,}")):
                item = QTableWidgetItem(value)
                item.setToolTip(f"{name}: {kind}, output {shape}")
                if c:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        total = sum(row[3] for row in rows)
        self.total.setText(f"{total:,} parameters in all" if rows else "")

    def table_rows(self) -> list[tuple[str, str, str, str]]:
        """What the table shows, cell by cell (for tests)."""
        return [tuple(self.table.item(r, c).text() for c in range(4))
                for r in range(self.table.rowCount())]
