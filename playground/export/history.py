"""Training history (one dict per epoch: epoch, losses, metrics, ...) to and from CSV.

The columns are the union of every record's keys in order of first appearance, with ``epoch``
first, so a metric that appears later in training (say validation accuracy) still gets a column;
epochs that lack it leave the cell empty. Floats are written with repr so they read back exactly.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import IO, Iterable

Number = int | float


def _columns(history: list[dict]) -> list[str]:
    columns: dict[str, None] = {}
    for record in history:
        columns.update(dict.fromkeys(record))
    ordered = list(columns)
    if "epoch" in columns:
        ordered.remove("epoch")
        ordered.insert(0, "epoch")
    return ordered


def _cell(key: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "item"):
        raise ValueError(f"history value {key!r} must be a number, not {value!r}")
    value = value.item() if hasattr(value, "item") else value
    return repr(int(value)) if isinstance(value, int) else repr(float(value))


def write_history(history: Iterable[dict], stream: IO[str]) -> None:
    """Write ``history`` as CSV to an open text stream."""
    history = list(history)
    columns = _columns(history)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for record in history:
        writer.writerow([_cell(c, record.get(c)) for c in columns])


def history_to_csv(history: Iterable[dict], path: str | os.PathLike | None = None) -> str:
    """The CSV text of ``history``; also written to ``path`` when given. Raises ValueError for a
    value that is not a number."""
    buffer = io.StringIO()
    write_history(history, buffer)
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def _parse(text: str) -> Number | None:
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        return float(text)  # 'nan' and 'inf' parse too (a diverged run)


def read_history_csv(source: str | os.PathLike | IO[str]) -> list[dict[str, Number | None]]:
    """Read a history CSV back: a list of dicts, empty cells as None. Raises ValueError for a cell
    that is not a number."""
    if hasattr(source, "read"):
        text = source.read()
    else:
        text = Path(source).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header, records = rows[0], []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(f"history line {line} has {len(row)} values, the header has "
                             f"{len(header)}")
        try:
            records.append({k: _parse(v) for k, v in zip(header, row)})
        except ValueError:
            raise ValueError(f"history line {line} has a value that is not a number") from None
    return records
