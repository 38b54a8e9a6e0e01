"""Pinned runs: labels that say what differs, and their place in the .nnplay file (round trip,
limits, clear messages for bad files)."""
from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from playground.engine import TrainingSettings, optimizer_config
from playground.project import ProjectError, load_example, load_project, save_project
from playground.project import projectfile
from playground.project.pinned import MAX_PINNED, PinnedRun, pin, pinned_to_bytes
from playground.project.run_diff import SAME, difference

from playground.engine import Network
from playground.project import Project

SPEC = {"format": "playground-network", "version": 1, "input_shape": [2],
        "layers": [{"type": "dense", "units": 8, "activation": "tanh"},
                   {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def make_project() -> Project:
    net = Network.from_spec(SPEC, seed=3)
    history = [{"epoch": 1, "step": 25, "train_loss": 0.69, "examples": 250, "seconds": 0.01},
               {"epoch": 2, "step": 50, "train_loss": 0.5, "examples": 500, "seconds": 0.02}]
    return Project(network=net.to_spec(), dataset={"name": "spiral"}, features=["x1", "x2"],
                   training=TrainingSettings(optimizer=optimizer_config("adam", lr=0.02)),
                   weights=net.get_weights(), history=history)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def members_of(project: Project) -> dict[str, bytes]:
    return projectfile._members(project)


def _settings(project):
    return {"training": project.training.to_dict(), "network": project.network,
            "dataset": project.dataset, "features": project.features}


def _variant(change):
    project = load_example("spiral")
    base = _settings(project)
    other = copy.deepcopy(base)
    change(other)
    return difference(other, base)


@pytest.mark.parametrize("change, label", [
    (lambda s: s["training"].update(batch_size=1), "batch 1"),
    (lambda s: s["training"].update(batch_size="full"), "full batch"),
    (lambda s: s["training"].update(optimizer=optimizer_config("adam", lr=0.01)), "lr 0.01"),
    (lambda s: s["training"].update(optimizer=optimizer_config("sgd", lr=0.1)), "SGD lr 0.1"),
    (lambda s: s["training"].update(optimizer=optimizer_config("adam", lr=0.02, amsgrad=True)),
     "AMSGrad lr 0.02"),
    (lambda s: [layer.update(init="he") for layer in s["network"]["layers"][:-1]], "He init"),
    (lambda s: [layer.update(activation="relu") for layer in s["network"]["layers"][:-1]], "ReLU"),
    (lambda s: s["network"]["layers"].pop(0), "1 hidden layer"),
    (lambda s: s["training"].update(seed=3), "seed 3"),
    (lambda s: s.update(features=["x1", "x2", "sin_x1"]), "features x1, x2, sin_x1"),
    (lambda s: (s["training"].update(batch_size=1, seed=2),
                [layer.update(init="he") for layer in s["network"]["layers"][:-1]]),
     "batch 1, seed 2, He init"),
    (lambda s: None, SAME),
])
def test_a_label_says_what_differs(change, label):
    assert _variant(change) == label


def _pinned_project():
    project = make_project()
    other = copy.deepcopy(project)
    other.training = TrainingSettings(optimizer=optimizer_config("sgd", lr=0.1), batch_size=1)
    first = pin(other, project.history, np.linspace(0, 1, 2 * 12 * 12, dtype=np.float32)
                .reshape(2, 12, 12), [])
    second = pin(project, project.history[:1], None, [first])
    project.pinned = [first, second]
    return project


def test_pinned_runs_round_trip_with_their_maps_and_labels(tmp_path):
    project = _pinned_project()
    path = tmp_path / "p.nnplay"
    save_project(project, path)
    loaded = load_project(path)
    assert [r.name for r in loaded.pinned] == ["run 1", "run 2"]
    for a, b in zip(loaded.pinned, project.pinned):
        assert (a.training, a.network, a.dataset, a.features, a.history) == \
            (b.training, b.network, b.dataset, b.features, b.history)
    np.testing.assert_array_equal(loaded.pinned[0].map, project.pinned[0].map)
    assert loaded.pinned[1].map is None
    assert loaded.pinned[0].label(loaded) == "SGD lr 0.1, batch 1"
    assert loaded.pinned[1].label(loaded) == "run 2: same settings"
    # a project without pinned runs writes no pinned members (older files stay as they were)
    project.pinned = []
    assert projectfile.PINNED not in members_of(project)


def _with_pinned(edit=None, maps_edit=None):
    project = _pinned_project()
    members = members_of(project)
    data = json.loads(members[projectfile.PINNED])
    if edit:
        edit(data)
    members[projectfile.PINNED] = json.dumps(data).encode()
    if maps_edit:
        maps_edit(members)
    return zip_bytes(members)


@pytest.mark.parametrize("edit, words", [
    (lambda d: d["runs"].extend(copy.deepcopy(d["runs"][0]) for _ in range(MAX_PINNED)),
     "at most 6 can be pinned"),
    (lambda d: d["runs"][1].update(name=d["runs"][0]["name"]), "same name"),
    (lambda d: d["runs"][0]["training"].update(batch_size=0), "pinned run 'run 1': the training"),
    (lambda d: d["runs"][1]["network"]["layers"][0].update(units=-2), "pinned run 'run 2': the network"),
    (lambda d: d["runs"][0]["history"].append({"epoch": "x", "step": 1}), "history"),
    (lambda d: d["runs"][0].update(history={"epoch": 1}), "list of records"),
    (lambda d: d.update(version=7), "unknown version 7"),
    (lambda d: d.update(runs="all"), "'runs' must be a list"),
])
def test_bad_pinned_runs_are_refused_in_words(edit, words):
    with pytest.raises(ProjectError, match=words):
        projectfile.project_from_bytes(_with_pinned(edit))


def test_a_bad_pinned_map_is_refused_in_words():
    import io

    def wrong_shape(members):
        buffer = io.BytesIO()
        np.savez(buffer, run0=np.zeros((2, 12, 7), np.float32))
        members[projectfile.PINNED_MAPS] = buffer.getvalue()

    def nan_map(members):
        buffer = io.BytesIO()
        np.savez(buffer, run0=np.full((1, 12, 12), np.nan, np.float32))
        members[projectfile.PINNED_MAPS] = buffer.getvalue()

    with pytest.raises(ProjectError, match=r"pinned run 1 has shape \(2, 12, 7\)"):
        projectfile.project_from_bytes(_with_pinned(maps_edit=wrong_shape))
    with pytest.raises(ProjectError, match="NaN"):
        projectfile.project_from_bytes(_with_pinned(maps_edit=nan_map))
    with pytest.raises(ProjectError, match="pinned.json .* is not valid JSON"):
        members = members_of(_pinned_project())
        members[projectfile.PINNED] = b"{not json"
        projectfile.project_from_bytes(zip_bytes(members))
