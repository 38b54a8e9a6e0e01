"""The timeline inside a .nnplay ("Save with timeline"): timeline.json and timeline.npz.

timeline.json lists the moments (step, epoch, losses, metrics, and the trainer state's numbers:
optimizer settings and step count, the random generators' states, the position in the epoch);
timeline.npz holds their arrays under "<moment>|<group>|<name>". The grid's and the probes'
inputs, the same at every moment, are stored once. A moment's history is not stored: it is the
project's history up to that step. Reading checks every field and raises ``ProjectError``.
"""
from __future__ import annotations

import io
import json
import math

import numpy as np

from playground.engine.snapshot import Snapshot
from playground.engine.timeline import Moment
from playground.engine.trainer_state import TrainerState

from .project import ProjectError

TIMELINE_JSON, TIMELINE_NPZ = "timeline.json", "timeline.npz"
MAX_MOMENTS = 5000
MAX_TIMELINE_JSON = 32 * 1024 * 1024
GROUPS = ("weights", "gradients", "grid_outputs", "probe_activations", "pool_argmax")
SHARED = ("grid_inputs", "probe_inputs")


def _float(v) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def timeline_members(moments: list[Moment]) -> dict[str, bytes]:
    """The two members that hold ``moments``."""
    arrays: dict[str, np.ndarray] = {}
    entries = []
    shared = {name: None for name in SHARED}
    for i, m in enumerate(moments):
        s, st = m.snapshot, m.state
        for group in GROUPS:
            for key, value in getattr(s, group).items():
                arrays[f"{i}|{group}|{key}"] = np.asarray(value)
        uses = {}
        for name in SHARED:
            value = getattr(s, name)
            if value is None:
                continue
            if shared[name] is None:
                shared[name] = value
                arrays[f"shared|{name}"] = np.asarray(value)
            if value is shared[name] or np.array_equal(value, shared[name]):
                uses[name] = "shared"
            else:
                arrays[f"{i}|{name}|-"] = np.asarray(value)
                uses[name] = "own"
        entry = {"step": s.step, "epoch": s.epoch, "train_loss": _float(s.train_loss),
                 "test_loss": _float(s.test_loss),
                 "metrics": {k: _float(v) for k, v in s.metrics.items()},
                 "grad_norms": {k: _float(v) for k, v in s.grad_norms.items()},
                 "rule": s.rule, "inputs": uses, "state": None}
        if st is not None:
            arrays[f"{i}|state|params"] = st.params
            arrays[f"{i}|state|order"] = st.order
            for key, value in st.buffers.items():
                arrays[f"{i}|buffers|{key}"] = value
            for name, slots in st.optimizer_slots.items():
                for slot, value in slots.items():
                    arrays[f"{i}|slot|{name}|{slot}"] = value
            watch = {}
            for key, value in st.watch.items():
                if isinstance(value, np.ndarray):
                    arrays[f"{i}|watch|{key}"] = value
                else:
                    watch[key] = value
            entry["state"] = {
                "step": st.step, "epoch": st.epoch, "optimizer_type": st.optimizer_type,
                "optimizer_config": st.optimizer_config, "optimizer_t": st.optimizer_t,
                "rng": st.rng, "net_rng": st.net_rng, "cursor": st.cursor,
                "epoch_loss": st.epoch_loss, "epoch_batches": st.epoch_batches,
                "epoch_mistakes": st.epoch_mistakes, "last_loss": st.last_loss,
                "buffers": sorted(st.buffers),
                "slots": {name: sorted(slots) for name, slots in st.optimizer_slots.items()},
                "watch": watch}
        entries.append(entry)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    text = json.dumps({"moments": entries}, allow_nan=True)
    return {TIMELINE_JSON: text.encode("utf-8"), TIMELINE_NPZ: buffer.getvalue()}


def _need(condition: bool, what: str) -> None:
    if not condition:
        raise ProjectError(f"The project's timeline is damaged: {what}")


def _array(arrays: dict, key: str) -> np.ndarray:
    _need(key in arrays, f"timeline.npz has no array '{key[:80]}'")
    value = arrays[key]
    _need(value.dtype.kind in "fiub", f"'{key[:80]}' is not numbers")
    return value


def _nan(v) -> float:
    return float("nan") if v is None else float(v)


def timeline_from_members(text: str, arrays: dict[str, np.ndarray],
                          history: list[dict]) -> list[Moment]:
    """The moments of a saved timeline; ``history``: the project's (each moment's curves)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, ValueError, RecursionError):
        raise ProjectError("The project's timeline is damaged: timeline.json is not JSON") from None
    _need(isinstance(data, dict) and isinstance(data.get("moments"), list), "no list of moments")
    entries = data["moments"]
    _need(len(entries) <= MAX_MOMENTS, f"more than {MAX_MOMENTS:,} moments")
    groups: dict[tuple[int, str], dict[str, np.ndarray]] = {}
    for key, value in arrays.items():
        parts = key.split("|", 2)
        if len(parts) == 3 and parts[0].isdigit():
            groups.setdefault((int(parts[0]), parts[1]), {})[parts[2]] = value
    moments, last = [], -1
    for i, e in enumerate(entries):
        try:
            moments.append(_moment(i, e, arrays, groups, history))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ProjectError(f"The project's timeline is damaged: moment {i} ({exc})") from None
        _need(moments[-1].step > last, "its moments are not in order of step")
        last = moments[-1].step
    return moments


def _moment(i, e, arrays, groups, history) -> Moment:
    step = int(e["step"])
    snap = Snapshot(step=step, epoch=int(e["epoch"]), train_loss=_nan(e["train_loss"]),
                    test_loss=_nan(e["test_loss"]), rule=str(e.get("rule", "backprop")),
                    metrics={str(k): _nan(v) for k, v in dict(e["metrics"]).items()},
                    grad_norms={str(k): _nan(v) for k, v in dict(e["grad_norms"]).items()})
    for group in GROUPS:
        values = groups.get((i, group), {})
        for key, value in values.items():
            _need(value.dtype.kind in "fiub", f"'{key[:80]}' is not numbers")
        setattr(snap, group, dict(values))
    for name, use in dict(e.get("inputs", {})).items():
        _need(name in SHARED and use in ("shared", "own"), f"unknown input '{str(name)[:40]}'")
        setattr(snap, name, _array(arrays, f"shared|{name}" if use == "shared" else f"{i}|{name}|-"))
    st = e.get("state")
    state = None
    if st is not None:
        watch = dict(st["watch"])
        watch.update(groups.get((i, "watch"), {}))
        slots = {name: {slot: _array(arrays, f"{i}|slot|{name}|{slot}") for slot in names}
                 for name, names in dict(st["slots"]).items()}
        state = TrainerState(
            step=int(st["step"]), epoch=int(st["epoch"]),
            params=_array(arrays, f"{i}|state|params"),
            buffers={k: _array(arrays, f"{i}|buffers|{k}") for k in st["buffers"]},
            optimizer_type=str(st["optimizer_type"]), optimizer_config=dict(st["optimizer_config"]),
            optimizer_t=int(st["optimizer_t"]), optimizer_slots=slots,
            rng=dict(st["rng"]), net_rng=dict(st["net_rng"]),
            order=_array(arrays, f"{i}|state|order"), cursor=int(st["cursor"]),
            epoch_loss=float(st["epoch_loss"]), epoch_batches=int(st["epoch_batches"]),
            epoch_mistakes=int(st["epoch_mistakes"]), last_loss=_nan(st["last_loss"]),
            history=[r for r in history if r.get("step", 0) <= step], watch=watch)
        _need(state.order.ndim == 1 and state.order.dtype.kind in "iu", "a bad batch order")
    return Moment(snap, state)
