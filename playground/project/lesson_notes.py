"""Which section of the course notes a lesson belongs to, and that section's text.

Every example's description starts with its notes reference ("Notes 1.6.1. ...", "Notes 1.3.3 and
1.7. ...", "Notes chapter 3. ..."), so a saved project keeps its reference too. The notes
themselves (deep-learning-notes.md) are not shipped with the app: they are looked for in
``$PLAYGROUND_NOTES``, in the app data folder (``<app data>/notes/``), and in a ``shared/notes``
or ``notes`` folder beside the source checkout. Without them the Lesson panel names the section
and says where to put the file.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from playground import resources_dir
from playground.data.paths import app_data_dir

NOTES_FILE = "deep-learning-notes.md"
ENV_VAR = "PLAYGROUND_NOTES"

_REF = re.compile(r"\bNotes\s+(chapter\s+\d+|\d+(?:\.\d+)*)((?:\s*(?:,|and)\s*\d+(?:\.\d+)*)*)",
                  re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
# "Chapter 3 ...", "1.6.1 ...", "3.5 ..." (not the list-like "1. Convolution:")
_NUMBER = re.compile(r"^(?:chapter\s+(\d+)|(\d+(?:\.\d+)+))(?=\s|$)", re.IGNORECASE)


def notes_refs(description: str) -> list[str]:
    """The section numbers a description names: 'Notes 1.3.3 and 1.7.' -> ['1.3.3', '1.7'],
    'Notes chapter 3.' -> ['3']."""
    match = _REF.search(description or "")
    if not match:
        return []
    first = match.group(1)
    refs = [first.split()[-1] if first.lower().startswith("chapter") else first]
    refs += re.findall(r"\d+(?:\.\d+)*", match.group(2) or "")
    return [r.rstrip(".") for r in refs]


def notes_candidates() -> list[Path]:
    """Where the notes file is looked for, first match wins."""
    out = []
    env = os.environ.get(ENV_VAR)
    if env:
        out.append(Path(env).expanduser())
    out.append(app_data_dir() / "notes" / NOTES_FILE)
    root = resources_dir().parent               # the checkout (or the bundle's folder)
    for folder in (root, root.parent):
        out += [folder / "shared" / "notes" / NOTES_FILE, folder / "notes" / NOTES_FILE]
    return out


def find_notes() -> Path | None:
    for path in notes_candidates():
        if path.is_file():
            return path
    return None


def _heading_number(title: str) -> str | None:
    match = _NUMBER.match(title)
    return (match.group(1) or match.group(2)) if match else None


def _within(number: str, ref: str) -> bool:
    return number == ref or number.startswith(ref + ".")


def section(text: str, ref: str) -> tuple[str, str] | None:
    """(heading, body) of section ``ref`` ("1.6.1", or "3" for chapter 3): from its heading up to
    the next numbered heading outside it (the notes' heading levels are not consistent, so the
    numbers decide; unnumbered headings such as 'Definition 1.6' belong to the section)."""
    lines = text.splitlines()
    start = heading = None
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if not m:
            continue
        title = m.group(2)
        number = _heading_number(title)
        if start is None:
            if number == ref:
                start, heading = i, title
        elif number is not None and not _within(number, ref):
            return heading, "\n".join(lines[start + 1:i]).strip()
        elif start is not None and title.lower().startswith("chapter") and number != ref:
            return heading, "\n".join(lines[start + 1:i]).strip()
    if start is None:
        return None
    return heading, "\n".join(lines[start + 1:]).strip()


def section_title(text: str, ref: str) -> str | None:
    found = section(text, ref)
    return found[0] if found else None
