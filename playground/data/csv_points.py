"""Reading a user's CSV of points: features in the first columns, the label or target last.

Forgiving where it can be (header optional, delimiter guessed, blank and # lines skipped) and
precise where it cannot: every problem is reported with its line number, the first few at once.
The text is read once, in blocks of lines, straight into float32/float64 arrays, so a big file
needs little more memory than its numbers; ``progress(done, total)`` is called between blocks
(return False to stop).
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field

import numpy as np

from .errors import DatasetError
from .safefiles import Progress, check_cancel

DELIMITERS = (",", ";", "\t", "|")
MAX_AUTO_CLASSES = 20          # more distinct integer labels than this reads as a regression target
MAX_CLASSES = 100
SHOWN_PROBLEMS = 5
BLOCK = 4_000                  # lines parsed at a time (their strings are the transient memory)
HUGE = 1e30


@dataclass
class PointTable:
    """What a CSV held: features (N, d) float32, the task and the targets in Dataset form."""
    features: np.ndarray
    targets: np.ndarray
    task: str
    class_names: list[str]
    columns: list[str]


@dataclass
class _Problems:
    """Problems by line: the first few kept in words, the rest counted."""
    count: int = 0
    shown: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.shown) < SHOWN_PROBLEMS:
            self.shown.append(message)

    def raise_if_any(self) -> None:
        if self.count:
            more = f"\n(and {self.count - SHOWN_PROBLEMS} more)" if self.count > SHOWN_PROBLEMS else ""
            raise DatasetError(f"{self.count} row(s) of the file have problems:\n"
                               + "\n".join(self.shown) + more)


def _lines(text: str):
    """(line number, line) for every line that holds data (not blank, not a # comment)."""
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")            # old Mac line ends
    pos, number, end = 0, 0, len(text)
    while pos < end:
        stop = text.find("\n", pos)
        stop = end if stop < 0 else stop
        number += 1
        line = text[pos:stop]
        pos = stop + 1
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, line.rstrip("\r"), pos


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


def _split(line: str, delim: str | None) -> list[str]:
    if delim is None:
        return line.split()
    if '"' not in line:
        return [c.strip() for c in line.split(delim)]
    try:
        return [c.strip() for c in next(csv.reader([line], delimiter=delim))]
    except (csv.Error, StopIteration) as exc:
        raise DatasetError(f"the file cannot be read as CSV: {exc}") from None


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _is_number(cell: str) -> bool:
    return _number(cell) is not None


def _ragged(number: int, line: str, cells: list[str], width: int, delim, header) -> str:
    for other in DELIMITERS:
        if other != delim and line.count(other) == width - 1:
            was = "spaces" if delim is None else repr(delim)
            return (f"line {number} separates its values with {other!r} but the lines before it "
                    f"use {was}: use one separator in the whole file")
    return f"line {number}: {len(cells)} values, but the {'header' if header else 'first row'} has {width}"


class _Reader:
    """One pass over the rows: features into float32 blocks, labels into float64 (numbers) and
    small integer codes (texts)."""

    def __init__(self, width: int, delim, header, task: str):
        self.width, self.delim, self.header, self.task = width, delim, header, task
        self.features: list[np.ndarray] = []
        self.values: list[np.ndarray] = []         # the label as a number, NaN when it is text
        self.codes: list[np.ndarray] = []          # -1 for numbers, else the text's index
        self.texts: dict[str, int] = {}            # distinct text labels (up to MAX_CLASSES + 1)
        self.text_rows = 0
        self.text_examples: list[tuple[int, str]] = []     # the first few text labels and lines
        self.problems = _Problems()
        self.rows = 0

    def block(self, lines) -> None:
        cells_rows, numbers, labels = [], [], []
        for number, line, _ in lines:
            cells = _split(line, self.delim)
            if len(cells) != self.width:
                self.problems.add(_ragged(number, line, cells, self.width, self.delim, self.header))
                continue
            cells_rows.append(cells[:-1])
            labels.append(cells[-1])
            numbers.append(number)
        if not numbers:
            return
        self._features(cells_rows, numbers)
        del cells_rows
        self._labels(labels, numbers)
        self.rows += len(numbers)

    def _features(self, cells_rows, numbers) -> None:
        try:
            block = np.array(cells_rows, dtype=np.float64).reshape(len(numbers), self.width - 1)
        except ValueError:
            block = np.zeros((len(numbers), self.width - 1))
            for i, cells in enumerate(cells_rows):
                for j, cell in enumerate(cells):
                    value = _number(cell)
                    if value is None:
                        self.problems.add(f"line {numbers[i]}: {cell!r} is not a number")
                    else:
                        block[i, j] = value
        bad = ~(np.abs(block) <= HUGE)                # NaN, infinite or huge
        for i, j in zip(*np.nonzero(bad)):
            self.problems.add(f"line {numbers[i]}: {cells_rows[i][j]!r} is not a usable number "
                              f"(infinite, NaN or huge)")
        block[bad] = 0.0
        self.features.append(block.astype(np.float32))

    def _labels(self, labels, numbers) -> None:
        try:
            values = np.array(labels, dtype=np.float64)
            codes = np.full(len(labels), -1, np.int32)
        except ValueError:
            values = np.full(len(labels), np.nan)
            codes = np.full(len(labels), -1, np.int32)
            for i, s in enumerate(labels):
                v = _number(s)
                if v is not None:
                    values[i] = v
                elif not s:
                    self.problems.add(f"line {numbers[i]}: the label is empty")
                else:
                    codes[i] = self._text(s, numbers[i])
        numeric = codes < 0
        for i in np.nonzero(numeric & ~(np.abs(values) <= HUGE))[0]:
            s = labels[i]
            if math.isnan(values[i]):
                self.problems.add(f"line {numbers[i]}: the label {s!r} is missing (not a number); "
                                  f"give the row a label or delete it")
            else:
                self.problems.add(f"line {numbers[i]}: the target {s!r} is not a usable number "
                                  f"(infinite or huge)")
        self.values.append(values)
        self.codes.append(codes if (codes >= 0).any() else len(codes))    # a count: all numbers

    def _text(self, s: str, number: int) -> int:
        self.text_rows += 1
        if len(self.text_examples) < SHOWN_PROBLEMS:
            self.text_examples.append((number, s))
        if s not in self.texts and len(self.texts) <= MAX_CLASSES:
            self.texts[s] = len(self.texts)
        return self.texts.get(s, MAX_CLASSES + 1)


def _header_and_width(first: list[str]) -> tuple[list[str] | None, int]:
    if len(first) < 2:
        return None, len(first)
    header = first if any(not _is_number(c) for c in first[:-1]) else None
    return header, len(first)


def _classes(values: np.ndarray, codes: np.ndarray, texts: dict[str, int]):
    """Class indices and names: numbers by value ("1" and "1.0" are one class), ordered
    numerically, then the texts in order."""
    numeric = codes < 0
    numbers = np.unique(values[numeric])
    text_names = sorted((t for t, c in texts.items() if c in set(np.unique(codes[~numeric]).tolist())))
    n = len(numbers) + len(text_names)
    if n < 2:
        only = f"{numbers[0]:g}" if len(numbers) else text_names[0]
        raise DatasetError(f"every row has the label {only!r}; a classifier needs at least two classes")
    if n > MAX_CLASSES or len(texts) > MAX_CLASSES:
        raise DatasetError(f"the last column has {max(n, len(texts))}{'+' if len(texts) > MAX_CLASSES else ''} "
                           f"different labels; at most {MAX_CLASSES} classes are supported")
    targets = np.empty(len(values), np.int64)
    targets[numeric] = np.searchsorted(numbers, values[numeric])
    if (~numeric).any():
        order = {texts[t]: len(numbers) + i for i, t in enumerate(text_names)}
        lut = np.zeros(max(texts.values()) + 1, np.int64)
        for code, index in order.items():
            lut[code] = index
        targets[~numeric] = lut[codes[~numeric]]
    return targets, [f"{v:g}" for v in numbers] + text_names


def _choose_task(values, codes, texts, text_rows, examples) -> str:
    if text_rows == 0:
        numbers = np.unique(values)
        integral = bool(np.all(numbers == np.round(numbers)))
        return "classification" if integral and len(numbers) <= MAX_AUTO_CLASSES else "regression"
    distinct = len(texts) + len(np.unique(values[codes < 0]))
    if distinct <= MAX_AUTO_CLASSES:
        return "classification"
    if text_rows < len(values):
        raise DatasetError(f"the last column mixes numbers and text ({text_rows:,} row(s) of text, "
                           f"e.g. line {examples[0][0]}: {examples[0][1]!r}): a regression "
                           f"target must be a number on every row, and a class label takes at most "
                           f"{MAX_AUTO_CLASSES} different values")
    more = "+" if len(texts) > MAX_CLASSES else ""
    raise DatasetError(f"the last column holds {len(texts)}{more} different texts; a class label "
                       f"should take a few values (at most {MAX_AUTO_CLASSES}), and a regression "
                       f"target must be numbers")


def _join(blocks: list) -> np.ndarray:
    """One array from the blocks, which are let go of as they are copied."""
    blocks[:] = [np.full(b, -1, np.int32) if isinstance(b, int) else b for b in blocks]
    out = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
    blocks.clear()
    return out


def parse_points(text: str, task: str = "auto", progress: Progress = None) -> PointTable:
    """Parse CSV text; ``task`` is "auto", "classification" or "regression"."""
    if "\x00" in text:
        raise DatasetError("this does not look like a text file (it contains NUL bytes); "
                           "save your data as CSV text")
    rows = _lines(text)
    head = []
    for item in rows:
        head.append(item)
        if len(head) == 20:
            break
    if not head:
        raise DatasetError("the file is empty: it needs rows like '0.5, -1.2, 1' (x1, x2, label)")
    delim = guess_delimiter([line for _, line, _ in head])
    header, width = _header_and_width(_split(head[0][1], delim))
    if width < 2:
        raise DatasetError(f"line {head[0][0]} has a single column; each row needs the point's "
                           f"coordinates and then its label, like '0.5, -1.2, 1'")
    reader = _Reader(width, delim, header, task)
    pending = head[1:] if header else head
    total = len(text)
    for item in rows:
        pending.append(item)
        if len(pending) >= BLOCK:
            reader.block(pending)
            check_cancel(progress, item[2], total)
            pending = []
    reader.block(pending)
    check_cancel(progress, total, total)
    del pending
    if task == "regression" and reader.text_rows:
        for number, label in reader.text_examples:
            reader.problems.add(f"line {number}: the target {label!r} is not a usable number")
        reader.problems.count += reader.text_rows - len(reader.text_examples)
    reader.problems.shown.sort(key=lambda m: int(m.split(" ", 2)[1].rstrip(":")))
    reader.problems.raise_if_any()
    if reader.rows < 2:
        raise DatasetError(f"the file has {reader.rows} data row(s); at least 2 are needed "
                           f"(some for training, some for testing)")
    features = _join(reader.features)
    values = _join(reader.values)
    codes = _join(reader.codes) if reader.text_rows else np.full(len(values), -1, np.int8)
    if task == "auto":
        task = _choose_task(values, codes, reader.texts, reader.text_rows, reader.text_examples)
    if task == "classification":
        targets, names = _classes(values, codes, reader.texts)
    else:
        targets, names = values.astype(np.float32)[:, None], []
    columns = header or [f"x{j + 1}" for j in range(width - 1)] + ["label" if names else "target"]
    return PointTable(features, targets, task, names, list(columns))
