"""Fuzzing the loader, each class of change against the outcome it must have: a change that keeps
the file valid opens equal to what was saved (or to what was changed), and one that breaks it gives
a ProjectError whose message names the member or the field. A parser that always raised, or one
that accepted everything, fails these."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
from hypothesis import HealthCheck, example, given, settings, strategies as st

from playground.data.features import FEATURES
from playground.engine import Network, TrainingSettings
from playground.project import Project, ProjectError
from playground.project.projectfile import _members, history_to_csv, project_from_bytes

SPEC = {"format": "playground-network", "version": 1, "input_shape": [2],
        "layers": [{"type": "dense", "units": 3, "activation": "tanh"},
                   {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ORIGINAL = Project(network=Network.from_spec(SPEC).to_spec(), dataset={"name": "xor"},
                   weights=Network.from_spec(SPEC).get_weights(),
                   history=[{"epoch": 1, "step": 5, "train_loss": 0.5}], title="t", description="d")
GOOD = _members(ORIGINAL)
GOOD_FILE = zip_bytes(GOOD)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOT_A_PROJECT = ("This file is not a Playground project (it is not a zip archive)",
                 "This file is not a Playground project (it is not a zip archive, or the archive is damaged)")


def outcome(data: bytes):
    try:
        return project_from_bytes(data)
    except ProjectError as exc:
        return exc


def assert_equal(loaded: Project, expected: Project = ORIGINAL, *, weights=True, history=True):
    assert isinstance(loaded, Project), f"a valid file did not open: {loaded}"
    assert loaded.network == expected.network and loaded.dataset == expected.dataset
    assert loaded.features == expected.features and loaded.training == expected.training
    assert (loaded.view, loaded.title, loaded.description) == \
        (expected.view, expected.title, expected.description)
    if weights:
        assert loaded.weights.keys() == expected.weights.keys()
        for key, value in expected.weights.items():
            np.testing.assert_array_equal(loaded.weights[key], value)
    if history:
        assert loaded.history == expected.history


def assert_refused(result, *words):
    """A ProjectError whose message names one of ``words`` (a member or a field)."""
    assert isinstance(result, ProjectError), f"a broken file opened: {result}"
    message = str(result)
    assert any(w in message for w in words), f"{message!r} names none of {words}"


def test_the_unchanged_file_opens_equal():
    assert_equal(outcome(GOOD_FILE))


@FUZZ
@given(st.binary(max_size=2000).filter(lambda b: not b.startswith(b"PK")))
def test_random_bytes_are_not_a_project(data):
    result = outcome(data)
    assert isinstance(result, ProjectError) and str(result) in NOT_A_PROJECT


@FUZZ
@given(st.integers(0, len(GOOD_FILE)))
@example(len(GOOD_FILE))
def test_a_truncated_file_is_damaged_and_the_whole_one_opens(cut):
    result = outcome(GOOD_FILE[:cut])
    if cut == len(GOOD_FILE):
        assert_equal(result)
    elif cut < len(GOOD_FILE) - 22:      # without its end record a zip cannot be opened
        assert_refused(result, "not a Playground project", "damaged")


@FUZZ
@given(st.integers(0, len(GOOD_FILE) - 1), st.integers(0, 255))
def test_a_flipped_byte_is_caught_or_harmless(position, value):
    damaged = bytearray(GOOD_FILE)
    unchanged = damaged[position] == value
    damaged[position] = value
    result = outcome(bytes(damaged))
    if unchanged:
        assert_equal(result)
    elif isinstance(result, Project):
        # a byte outside the contents (a date, a comment length, a renamed optional member):
        # what opens is what was saved, at most without an optional member
        assert_equal(result, weights=result.weights is not None, history=bool(result.history))
    else:
        assert_refused(result, "zip", "damaged", "project.json", "weights", "history",
                       "not a Playground project")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)

#: each top-level field: (a test of validity, the words its errors use, how it shows in a Project)
FIELDS = {
    "title": (lambda v: isinstance(v, str), ("title",), lambda p: p.title),
    "description": (lambda v: isinstance(v, str), ("description",), lambda p: p.description),
    "view": (lambda v: isinstance(v, dict), ("view",), lambda p: p.view),
    "features": (lambda v: isinstance(v, list) and all(isinstance(f, str) and f in FEATURES for f in v)
                 and len(set(v)) == len(v), ("feature",), lambda p: p.features),
    "format": (lambda v: v == "playground-project", ("format",), None),
    "version": (lambda v: v == 1, ("version",), None),
    "network": (lambda v: False, ("network",), None),
    "dataset": (lambda v: isinstance(v, dict) and v.get("name") == "xor" and set(v) == {"name"},
                ("dataset",), lambda p: p.dataset),
}


def _with_json(change) -> bytes:
    data = json.loads(GOOD["project.json"])
    change(data)
    return zip_bytes({**GOOD, "project.json": json.dumps(data).encode()})


@FUZZ
@given(st.sampled_from(sorted(FIELDS)), JSON_VALUES)
@example("title", "A new title")
@example("features", ["x1", "x2", "x1x2"])
@example("view", {"show_test": False})
@example("description", None)
@example("network", [1])
def test_a_changed_field_opens_changed_or_is_named(key, value):
    valid, words, shown = FIELDS[key]
    result = outcome(_with_json(lambda d: d.__setitem__(key, value)))
    if valid(value):
        assert isinstance(result, Project), f"{key}={value!r} was refused: {result}"
        if shown is not None:
            assert shown(result) == value
    else:
        assert_refused(result, *words)


TRAINING_WORDS = {"optimizer": "optimizer", "loss": "loss", "batch_size": "batch size",
                  "rule": "learning rule", "seed": "seed", "reg_rate": "regularization rate",
                  "regularization": "regularization"}


@FUZZ
@given(st.sampled_from(sorted(TRAINING_WORDS)), JSON_VALUES | st.integers(0, 100) | st.sampled_from(
    ["mse", "bce", "l1", "l2", "none", "full", "perceptron", "adam"]))
@example("seed", 12)
@example("batch_size", "full")
@example("loss", "mse")
def test_a_changed_training_setting_opens_changed_or_is_named(key, value):
    training = {**json.loads(GOOD["project.json"])["training"], key: value}
    try:
        expected = TrainingSettings.from_dict(json.loads(json.dumps(training)))
    except (TypeError, ValueError):
        expected = None
    result = outcome(_with_json(lambda d: d.__setitem__("training", training)))
    if expected is None:
        assert_refused(result, TRAINING_WORDS[key])
        assert "training settings" in str(result)
    else:
        assert isinstance(result, Project), f"{key}={value!r} was refused: {result}"
        assert result.training == expected


@FUZZ
@given(st.text(max_size=300))
def test_broken_project_json_is_named(text):
    result = outcome(zip_bytes({**GOOD, "project.json": text.encode("utf-8")}))
    assert_refused(result, "project.json", "format")


@FUZZ
@given(st.text(max_size=300) | st.lists(st.tuples(st.integers(0, 9), st.integers(0, 99),
                                                  st.floats(allow_nan=False, allow_infinity=False)),
                                        max_size=5).map(
    lambda rows: "epoch,step,train_loss\n" + "".join(f"{e},{s},{x!r}\n" for e, s, x in rows)))
@example("")
@example("epoch,step,train_loss\n1,5,0.5\n2,10,0.25\n")
def test_a_history_opens_as_written_or_is_named(text):
    result = outcome(zip_bytes({**GOOD, "history.csv": text.encode("utf-8")}))
    if isinstance(result, Project):
        assert_equal(result, history=False)
        # what was read is what the text says: written back, it reads the same
        again = outcome(zip_bytes({**GOOD, "history.csv": history_to_csv(result.history).encode()}))
        assert again.history == result.history
        if text.startswith("epoch,step,train_loss\n"):
            assert len(result.history) == text.count("\n") - 1
    else:
        assert_refused(result, "history")


@FUZZ
@given(st.sampled_from(["float32", "float64", "int8", "int16", "uint8", "complex64", "U3", "bool"]),
       st.sampled_from(["dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias"]),
       st.sampled_from(["same", "transposed", "extra row", "renamed", "missing"]))
def test_weights_open_when_they_fit_and_are_named_when_not(dtype, key, change):
    arrays = {k: np.asarray(v) for k, v in ORIGINAL.weights.items()}
    target = arrays[key] = (arrays[key] * (0 if dtype == "bool" else 1)).astype(dtype)
    if change == "transposed" and target.ndim == 2:
        arrays[key] = target.T
    elif change == "extra row":
        arrays[key] = np.concatenate([target, target[:1]])
    elif change == "renamed":
        arrays["dense9.weight"] = arrays.pop(key)
    elif change == "missing":
        del arrays[key]
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    result = outcome(zip_bytes({**GOOD, "weights.npz": buffer.getvalue()}))
    fits = (change == "same" or (change == "transposed" and target.ndim == 1)) \
        and dtype in ("float32", "float64", "int8", "int16", "uint8")
    if fits:
        expected = {k: np.asarray(v).astype(np.float32) for k, v in arrays.items()}
        assert isinstance(result, Project), f"weights that fit were refused: {result}"
        for k, v in expected.items():
            np.testing.assert_array_equal(result.weights[k], v)
    else:
        assert_refused(result, key, "dense9.weight")


def test_zip_with_a_directory_named_project_json():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.json/", b"")
    assert_refused(outcome(buffer.getvalue()), "project.json")
