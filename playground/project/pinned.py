"""Pinned runs: a finished (or paused) run kept as a baseline beside the current one.

A ``PinnedRun`` holds the settings it was trained with (training settings, network spec, dataset
recipe, features), its history, and for 2-D data its decision map. Its label says what differs
from the current settings (``run_diff``). In a .nnplay file the runs are pinned.json (settings
and histories) and pinned_maps.npz (the maps); reading checks both like the rest of the file.
"""
from __future__ import annotations

import copy
import io
import json
import zipfile
from dataclasses import dataclass, field

import numpy as np

from .project import (Project, ProjectError, check_features, check_history, check_network,
                      check_recipe, check_training, json_kind)
from .run_diff import SAME, difference

MAX_PINNED = 6
MAX_ROWS = 5000                 #: history rows per pinned run (a trainer keeps at most 2,000)
MAX_NAME = 60
MAX_MAP_SIDE = 400              #: the decision map's pixels per side (the grid's own limit)
MAX_MAP_OUTPUTS = 16
FORMAT = "playground-pinned"
VERSION = 1


@dataclass
class PinnedRun:
    """``name`` ("run 1") stays; the label is worked out against the current settings."""

    name: str
    training: dict
    network: dict
    dataset: dict
    features: list
    history: list = field(default_factory=list)
    map: np.ndarray | None = None           # (outputs, R, R), row 0 the top of the plane

    def settings(self) -> dict:
        return {"training": self.training, "network": self.network, "dataset": self.dataset,
                "features": self.features}

    def label(self, current: Project) -> str:
        """"batch 1", "He init", "Adam lr 0.01": what this run had that the current one has not."""
        diff = difference(self.settings(), settings_of(current))
        return f"{self.name}: {diff}" if diff == SAME else diff

    def copy(self) -> "PinnedRun":
        return PinnedRun(self.name, copy.deepcopy(self.training), copy.deepcopy(self.network),
                         copy.deepcopy(self.dataset), list(self.features),
                         [dict(r) for r in self.history], None if self.map is None else self.map.copy())


def settings_of(project: Project) -> dict:
    return {"training": project.training.to_dict(), "network": project.network,
            "dataset": project.dataset, "features": list(project.features)}


def pin(project: Project, history: list[dict], decision_map: np.ndarray | None,
        taken: list[PinnedRun]) -> PinnedRun:
    """A pinned copy of the current run, named "run k" after the names already taken."""
    used = {run.name for run in taken}
    k = 1
    while f"run {k}" in used:
        k += 1
    rows = [dict(r) for r in history][-MAX_ROWS:]
    s = settings_of(project)
    return PinnedRun(f"run {k}", copy.deepcopy(s["training"]), copy.deepcopy(s["network"]),
                     copy.deepcopy(s["dataset"]), list(s["features"]), rows,
                     None if decision_map is None else np.array(decision_map, np.float32))


# -- the file ---------------------------------------------------------------------------------------
def pinned_to_bytes(runs: list[PinnedRun]) -> tuple[bytes, bytes | None]:
    """(pinned.json, pinned_maps.npz or None)."""
    data = {"format": FORMAT, "version": VERSION, "runs": [
        {"name": r.name, **copy.deepcopy(r.settings()), "history": r.history} for r in runs]}
    maps = {f"run{i}": r.map for i, r in enumerate(runs) if r.map is not None}
    raw_maps = None
    if maps:
        buffer = io.BytesIO()
        np.savez(buffer, **maps)
        raw_maps = buffer.getvalue()
    return json.dumps(data).encode("utf-8"), raw_maps


def pinned_from_bytes(raw: bytes, raw_maps: bytes | None) -> list[PinnedRun]:
    """The pinned runs of a project file; anything wrong raises ``ProjectError`` saying what."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise ProjectError(f"pinned.json (the pinned runs) is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProjectError("pinned.json is not a list of pinned runs (its format is wrong)")
    if data.get("version") != VERSION:
        raise ProjectError(f"pinned.json has an unknown version {data.get('version')!r} "
                           f"(expected {VERSION})")
    runs = data.get("runs")
    if not isinstance(runs, list):
        raise ProjectError(f"pinned.json's 'runs' must be a list, not {json_kind(runs)}")
    if len(runs) > MAX_PINNED:
        raise ProjectError(f"the project has {len(runs)} pinned runs; at most {MAX_PINNED} can be pinned")
    out = [_run(item, i + 1) for i, item in enumerate(runs)]
    if len({r.name for r in out}) != len(out):
        raise ProjectError("two pinned runs have the same name")
    maps = _maps(raw_maps, len(out)) if raw_maps is not None else {}
    for i, run in enumerate(out):
        run.map = maps.get(i)
    return out


def _run(item, number: int) -> PinnedRun:
    where = f"pinned run {number}"
    if not isinstance(item, dict):
        raise ProjectError(f"{where} must be an object, not {json_kind(item)}")
    name = item.get("name")
    if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME:
        raise ProjectError(f"{where} needs a name of 1 to {MAX_NAME} characters")
    where = f"pinned run '{name}'"
    history = item.get("history", [])
    if not isinstance(history, list) or not all(isinstance(r, dict) for r in history):
        raise ProjectError(f"{where}: its history must be a list of records")
    if len(history) > MAX_ROWS:
        raise ProjectError(f"{where}: its history has {len(history):,} rows; at most {MAX_ROWS:,}")
    try:
        training = check_training(item.get("training", {})).to_dict()
        network = check_network(item.get("network"))
        dataset = check_recipe(item.get("dataset"))
        features = check_features(item.get("features", ["x1", "x2"]))
        rows = check_history([dict(r) for r in history])
    except ProjectError as exc:
        raise ProjectError(f"{where}: {exc}") from None
    return PinnedRun(name, training, network, dataset, features, rows)


def _maps(raw: bytes, count: int) -> dict[int, np.ndarray]:
    if not raw.startswith(b"PK"):
        raise ProjectError("pinned_maps.npz is damaged (it is not a NumPy .npz archive)")
    limit = 4 * MAX_MAP_OUTPUTS * MAX_MAP_SIDE ** 2 + 4096
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:   # sizes first: no inflating a bomb
            if any(info.file_size > limit for info in archive.infolist()):
                raise ProjectError("a decision map in pinned_maps.npz is implausibly large: "
                                   "refusing to read it")
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            keys = list(npz.files)
            wanted = {f"run{i}" for i in range(count)}
            strange = [k for k in keys if k not in wanted]
            if strange:
                raise ProjectError(f"pinned_maps.npz has a map '{strange[0][:40]}' for no pinned run")
            maps = {}
            for key in keys:
                value = npz[key]
                ok = (value.ndim == 3 and value.dtype.kind == "f" and 0 < value.shape[0] <= MAX_MAP_OUTPUTS
                      and value.shape[1] == value.shape[2] and 2 <= value.shape[1] <= MAX_MAP_SIDE)
                if not ok:
                    raise ProjectError(f"the decision map of pinned run {int(key[3:]) + 1} has shape "
                                       f"{value.shape}; it must be (outputs, side, side) numbers")
                if not np.isfinite(value).all():
                    raise ProjectError(f"the decision map of pinned run {int(key[3:]) + 1} holds NaN "
                                       f"or infinity")
                maps[int(key[3:])] = value.astype(np.float32)
            return maps
    except ProjectError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        if "pickle" in str(exc).lower():
            raise ProjectError("pinned_maps.npz holds Python objects, not numbers: refusing to load "
                               "it") from None
        raise ProjectError(f"pinned_maps.npz is damaged ({exc})") from None
