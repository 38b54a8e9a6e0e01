"""Fuzzing the loader: whatever the bytes, the answer is a Project or a ProjectError."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from playground.engine import Network
from playground.project import Project, ProjectError
from playground.project.projectfile import _members, project_from_bytes

SPEC = {"format": "playground-network", "version": 1, "input_shape": [2],
        "layers": [{"type": "dense", "units": 3, "activation": "tanh"},
                   {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD = _members(Project(network=SPEC, dataset={"name": "xor"},
                        weights=Network.from_spec(SPEC).get_weights(),
                        history=[{"epoch": 1, "step": 5, "train_loss": 0.5}]))
GOOD_FILE = zip_bytes(GOOD)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(data: bytes):
    try:
        return project_from_bytes(data)
    except ProjectError as exc:
        assert str(exc)                 # a message, never an empty error
        return exc


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    assert isinstance(outcome(data), ProjectError) or isinstance(outcome(data), Project)


@FUZZ
@given(st.integers(0, len(GOOD_FILE)))
def test_truncated_zip(cut):
    result = outcome(GOOD_FILE[:cut])
    assert isinstance(result, (Project, ProjectError))
    if cut < len(GOOD_FILE) - 22:       # without its end record a zip cannot be opened
        assert isinstance(result, ProjectError)


@FUZZ
@given(st.integers(0, len(GOOD_FILE) - 1), st.integers(0, 255))
def test_flipped_byte(position, value):
    damaged = bytearray(GOOD_FILE)
    damaged[position] = value
    assert isinstance(outcome(bytes(damaged)), (Project, ProjectError))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


@FUZZ
@given(st.sampled_from(["network", "dataset", "features", "training", "view", "title", "version",
                        "format", "description"]), JSON_VALUES)
def test_wrong_types_in_project_json(key, value):
    data = json.loads(GOOD["project.json"])
    data[key] = value
    members = {**GOOD, "project.json": json.dumps(data).encode()}
    assert isinstance(outcome(zip_bytes(members)), (Project, ProjectError))


@FUZZ
@given(st.sampled_from(["optimizer", "loss", "batch_size", "rule", "seed", "reg_rate", "regularization"]),
       JSON_VALUES)
def test_wrong_types_in_training_settings(key, value):
    data = json.loads(GOOD["project.json"])
    data["training"][key] = value
    members = {**GOOD, "project.json": json.dumps(data).encode()}
    assert isinstance(outcome(zip_bytes(members)), (Project, ProjectError))


@FUZZ
@given(st.text(max_size=300))
def test_broken_json_and_history(text):
    for name in ("project.json", "history.csv"):
        members = {**GOOD, name: text.encode("utf-8")}
        assert isinstance(outcome(zip_bytes(members)), (Project, ProjectError))


@FUZZ
@given(st.dictionaries(st.text(min_size=1, max_size=6), st.integers(0, 3), max_size=3),
       st.sampled_from(["int8", "float64", "complex64", "U3", "bool"]))
def test_arbitrary_weight_files(shapes, dtype):
    buffer = io.BytesIO()
    # written member by member: np.savez takes names as keywords and refuses 'file'
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, n in shapes.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, np.zeros((n, 2), dtype=dtype))
    members = {**GOOD, "weights.npz": buffer.getvalue()}
    assert isinstance(outcome(zip_bytes(members)), ProjectError)


def test_zip_with_a_directory_named_project_json():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.json/", b"")
    assert isinstance(outcome(buffer.getvalue()), ProjectError)
