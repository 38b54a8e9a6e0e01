"""Bounded memory from small project files: members are counted as they inflate, weights are
checked from their .npy headers before their data is read, history rows and network size are
capped; and the messages that used to be Python's own are in words."""
from __future__ import annotations

import io
import json
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest

from playground.project import ProjectError, projectfile
from playground.project import project as project_module
from playground.project.projectfile import project_from_bytes

from test_project_file import SPEC, make_project, members_of


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _peak(fn):
    """(exception raised by fn, peak traced memory in bytes)."""
    tracemalloc.start()
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the test looks at it
        error = exc
    else:
        error = None
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return error, peak


def test_a_member_is_counted_as_it_inflates(monkeypatch):
    # history.csv inflates to 40 MB from ~40 kB; the limit (lowered here) stops it as it inflates
    monkeypatch.setattr(projectfile, "MAX_HISTORY", 4 * 1024 * 1024)
    members = members_of(make_project())
    members["history.csv"] = b"epoch,step\n" + b"1,1\n" * 10_000_000
    data = _zip(members)
    assert len(data) < 200_000
    error, peak = _peak(lambda: project_from_bytes(data))
    assert isinstance(error, ProjectError)
    assert "history.csv in this project is implausibly large (more than 4,194,304 bytes)" in str(error)
    assert peak < 16 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_a_member_that_inflates_past_what_it_declares_is_cut_off(monkeypatch):
    """The declared size in the zip is not trusted: the bytes are counted."""
    monkeypatch.setattr(projectfile, "MAX_HISTORY", 1024 * 1024)
    members = members_of(make_project())
    members["history.csv"] = b"epoch,step\n" + b"1,1\n" * 2_000_000
    data = bytearray(_zip(members))
    # rewrite history.csv's declared size (local header and central directory) to 100 bytes
    real = struct.pack("<I", len(members["history.csv"]))
    data = bytes(data).replace(real, struct.pack("<I", 100))
    error, _ = _peak(lambda: project_from_bytes(data))
    assert isinstance(error, ProjectError) and "history.csv" in str(error)


def _npy(shape, dtype="<f4", body=b"") -> bytes:
    header = {"descr": dtype, "fortran_order": False, "shape": tuple(shape)}
    out = io.BytesIO()
    np.lib.format.write_array_header_1_0(out, header)
    return out.getvalue() + body


@pytest.mark.filterwarnings("ignore:Duplicate name")      # the second dense1.weight is the bomb
def test_a_huge_array_in_weights_is_refused_from_its_header():
    project = make_project()
    members = members_of(project)
    weights = io.BytesIO()
    with zipfile.ZipFile(weights, "w", zipfile.ZIP_DEFLATED) as npz:
        for key, value in project.weights.items():
            npz.writestr(key + ".npy", _npy(value.shape, body=np.asarray(value, "<f4").tobytes()))
        # 1.2 GB of zeros declared; 12 MB of them actually there, deflated to ~12 kB
        npz.writestr("dense1.weight.npy", _npy((10_000, 30_000), body=bytes(12_000_000)))
    members["weights.npz"] = weights.getvalue()
    data = _zip(members)
    assert len(data) < 100_000
    error, peak = _peak(lambda: project_from_bytes(data))
    assert isinstance(error, ProjectError)
    assert "weights for 'dense1.weight' have shape (10000, 30000) but the network needs (8, 2)" \
        in str(error)
    assert peak < 16 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_an_array_header_is_checked_before_its_data_is_read():
    project = make_project()
    members = members_of(project)
    weights = io.BytesIO()
    with zipfile.ZipFile(weights, "w") as npz:        # stored, small: only the header is wrong
        for key, value in project.weights.items():
            shape = (10_000, 30_000) if key == "dense1.weight" else value.shape
            npz.writestr(key + ".npy", _npy(shape, body=np.asarray(value, "<f4").tobytes()))
    members["weights.npz"] = weights.getvalue()
    with pytest.raises(ProjectError, match=r"weights for 'dense1.weight' have shape \(10000, 30000\) "
                                           r"but the network needs \(8, 2\)"):
        project_from_bytes(_zip(members))


def test_weights_round_trip_through_the_header_reader(tmp_path):
    project = make_project()
    loaded = project_from_bytes(_zip(members_of(project)))
    for key, value in project.weights.items():
        np.testing.assert_array_equal(loaded.weights[key], value)
        assert loaded.weights[key].dtype == np.float32


def test_history_rows_are_bounded(monkeypatch):
    monkeypatch.setattr(projectfile, "MAX_HISTORY_ROWS", 1000)
    members = members_of(make_project())
    members["history.csv"] = b"epoch,step\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(1001))
    with pytest.raises(ProjectError, match="history.csv has more than 1,000 rows"):
        project_from_bytes(_zip(members))


_UNTRAINED = {}


def _with_network(network) -> bytes:
    if not _UNTRAINED:
        _UNTRAINED.update(members_of(make_project(trained=False)))
    members = dict(_UNTRAINED)
    data = json.loads(members["project.json"])
    data["network"] = network
    members["project.json"] = json.dumps(data).encode()
    return _zip(members)


def test_a_network_over_the_size_limit_is_refused_before_it_is_built(monkeypatch):
    _with_network(SPEC)                               # built before Network is replaced
    built = []
    monkeypatch.setattr(project_module.Network, "from_spec",
                        classmethod(lambda cls, *a, **k: built.append(1)))
    wide = {**SPEC, "layers": [{"type": "dense", "units": 10_000_000, "activation": "tanh"},
                               {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    with pytest.raises(ProjectError, match="computes 10,000,003 values for each example; Playground "
                                           "builds networks of up to 5,000,000"):
        project_from_bytes(_with_network(wide))
    deep = {**SPEC, "layers": [{"type": "dense", "units": 4000}] * 5
            + [{"type": "dense", "units": 1, "activation": "sigmoid"}]}
    with pytest.raises(ProjectError, match="the network has 64,032,001 parameters; Playground builds "
                                           "networks of up to 50,000,000"):
        project_from_bytes(_with_network(deep))
    assert built == []


# -- Python's words become ours -----------------------------------------------------------------
def _layer(**fields):
    return {**SPEC, "layers": [{"type": "dense", "units": 8, "activation": "tanh", **fields},
                               {"type": "dense", "units": 1, "activation": "sigmoid"}]}


@pytest.mark.parametrize("network,message", [
    (_layer(activation=["tanh"]), "layer 1 (dense): 'activation' must be a name in quotes, not a list"),
    (_layer(alpha=[0.1]), "dense 'dense1': 'alpha' must be a number, not [0.1]"),
    (_layer(type=["dense"]), "layer 1's 'type' must be a layer name in quotes like \"dense\", not a list"),
    (_layer(units={"n": 8}), "'units' must be a number, not an object"),
])
def test_a_list_where_a_value_belongs_is_named(network, message):
    with pytest.raises(ProjectError) as err:
        project_from_bytes(_with_network(network))
    assert message in str(err.value) and "unhashable" not in str(err.value)


def test_a_null_description_is_said_in_words():
    members = members_of(make_project(trained=False))
    data = json.loads(members["project.json"])
    data["description"] = None
    members["project.json"] = json.dumps(data).encode()
    with pytest.raises(ProjectError, match=r"the description must be text in quotes, not null \(empty\)"):
        project_from_bytes(_zip(members))


def test_a_number_with_thousands_of_digits_is_said_in_words():
    members = members_of(make_project(trained=False))
    text = members["project.json"].decode().replace('"seed": 7', '"seed": ' + "9" * 5000)
    members["project.json"] = text.encode()
    with pytest.raises(ProjectError) as err:
        project_from_bytes(_zip(members))
    assert "a number with thousands of digits" in str(err.value)
    assert "set_int_max_str_digits" not in str(err.value)


def test_running_out_of_memory_is_said_in_words(monkeypatch):
    def boom(cls, *args, **kwargs):
        raise MemoryError()
    data = _with_network(SPEC)
    monkeypatch.setattr(project_module.Network, "from_spec", classmethod(boom))
    with pytest.raises(ProjectError) as err:
        project_from_bytes(data)
    assert "does not fit in this computer's memory" in str(err.value)
    assert "MemoryError" not in str(err.value)
