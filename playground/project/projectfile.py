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

from .classroom import check_classroom
from .project import (MAX_HISTORY_ROWS, Project, ProjectError, check_history, check_network,
                      parameter_shapes, project_from_json, project_to_json)

PROJECT_JSON, WEIGHTS, HISTORY = "project.json", "weights.npz", "history.csv"
#: pinned runs (``pinned.py``): their settings and histories, and their decision maps
PINNED, PINNED_MAPS = "pinned.json", "pinned_maps.npz"
MAX_PINNED_JSON = 64 * 1024 * 1024
#: no member of a project is this large (LeNet's weights are ~250 kB); bigger means a bad file.
#: Sizes are counted as members inflate; weights.npz is further held to 8 bytes per parameter of
#: the network its spec describes (plus headers).
MAX_MEMBER = 512 * 1024 * 1024
MAX_JSON = 16 * 1024 * 1024
MAX_HISTORY = 128 * 1024 * 1024
PIECE = 1024 * 1024


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
    data = project_to_json(project)
    if getattr(project, "classroom", None):          # a teacher's project (issue 11)
        data["classroom"] = check_classroom(project.classroom)
    members = {PROJECT_JSON: json.dumps(data, indent=1).encode("utf-8")}
    if project.weights is not None:
        buffer = io.BytesIO()
        np.savez(buffer, **{k: np.asarray(v) for k, v in project.weights.items()})
        members[WEIGHTS] = buffer.getvalue()
    if project.history:
        members[HISTORY] = history_to_csv(project.history).encode("utf-8")
    if project.pinned:
        from .pinned import pinned_to_bytes
        members[PINNED], maps = pinned_to_bytes(project.pinned)
        if maps is not None:
            members[PINNED_MAPS] = maps
    saved = getattr(project.comparison, "saved", None)
    if saved:                               # every configuration of a comparison, to go on from
        from .comparison_state import variants_members
        members.update(variants_members(saved))
    if project.timeline:                    # "Save with timeline" only: a normal save stays small
        from .timeline_file import timeline_members
        members.update(timeline_members(project.timeline))
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
    except MemoryError:
        raise ProjectError("This project does not fit in this computer's memory") from None
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
        data = _parse_json(_read(archive, PROJECT_JSON, MAX_JSON))
        project = project_from_json(data)
        project.classroom = check_classroom(data.get("classroom"))
        if WEIGHTS in names:
            needed = weight_shapes(project.network)
            limit = 8 * sum(math.prod(s) for s in needed.values()) + 4096 * (len(needed) + 16)
            project.weights = check_weights(_load_npz(_read(archive, WEIGHTS, limit), needed),
                                            project.network, needed)
        if HISTORY in names:
            project.history = history_from_csv(_text(_read(archive, HISTORY, MAX_HISTORY), HISTORY))
        if PINNED in names:
            from .pinned import pinned_from_bytes
            maps = _read(archive, PINNED_MAPS, MAX_PINNED_JSON) if PINNED_MAPS in names else None
            project.pinned = pinned_from_bytes(_read(archive, PINNED, MAX_PINNED_JSON), maps)
        from .comparison_state import RUNS_JSON, read_variants
        if RUNS_JSON in names and project.comparison is not None:
            project.comparison.saved = read_variants(
                names, lambda name, limit: _text(_read(archive, name, limit), name),
                lambda name: _load_npz(_read(archive, name)))
        from .timeline_file import TIMELINE_JSON, TIMELINE_NPZ, MAX_TIMELINE_JSON, timeline_from_members
        if TIMELINE_JSON in names and TIMELINE_NPZ in names:
            project.timeline = timeline_from_members(
                _text(_read(archive, TIMELINE_JSON, MAX_TIMELINE_JSON), TIMELINE_JSON),
                _load_npz(_read(archive, TIMELINE_NPZ)), project.history)
    return project


def _read(archive: zipfile.ZipFile, name: str, limit: int = MAX_MEMBER) -> bytes:
    """A member's bytes, counted as they inflate: reading stops as soon as it passes ``limit``
    (the size a member declares is not trusted)."""
    info = archive.getinfo(name)
    too_big = ProjectError(f"{name} in this project is implausibly large (more than {limit:,} "
                           f"bytes): refusing to read it")
    if info.file_size > limit:
        raise too_big
    try:
        return _bounded(archive.open(info), limit, too_big)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError):
        raise ProjectError(f"The project file is damaged: {name} cannot be read") from None


def _bounded(stream, limit: int, too_big: Exception) -> bytes:
    pieces, done = [], 0
    with stream:
        while True:
            piece = stream.read(min(PIECE, limit + 1 - done))
            if not piece:
                return b"".join(pieces)
            done += len(piece)
            if done > limit:
                raise too_big
            pieces.append(piece)


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
    except ValueError:       # Python refuses integers of more than 4,300 digits
        raise ProjectError("project.json holds a number with thousands of digits; no setting of a "
                           "project is that large") from None


def weight_shapes(spec: dict) -> dict[str, tuple[int, ...]]:
    """"<layer id>.<name>" -> shape of every parameter of the network ``spec`` describes."""
    return parameter_shapes(spec)


def _load_npz(raw: bytes, needed: dict[str, tuple[int, ...]] | None = None) -> dict[str, np.ndarray]:
    """The arrays of weights.npz. When ``needed`` is given, each array's .npy header (shape and
    dtype) is read from its member first, and checked against it, before any of its data is
    inflated: a small file cannot make us allocate a huge array."""
    if not raw.startswith(b"PK"):
        raise ProjectError("weights.npz is damaged (it is not a NumPy .npz archive)")
    if needed is None:
        try:
            with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
                return {key: npz[key] for key in npz.files}
        except ValueError as exc:
            if "pickle" in str(exc).lower():
                raise ProjectError("weights.npz holds Python objects, not numbers: refusing to load "
                                   "it") from None
            raise ProjectError(f"weights.npz is damaged ({exc})") from None
        except (OSError, EOFError, zipfile.BadZipFile, KeyError, zlib.error) as exc:
            raise ProjectError(f"weights.npz is damaged ({exc})") from None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as npz:
            return {_array_key(info.filename): _read_array(npz, info, needed)
                    for info in npz.infolist()}
    except ProjectError:
        raise
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, zlib.error, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise ProjectError(f"weights.npz is damaged ({exc})") from None


def _array_key(filename: str) -> str:
    return filename[:-4] if filename.endswith(".npy") else filename


def _read_array(npz: zipfile.ZipFile, info: zipfile.ZipInfo, needed) -> np.ndarray:
    key = _array_key(info.filename)
    if key not in needed:
        raise ProjectError(f"the file has weights for '{key[:60]}', which this network does not have")
    with npz.open(info) as stream:
        version = np.lib.format.read_magic(stream)
        if version not in ((1, 0), (2, 0), (3, 0)):
            raise ProjectError(f"weights for '{key}' are damaged (unknown .npy version {version})")
        header = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version, np.lib.format.read_array_header_2_0)
        try:
            shape, fortran, dtype = header(stream, max_header_size=10_000)
        except ValueError as exc:
            if "pickle" in str(exc).lower() or "object" in str(exc).lower():
                raise ProjectError("weights.npz holds Python objects, not numbers: refusing to load "
                                   "it") from None
            raise
        if dtype.hasobject:
            raise ProjectError("weights.npz holds Python objects, not numbers: refusing to load it")
        if tuple(shape) != needed[key]:
            raise ProjectError(f"weights for '{key}' have shape {tuple(shape)} but the network needs "
                               f"{needed[key]}")
        if dtype.kind not in "fiu" or dtype.itemsize > 8:
            raise ProjectError(f"weights for '{key}' are not numbers of a usable kind ({dtype})")
        nbytes = math.prod(shape) * dtype.itemsize
        data = stream.read(nbytes + 1)
    if len(data) != nbytes:
        raise ProjectError(f"weights for '{key}' are damaged ({len(data):,} bytes of data where "
                           f"{nbytes:,} belong)")
    array = np.frombuffer(data, dtype)
    return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)


def check_weights(weights: dict[str, np.ndarray], spec: dict,
                  needed: dict[str, tuple[int, ...]] | None = None) -> dict[str, np.ndarray]:
    """The weights, checked against the network ``spec`` builds: same names, shapes, finite numbers."""
    needed = weight_shapes(spec) if needed is None else needed
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
    """Rows of history.csv back to dicts; empty cells are left out, epoch and step are ints.
    At most MAX_HISTORY_ROWS rows are read (the rows are counted as they are parsed)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            return []
        if len(set(header)) != len(header):
            raise ProjectError("history.csv names a column twice")
        rows = []
        for line, cells in enumerate(reader, start=2):
            if len(rows) >= MAX_HISTORY_ROWS:
                raise ProjectError(f"history.csv has more than {MAX_HISTORY_ROWS:,} rows; a project's "
                                   f"training history holds at most {MAX_HISTORY_ROWS:,}")
            rows.append(_history_row(header, cells, line))
    except csv.Error as exc:
        raise ProjectError(f"history.csv is not a readable CSV file ({exc})") from None
    return check_history(rows)


def _history_row(header: list[str], cells: list[str], line: int) -> dict:
    if len(cells) != len(header):
        raise ProjectError(f"history.csv line {line} has {len(cells)} values, not {len(header)}")
    row = {}
    for key, cell in zip(header, cells):
        if cell == "":
            continue
        try:
            value = float(cell)
        except ValueError:
            raise ProjectError(f"history.csv line {line}: '{key[:40]}' is not a number ({cell[:20]!r})") \
                from None
        row[key] = int(value) if key in ("epoch", "step", "mistakes") and math.isfinite(value) \
            and value.is_integer() else value
    return row


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
