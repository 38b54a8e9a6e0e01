"""Reading a user's CSV of points: features in the first columns, the label or target last.

Forgiving where it can be (header optional, delimiter guessed, blank and # lines skipped) and
precise where it cannot: every problem is reported with its line number, the first few at once.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass

import numpy as np

from .errors import DatasetError

DELIMITERS = (",", ";", "\t", "|")
MAX_AUTO_CLASSES = 20          # more distinct integer labels than this reads as a regression target
MAX_CLASSES = 100
SHOWN_PROBLEMS = 5


@dataclass
class PointTable:
    """What a CSV held: features (N, d) float32, the task and the targets in Dataset form."""
    features: np.ndarray
    targets: np.ndarray
    task: str
    class_names: list[str]
    columns: list[str]


def _content_lines(text: str) -> list[tuple[int, str]]:
    if "\x00" in text:
        raise DatasetError("this does not look like a text file (it contains NUL bytes); "
                           "save your data as CSV text")
    lines = [(i + 1, line) for i, line in enumerate(text.splitlines())
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise DatasetError("the file is empty: it needs rows like '0.5, -1.2, 1' (x1, x2, label)")
    return lines


def guess_delimiter(lines: list[str]) -> str | None:
    """The candidate that appears the same (non-zero) number of times in each of the first
    lines; None means "split on white space"."""
    sample = lines[:20]
    for delim in DELIMITERS:
        counts = {line.count(delim) for line in sample}
        if len(counts) == 1 and counts.pop() > 0:
            return delim
    best = max(DELIMITERS, key=lambda d: sum(line.count(d) > 0 for line in sample))
    return best if any(best in line for line in sample) else None


def _split_rows(lines: list[tuple[int, str]], delim: str | None) -> list[tuple[int, list[str]]]:
    try:
        if delim is None:
            return [(n, line.split()) for n, line in lines]
        return [(n, [c.strip() for c in next(csv.reader([line], delimiter=delim))]) for n, line in lines]
    except csv.Error as exc:
        raise DatasetError(f"the file cannot be read as CSV: {exc}") from None


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _raise_problems(problems: list[str]) -> None:
    if problems:
        more = f"\n(and {len(problems) - SHOWN_PROBLEMS} more)" if len(problems) > SHOWN_PROBLEMS else ""
        raise DatasetError(f"{len(problems)} row(s) of the file have problems:\n"
                           + "\n".join(problems[:SHOWN_PROBLEMS]) + more)


def _features(rows, n_features) -> np.ndarray:
    out, problems = np.empty((len(rows), n_features), np.float64), []
    for i, (line, cells) in enumerate(rows):
        for j, cell in enumerate(cells[:n_features]):
            value = _number(cell)
            if value is None:
                problems.append(f"line {line}: {cell!r} is not a number")
            elif not math.isfinite(value) or abs(value) > 1e30:
                problems.append(f"line {line}: {cell!r} is not a usable number (infinite, NaN or huge)")
            else:
                out[i, j] = value
    _raise_problems(problems)
    return out.astype(np.float32)


def _detect_task(labels: list[str]) -> str:
    values = [_number(s) for s in labels]
    if all(v is not None and math.isfinite(v) for v in values):
        integral = all(float(v).is_integer() for v in values)
        return "classification" if integral and len(set(values)) <= MAX_AUTO_CLASSES else "regression"
    if len(set(labels)) <= MAX_AUTO_CLASSES:
        return "classification"
    raise DatasetError(f"the last column holds {len(set(labels))} different texts; a class label "
                       f"should take a few values (at most {MAX_AUTO_CLASSES}), and a regression "
                       f"target must be numbers")


def _classes(labels: list[str]) -> tuple[np.ndarray, list[str]]:
    values = [_number(s) for s in labels]
    numeric = all(v is not None and math.isfinite(v) for v in values)
    # numbers are classes by value ("1" and "1.0" are one class), ordered numerically
    keys = values if numeric else labels
    distinct = sorted(set(keys))
    if len(distinct) < 2:
        raise DatasetError(f"every row has the label {labels[0]!r}; a classifier needs at least two classes")
    if len(distinct) > MAX_CLASSES:
        raise DatasetError(f"the last column has {len(distinct)} different labels; at most {MAX_CLASSES} "
                           f"classes are supported")
    index = {k: i for i, k in enumerate(distinct)}
    first_text = {}
    for k, s in zip(keys, labels):
        first_text.setdefault(k, s)
    names = [first_text[k] if not numeric else f"{k:g}" for k in distinct]
    return np.array([index[k] for k in keys], np.int64), names


def _targets(rows, labels) -> np.ndarray:
    problems = []
    out = np.empty((len(labels), 1), np.float32)
    for i, ((line, _), s) in enumerate(zip(rows, labels)):
        v = _number(s)
        if v is None or not math.isfinite(v) or abs(v) > 1e30:
            problems.append(f"line {line}: the target {s!r} is not a usable number")
        else:
            out[i, 0] = v
    _raise_problems(problems)
    return out


def parse_points(text: str, task: str = "auto") -> PointTable:
    """Parse CSV text; ``task`` is "auto", "classification" or "regression"."""
    lines = _content_lines(text)
    rows = _split_rows(lines, guess_delimiter([line for _, line in lines]))
    width = len(rows[0][1])
    if width < 2:
        raise DatasetError(f"line {rows[0][0]} has a single column; each row needs the point's "
                           f"coordinates and then its label, like '0.5, -1.2, 1'")
    header = None
    if any(_number(c) is None for c in rows[0][1][:-1]):
        header, rows = rows[0][1], rows[1:]
    ragged = [f"line {n}: {len(cells)} values, but the {'header' if header else 'first row'} has {width}"
              for n, cells in rows if len(cells) != width]
    _raise_problems(ragged)
    if len(rows) < 2:
        raise DatasetError(f"the file has {len(rows)} data row(s); at least 2 are needed "
                           f"(some for training, some for testing)")
    features = _features(rows, width - 1)
    labels = [cells[-1] for _, cells in rows]
    empty = [f"line {n}: the label is empty" for (n, _), s in zip(rows, labels) if not s]
    _raise_problems(empty)
    task = _detect_task(labels) if task == "auto" else task
    if task == "classification":
        targets, names = _classes(labels)
    else:
        targets, names = _targets(rows, labels), []
    columns = header or [f"x{j + 1}" for j in range(width - 1)] + ["label" if names else "target"]
    return PointTable(features, targets, task, names, list(columns))
