"""The multi-label legend reads cleanly in a narrow Output dock: lines break between entries,
never inside one ("C above / the line" or "no / label")."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument

from playground.ui.views.multilabel import legend_html

NAMES = ["inside circle A", "inside circle B", "above the line"]


def lines_of(html: str, width: float) -> list[str]:
    doc = QTextDocument()
    doc.setHtml(html)
    doc.setTextWidth(width)
    doc.size()                              # lays the text out
    out = []
    block = doc.begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            out.append(text[line.textStart():line.textStart() + line.textLength()]
                       .replace("\u00a0", " ").replace("\u2028", " ").strip())
        block = block.next()
    return [line for line in out if line]


@pytest.mark.parametrize("width", [240, 330, 420, 900])
def test_no_entry_is_split_over_two_lines(qapp, width):
    lines = lines_of(legend_html(NAMES), width)
    entries = [f"{s} {n}" for s, n in zip("ABC", NAMES)] + ["no label", "A+B", "A+B+C"]
    for entry in entries:
        assert any(entry in line for line in lines), (entry, lines)
    # the labels come first, the overlaps after, on their own line
    first_overlap = next(i for i, line in enumerate(lines) if "A+B" in line)
    assert all("A+" not in line for line in lines[:first_overlap])


def test_wide_enough_it_is_two_lines(qapp):
    assert len(lines_of(legend_html(NAMES), 900)) == 2
