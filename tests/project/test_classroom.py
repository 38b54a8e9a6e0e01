"""Classroom settings in the .nnplay file: round trip, defaults, and clear messages for bad ones."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from playground.project.classroom import check_classroom
from playground.project.examples import load_example
from playground.project.project import ProjectError
from playground.project.projectfile import load_project, project_from_bytes, save_project

SETTINGS = {"presentation": True, "scale": 1.75, "hidden": ["reset", "layers", "learning_rate"],
            "views": ["output", "curves"]}


def test_classroom_settings_round_trip(tmp_path):
    project = load_example("xor")
    project.classroom = dict(SETTINGS)
    save_project(project, tmp_path / "lesson.nnplay")
    again = load_project(tmp_path / "lesson.nnplay")
    assert again.classroom == SETTINGS
    assert again.copy().classroom == SETTINGS
    plain = load_example("xor")
    save_project(plain, tmp_path / "plain.nnplay")
    assert load_project(tmp_path / "plain.nnplay").classroom is None
    with zipfile.ZipFile(tmp_path / "plain.nnplay") as archive:   # nothing new in plain files
        assert "classroom" not in json.loads(archive.read("project.json"))


def test_missing_entries_take_their_defaults():
    assert check_classroom({"hidden": ["step"]}) == {"presentation": False, "scale": 1.5,
                                                     "hidden": ["step"], "views": None}


def file_with(classroom) -> bytes:
    project = load_example("xor")
    buffer = io.BytesIO()
    from playground.project.project import project_to_json
    data = project_to_json(project)
    data["classroom"] = classroom
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.json", json.dumps(data))
    return buffer.getvalue()


@pytest.mark.parametrize("classroom, words", [
    ("big", "must be an object"),
    ({"scale": 3}, "'scale' must be a number from 1.25 to 2 (it is 3)"),
    ({"scale": True}, "'scale' must be a number"),
    ({"presentation": "yes"}, "'presentation' must be true or false"),
    ({"hidden": ["reset", "the moon"]}, "'hidden' names 'the moon', which Playground does not know"),
    ({"hidden": "reset"}, "'hidden' must be a list of names"),
    ({"views": ["curves", 3]}, "'views' must be a list of names"),
    ({"colour": "red"}, "unknown entry 'colour'"),
])
def test_a_malformed_classroom_section_says_what_is_wrong(classroom, words):
    with pytest.raises(ProjectError) as error:
        project_from_bytes(file_with(classroom))
    assert words in str(error.value) and "classroom settings" in str(error.value)

