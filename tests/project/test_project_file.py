"""The .nnplay file: round-trips, atomic saving, and clear errors for files that are wrong."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from playground.engine import Network, TrainingSettings, optimizer_config
from playground.project import (Project, ProjectError, load_project, load_project_or_spec,
                                save_project)
from playground.project import projectfile

SPEC = {"format": "playground-network", "version": 1, "input_shape": [2],
        "layers": [{"type": "dense", "units": 8, "activation": "tanh"},
                   {"type": "dense", "units": 1, "activation": "sigmoid"}]}


def make_project(trained: bool = True) -> Project:
    net = Network.from_spec(SPEC, seed=3)
    settings = TrainingSettings(optimizer=optimizer_config("adam", lr=0.02, amsgrad=True),
                                regularization="l2", reg_rate=0.001, batch_size="full", seed=7)
    history = [{"epoch": 1, "step": 25, "train_loss": 0.69, "test_loss": 0.7, "train_accuracy": 0.5},
               {"epoch": 2, "step": 50, "train_loss": 0.5, "test_loss": 0.55, "train_accuracy": 0.75}]
    return Project(network=net.to_spec(), dataset={"name": "spiral", "noise": 0.1,
                                                   "painted": [[1.0, 2.0, 1]]},
                   features=["x1", "x2"], training=settings, view={"show_test": True},
                   weights=net.get_weights() if trained else None,
                   history=history if trained else [], title="My spiral", description="hello")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def members_of(project: Project) -> dict[str, bytes]:
    return projectfile._members(project)


def test_round_trip_keeps_everything(tmp_path):
    project = make_project()
    path = tmp_path / "a.nnplay"
    save_project(project, path)
    loaded = load_project(path)
    assert loaded.network == project.network
    assert loaded.dataset == project.dataset
    assert loaded.features == project.features
    assert loaded.training == project.training
    assert loaded.view == project.view
    assert (loaded.title, loaded.description) == ("My spiral", "hello")
    assert loaded.weights.keys() == project.weights.keys()
    for key, value in project.weights.items():
        np.testing.assert_array_equal(loaded.weights[key], value)
    assert loaded.history == project.history
    assert isinstance(loaded.history[0]["epoch"], int)


def test_untrained_project_has_no_weights_or_history(tmp_path):
    path = tmp_path / "b.nnplay"
    save_project(make_project(trained=False), path)
    loaded = load_project(path)
    assert loaded.weights is None and loaded.history == []
    assert set(zipfile.ZipFile(path).namelist()) == {"project.json"}


def test_failed_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "c.nnplay"
    save_project(make_project(), path)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(projectfile.os, "fsync", broken_fsync)
    changed = make_project()
    changed.title = "changed"
    with pytest.raises(ProjectError, match="No space left"):
        save_project(changed, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.nnplay"]   # no temporary file left


def test_save_into_a_missing_folder_is_a_project_error(tmp_path):
    with pytest.raises(ProjectError):
        save_project(make_project(), tmp_path / "nope" / "d.nnplay")


def write(tmp_path, data: bytes):
    path = tmp_path / "bad.nnplay"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("mutate, message", [
    (lambda m: m.update({"project.json": b"{not json"}), "not valid JSON"),
    (lambda m: m.pop("project.json"), "no project.json"),
    (lambda m: m.update({"project.json": json.dumps(
        {**json.loads(m["project.json"]), "format": "other"}).encode()}), "not a Playground project"),
    (lambda m: m.update({"project.json": json.dumps(
        {**json.loads(m["project.json"]), "version": 9}).encode()}), "newer Playground"),
    (lambda m: m.update({"project.json": json.dumps(
        {**json.loads(m["project.json"]), "dataset": {"name": "nosuchset"}}).encode()}),
     "unknown dataset 'nosuchset'"),
    (lambda m: m.update({"project.json": json.dumps(
        {**json.loads(m["project.json"]), "features": ["x3"]}).encode()}), "unknown input feature"),
    (lambda m: m.update({"history.csv": b"epoch,step,train_loss\n1,10,abc\n"}), "not a number"),
    (lambda m: m.update({"history.csv": b"step,train_loss\n10,0.5\n"}), "whole-number 'epoch'"),
    (lambda m: m.update({"weights.npz": b"garbage"}), "weights.npz is damaged"),
])
def test_bad_members_give_clear_errors(tmp_path, mutate, message):
    members = members_of(make_project())
    mutate(members)
    with pytest.raises(ProjectError, match=message):
        load_project(write(tmp_path, zip_bytes(members)))


def test_not_a_zip(tmp_path):
    with pytest.raises(ProjectError, match=r"not a Playground project \(it is not a zip archive\)"):
        load_project(write(tmp_path, b"hello world"))


def test_missing_file(tmp_path):
    with pytest.raises(ProjectError, match="could not open"):
        load_project(tmp_path / "missing.nnplay")


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_weights_of_the_wrong_shape_are_named(tmp_path):
    project = make_project()
    weights = dict(project.weights)
    weights["dense1.weight"] = np.zeros((8, 3), np.float32)
    members = members_of(project)
    members["weights.npz"] = npz(**weights)
    with pytest.raises(ProjectError, match=r"weights for 'dense1.weight' have shape \(8, 3\) but the "
                                           r"network needs \(8, 2\)"):
        load_project(write(tmp_path, zip_bytes(members)))


def test_missing_and_extra_weights_and_nan(tmp_path):
    project = make_project()
    members = members_of(project)
    weights = dict(project.weights)
    del weights["dense2.bias"]
    members["weights.npz"] = npz(**weights)
    with pytest.raises(ProjectError, match="no weights for 'dense2.bias'"):
        load_project(write(tmp_path, zip_bytes(members)))
    members["weights.npz"] = npz(**project.weights, **{"dense9.weight": np.zeros(2)})
    with pytest.raises(ProjectError, match="'dense9.weight', which this network does not have"):
        load_project(write(tmp_path, zip_bytes(members)))
    weights = dict(project.weights)
    weights["dense1.bias"] = np.full(8, np.nan, np.float32)
    members["weights.npz"] = npz(**weights)
    with pytest.raises(ProjectError, match="NaN"):
        load_project(write(tmp_path, zip_bytes(members)))


def test_pickled_weights_are_refused(tmp_path):
    members = members_of(make_project())
    members["weights.npz"] = npz(**{"dense1.weight": np.array([{"evil": 1}], dtype=object)})
    with pytest.raises(ProjectError, match="Python objects"):
        load_project(write(tmp_path, zip_bytes(members)))


def test_network_that_does_not_build(tmp_path):
    members = members_of(make_project(trained=False))
    data = json.loads(members["project.json"])
    data["network"]["layers"][0]["units"] = -3
    members["project.json"] = json.dumps(data).encode()
    with pytest.raises(ProjectError, match="the network does not build"):
        load_project(write(tmp_path, zip_bytes(members)))


def test_bad_optimizer_values(tmp_path):
    members = members_of(make_project(trained=False))
    data = json.loads(members["project.json"])
    data["training"]["optimizer"]["betas"] = [0.9, "x"]
    members["project.json"] = json.dumps(data).encode()
    with pytest.raises(ProjectError, match="betas"):
        load_project(write(tmp_path, zip_bytes(members)))


def test_load_project_or_spec_reads_all_three_forms(tmp_path):
    project = make_project()
    save_project(project, tmp_path / "p.nnplay")
    assert load_project_or_spec(tmp_path / "p.nnplay").title == "My spiral"
    (tmp_path / "project.json").write_bytes(members_of(project)["project.json"])
    assert load_project_or_spec(tmp_path / "project.json").network == project.network
    (tmp_path / "net.json").write_text(json.dumps(SPEC))
    bare = load_project_or_spec(tmp_path / "net.json")
    assert bare.network["layers"][0]["units"] == 8
    assert bare.dataset["name"] == "spiral" and bare.features == ["x1", "x2"]
    (tmp_path / "junk.json").write_text("[1, 2")
    with pytest.raises(ProjectError):
        load_project_or_spec(tmp_path / "junk.json")


def test_batchnorm_running_statistics_are_saved_and_restored(tmp_path):
    """A trained BatchNorm's running mean and variance are part of the model: a saved project
    that dropped or refused them would predict differently after reopening."""
    spec = {"format": "playground-network", "version": 1, "input_shape": [2],
            "layers": [{"type": "dense", "units": 4, "activation": "identity"},
                       {"type": "batchnorm"},
                       {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    net = Network.from_spec(spec, seed=1)
    x = np.random.default_rng(0).normal(3.0, 2.0, (64, 2)).astype(np.float32)
    for _ in range(5):
        net.forward(x, training=True)           # moves the running statistics off 0 and 1
    weights = net.get_weights()
    bn = next(k for k in weights if k.endswith(".running_mean")).rsplit(".", 1)[0]
    assert np.abs(weights[f"{bn}.running_mean"]).max() > 0.1
    project = Project(network=net.to_spec(), dataset={"name": "xor"}, features=["x1", "x2"],
                      training=TrainingSettings(), weights=weights)
    path = tmp_path / "bn.nnplay"
    save_project(project, path)
    loaded = load_project(path)
    for key in (f"{bn}.running_mean", f"{bn}.running_var"):
        np.testing.assert_array_equal(loaded.weights[key], weights[key])
    restored = Network.from_spec(loaded.network, seed=5)
    restored.set_weights(loaded.weights)
    np.testing.assert_allclose(restored.forward(x, training=False), net.forward(x, training=False),
                               rtol=1e-6)
