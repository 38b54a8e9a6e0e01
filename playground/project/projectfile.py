"""The .nnplay file: a zip of project.json, weights.npz and history.csv (DESIGN.md section 5).

Saving writes a temporary file in the target's folder, flushes and fsyncs it, then renames it over
the target, so a crash or a full disk never leaves half a project behind. Loading checks everything
(zip, JSON, format and version, the network builds, the settings, the dataset, the weights' names and
shapes against the network, the history) and turns every failure into ``ProjectError``.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from playground.engine import Network

from .project import (Project, ProjectError, check_history, check_network, project_from_json,
                      project_to_json)

PROJECT_JSON, WEIGHTS, HISTORY = "project.json", "weights.npz", "history.csv"
#: no member of a project is this large (LeNet's weights are ~250 kB); bigger means a bad file
MAX_MEMBER = 512 * 1024 * 1024


# -- saving --------------------------------------------------------------------------------------
def save_project(project: Project, path: str | os.PathLike) -> None:
    """Write ``project`` to ``path`` atomically; raises ``ProjectError`` if it cannot."""
    path = Path(path)
    try:
        members = _members(project)
    except (TypeError, ValueError) as exc:
        raise ProjectError(f"the project cannot be saved: {exc}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ProjectError(f"could not save {path.name} in {path.parent}: {exc.strerror or exc}") \
            from None
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in members.items():
                    archive.writestr(name, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ProjectError(f"could not save {path.name}: {exc.strerror or exc}") from None
        raise


def _members(project: Project) -> dict[str, bytes]:
    members = {PROJECT_JSON: json.dumps(project_to_json(project), indent=1).encode("utf-8")}
    if project.weights is not None:
        buffer = io.BytesIO()
        np.savez(buffer, **{k: np.asarray(v) for k, v in project.weights.items()})
        members[WEIGHTS] = buffer.getvalue()
    if project.history:
        members[HISTORY] = history_to_csv(project.history).encode("utf-8")
    return members


def history_to_csv(history: list[dict]) -> str:
    """Per-epoch records as CSV: one column per numeric field, in order of first appearance."""
    columns: list[str] = []
    for row in history:
        columns += [k for k, v in row.items() if k not in columns and _numeric(v)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in history:
        writer.writerow([repr(float(row[c])) if isinstance(row.get(c), float) else row.get(c, "")
                         for c in columns])
    return out.getvalue()


def _numeric(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


# -- loading -------------------------------------------------------------------------------------
def load_project(path: str | os.PathLike) -> Project:
    """Read a .nnplay file; anything wrong with it raises ``ProjectError`` (nothing else)."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ProjectError(f"could not open {path.name}: {exc.strerror or exc}") from None
    return project_from_bytes(data)


def project_from_bytes(data: bytes) -> Project:
    """Parse the bytes of a .nnplay file; raises ``ProjectError`` and nothing else."""
    try:
        return _parse(data)
    except ProjectError:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise: a bad file never escapes as anything else
        raise ProjectError(f"This file is not a readable Playground project "
                           f"({type(exc).__name__}: {exc})") from None


def _parse(data: bytes) -> Project:
    if not data.startswith(b"PK"):
        raise ProjectError("This file is not a Playground project (it is not a zip archive)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ProjectError("This file is not a Playground project (it is not a zip archive, or the "
                           "archive is damaged)") from None
    with archive:
        names = set(archive.namelist())
        if PROJECT_JSON not in names:
            raise ProjectError("This file is not a Playground project (it has no project.json)")
        project = project_from_json(_parse_json(_read(archive, PROJECT_JSON)))
        if WEIGHTS in names:
            project.weights = check_weights(_load_npz(_read(archive, WEIGHTS)), project.network)
        if HISTORY in names:
            project.history = history_from_csv(_text(_read(archive, HISTORY), HISTORY))
    return project


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER:
        raise ProjectError(f"{name} in this project is implausibly large ({info.file_size} bytes)")
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError):
        raise ProjectError(f"The project file is damaged: {name} cannot be read") from None


def _text(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"{name} in this project is not text (UTF-8)") from None


def _parse_json(raw: bytes):
    try:
        return json.loads(_text(raw, PROJECT_JSON))
    except json.JSONDecodeError as exc:
        raise ProjectError(f"project.json is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg})") from None
    except RecursionError:
        raise ProjectError("project.json is nested too deeply to be a project") from None


def _load_npz(raw: bytes) -> dict[str, np.ndarray]:
    if not raw.startswith(b"PK"):
        raise ProjectError("weights.npz is damaged (it is not a NumPy .npz archive)")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ProjectError("weights.npz holds Python objects, not numbers: refusing to load it") \
                from None
        raise ProjectError(f"weights.npz is damaged ({exc})") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, zlib.error) as exc:
        raise ProjectError(f"weights.npz is damaged ({exc})") from None


def check_weights(weights: dict[str, np.ndarray], spec: dict) -> dict[str, np.ndarray]:
    """The weights, checked against the network ``spec`` builds: same names, shapes, finite numbers."""
    needed = {k: v.shape for k, v in Network.from_spec(spec).parameters().items()}
    for key in needed:
        if key not in weights:
            raise ProjectError(f"the file has no weights for '{key}'")
    for key, value in weights.items():
        if key not in needed:
            raise ProjectError(f"the file has weights for '{key}', which this network does not have")
        if value.shape != needed[key]:
            raise ProjectError(f"weights for '{key}' have shape {value.shape} but the network needs "
                               f"{needed[key]}")
        if value.dtype.kind not in "fiu":
            raise ProjectError(f"weights for '{key}' are not numbers ({value.dtype})")
        if not np.isfinite(value).all():
            raise ProjectError(f"weights for '{key}' contain NaN or infinity")
    with np.errstate(over="ignore"):
        cast = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
    for key, value in cast.items():     # 1e39 is a finite float64 but an infinite float32
        if not np.isfinite(value).all():
            raise ProjectError(f"weights for '{key}' hold numbers too large for the network's 32-bit "
                               f"floats (up to {np.abs(weights[key]).max():.3g}; the largest is about "
                               f"3.4e+38)")
    return cast


def history_from_csv(text: str) -> list[dict]:
    """Rows of history.csv back to dicts; empty cells are left out, epoch and step are ints."""
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ProjectError(f"history.csv is not a readable CSV file ({exc})") from None
    reader = iter(lines)
    header = next(reader, None)
    if not header:
        return []
    if len(set(header)) != len(header):
        raise ProjectError("history.csv names a column twice")
    rows = []
    for line, cells in enumerate(reader, start=2):
        if len(cells) != len(header):
            raise ProjectError(f"history.csv line {line} has {len(cells)} values, not {len(header)}")
        row = {}
        for key, cell in zip(header, cells):
            if cell == "":
                continue
            try:
                value = float(cell)
            except ValueError:
                raise ProjectError(f"history.csv line {line}: '{key}' is not a number ({cell[:20]!r})") \
                    from None
            row[key] = int(value) if key in ("epoch", "step", "mistakes") and math.isfinite(value) \
                and value.is_integer() else value
        rows.append(row)
    return check_history(rows)


# -- a plain JSON file (``playground train FILE.json``) --------------------------------------------
def load_project_or_spec(path: str | os.PathLike) -> Project:
    """A .nnplay project, a project.json, or a bare network spec (given the dataset its input
    shape suggests). Raises ``ProjectError``."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(2)
    except OSError as exc:
        raise ProjectError(f"could not open {path.name}: {exc.strerror or exc}") from None
    if head == b"PK":
        return load_project(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, OSError) as exc:
        raise ProjectError(f"{path.name} is neither a Playground project nor a JSON file ({exc})") \
            from None
    try:
        if isinstance(data, dict) and data.get("format") == "playground-project":
            return project_from_json(data)
        return project_for_spec(data)
    except ProjectError:
        raise
    except Exception as exc:
        raise ProjectError(f"{path.name} cannot be read as a project ({exc})") from None


def project_for_spec(spec) -> Project:
    """A project around a bare network spec, with the dataset its input shape suggests."""
    from .examples import dataset_for_input
    network = check_network(spec)
    recipe, features = dataset_for_input(network["input_shape"])
    title = spec.get("title", "Network") if isinstance(spec.get("title"), str) else "Network"
    return Project(network=network, dataset=recipe, features=features, title=title)
