"""The network document: edits, ids, signals in order, validation by the engine (no Qt)."""
from __future__ import annotations

import pytest

from playground.engine import Network, SpecError
from playground.project.document import LAYER_TYPES, UNSET, NetworkDocument

MLP = {"format": "playground-network", "version": 1, "input_shape": [2],
       "layers": [{"id": "dense1", "type": "dense", "units": 8, "activation": "tanh"},
                  {"id": "dense2", "type": "dense", "units": 1, "activation": "sigmoid"}]}

LENET_TOP = {"input_shape": [1, 28, 28],
             "layers": [{"type": "conv2d", "filters": 6, "kernel_size": 5, "padding": 2,
                         "activation": "relu"},
                        {"type": "maxpool2d", "size": 2},
                        {"type": "flatten"},
                        {"type": "dense", "units": 10, "activation": "softmax"}]}


def recorder(doc: NetworkDocument) -> list:
    events: list = []
    for name in ("layer_inserted", "layer_removed", "layer_moved", "layer_changed",
                 "input_changed", "spec_reset", "changed"):
        getattr(doc, name).connect(lambda *args, n=name: events.append((n, *args)))
    return events


def test_spec_round_trip_is_exact():
    doc = NetworkDocument(MLP)
    assert doc.spec() == MLP
    assert Network.from_spec(doc.spec()).n_params == (2 * 8 + 8) + (8 + 1)
    other = NetworkDocument()
    other.set_spec(doc.spec())
    assert other.spec() == MLP


def test_set_spec_gives_missing_ids_the_engine_names():
    doc = NetworkDocument(LENET_TOP)
    assert doc.layer_ids() == ["conv1", "pool1", "flatten1", "dense1"]
    assert Network.from_spec(LENET_TOP).to_spec()["layers"] == doc.spec()["layers"]


def test_insert_remove_move_and_set_field():
    doc = NetworkDocument(MLP)
    new = doc.new_layer_config("dense", 1)
    assert new == {"id": "dense3", "type": "dense", "units": 8, "activation": "tanh"}
    doc.insert_layer(1, new)
    assert doc.layer_ids() == ["dense1", "dense3", "dense2"]
    doc.move_layer(0, 2)
    assert doc.layer_ids() == ["dense3", "dense2", "dense1"]
    doc.set_field("dense3", "units", 4)
    assert doc.layer("dense3")["units"] == 4
    removed = doc.remove_layer(0)
    assert removed["id"] == "dense3" and doc.layer_ids() == ["dense2", "dense1"]
    doc.set_field("dense1", "init", "he")
    doc.set_field("dense1", "init", UNSET)
    assert "init" not in doc.layer("dense1")


def test_new_ids_are_unique_and_reuse_the_lowest_free_number():
    doc = NetworkDocument({"input_shape": [1, 8, 8], "layers": []})
    ids = [doc.insert_layer(len(doc), doc.new_layer_config(t, len(doc)))
           for t in ("conv2d", "conv2d", "maxpool2d", "conv2d", "flatten", "dense", "dropout")]
    assert ids == ["conv1", "conv2", "pool1", "conv3", "flatten1", "dense1", "dropout1"]
    doc.remove_layer(1)
    assert doc.new_id("conv2d") == "conv2"
    with pytest.raises(SpecError, match="unique"):
        doc.insert_layer(0, {"id": "conv1", "type": "conv2d", "filters": 1, "kernel_size": 1})


def test_every_palette_default_builds_where_it_belongs():
    doc = NetworkDocument({"input_shape": [1, 8, 8], "layers": []})
    for kind in ("conv2d", "batchnorm", "maxpool2d", "maxunpool2d", "conv_transpose2d",
                 "avgpool2d", "activation", "dropout", "flatten", "reshape", "dense"):
        doc.insert_layer(len(doc), doc.new_layer_config(kind, len(doc)))
        result = doc.validate()
        assert result.ok, (kind, result.message)
    assert set(LAYER_TYPES) == {c["type"] for c in doc.layers()}
    assert doc.layer("unpool1")["pool"] == "pool1"      # the nearest earlier max pool
    assert doc.layer("reshape1")["shape"] == [-1]        # 8*4*4 = 128 is not a square


def test_reshape_default_turns_a_square_vector_back_into_an_image():
    doc = NetworkDocument({"input_shape": [784], "layers": []})
    assert doc.new_layer_config("reshape", 0)["shape"] == [1, 28, 28]


def test_signals_fire_in_order():
    doc = NetworkDocument(MLP)
    events = recorder(doc)
    doc.insert_layer(0, doc.new_layer_config("dense", 0))
    doc.move_layer(0, 2)
    doc.set_field("dense1", "units", 3)
    doc.set_field("dense1", "units", 3)  # no change, no news
    doc.remove_layer(2)
    doc.set_input([3], ["X1", "X2", "X1X2"])
    doc.set_spec(MLP)
    assert events == [("layer_inserted", 0), ("changed",), ("layer_moved", 0, 2), ("changed",),
                      ("layer_changed", "dense1", "units"), ("changed",),
                      ("layer_removed", 2), ("changed",), ("input_changed",), ("changed",),
                      ("spec_reset",), ("changed",)]


def test_handlers_see_the_new_state():
    doc = NetworkDocument(MLP)
    seen = []
    doc.layer_inserted.connect(lambda i: seen.append(doc.layer_at(i)["id"]))
    doc.insert_layer(2, doc.new_layer_config("dropout", 2))
    assert seen == ["dropout1"]


def test_validate_reports_the_engines_error_with_the_layer_id():
    doc = NetworkDocument(LENET_TOP)
    assert doc.validate().ok
    assert doc.validate().total_params == 156 + 6 * 14 * 14 * 10 + 10
    doc.remove_layer(2)  # no flatten: dense gets 6x14x14
    result = doc.validate()
    assert not result.ok
    assert isinstance(result.error, SpecError)
    assert result.error.layer_id == "dense1"
    assert "flat" in result.message
    # the layers before the failing one still know their shapes
    assert [row[2] for row in result.summary] == [(6, 28, 28), (6, 14, 14)]


def test_kernel_larger_than_its_input_names_the_conv_and_field():
    doc = NetworkDocument({"input_shape": [1, 4, 4],
                           "layers": [{"type": "conv2d", "filters": 2, "kernel_size": 5}]})
    result = doc.validate()
    assert (result.ok, result.error.layer_id, result.error.field) == (False, "conv1", "kernel_size")
    assert "larger" in result.message


def test_validation_is_cached_until_the_next_change():
    doc = NetworkDocument(MLP)
    first = doc.validate()
    assert doc.validate() is first
    doc.set_field("dense1", "units", 5)
    second = doc.validate()
    assert second is not first and second.summary[0][2] == (5,)


def test_getters_return_copies():
    doc = NetworkDocument(MLP)
    doc.layers()[0]["units"] = 99
    doc.layer("dense1")["units"] = 99
    doc.spec()["layers"].clear()
    assert doc.spec() == MLP


def test_bad_edits_raise_clear_errors():
    doc = NetworkDocument(MLP)
    with pytest.raises(KeyError, match="no layer called 'nope'"):
        doc.set_field("nope", "units", 3)
    with pytest.raises(IndexError):
        doc.move_layer(0, 5)
    with pytest.raises(SpecError, match="unknown layer type"):
        doc.insert_layer(0, {"type": "lstm"})
    with pytest.raises(SpecError):
        doc.set_spec({"format": "something-else", "layers": []})


def test_document_does_not_import_qt():
    import subprocess
    import sys
    code = ("import sys; import playground.project.document; "
            "assert not any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)
