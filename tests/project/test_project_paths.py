"""App folders and the autosave used for crash recovery."""
from __future__ import annotations

from pathlib import Path

import pytest

from playground.data.paths import datasets_dir
from playground.project import (ProjectError, autosave_path, cache_dir, clear_autosave, data_dir,
                                default_project, load_autosave, recovery_available, write_autosave)


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_folders_follow_the_environment(tmp_path, monkeypatch, data_home):
    monkeypatch.setenv("PLAYGROUND_CACHE_DIR", str(tmp_path / "cache"))
    assert data_dir() == data_home and cache_dir() == tmp_path / "cache"
    assert datasets_dir().parent == data_dir()          # downloads and autosave side by side
    assert autosave_path().parent == data_home


def test_xdg_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("PLAYGROUND_DATA_DIR", raising=False)
    monkeypatch.delenv("PLAYGROUND_CACHE_DIR", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xd"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xc"))
    assert data_dir() == tmp_path / "xd" / "Playground"
    assert cache_dir() == tmp_path / "xc" / "Playground"


def test_autosave_round_trip_and_recovery(data_home):
    assert not recovery_available()
    project = default_project()
    project.title = "unsaved work"
    path = write_autosave(project)
    assert path == autosave_path() and path.is_file()
    assert recovery_available()
    assert load_autosave().title == "unsaved work"
    clear_autosave()
    assert not recovery_available() and not path.exists()
    clear_autosave()                                     # clearing twice is fine


def test_a_damaged_autosave_offers_no_recovery(data_home):
    data_home.mkdir(parents=True)
    autosave_path().write_bytes(b"PK\x03\x04 truncated")
    assert not recovery_available()
    with pytest.raises(ProjectError):
        load_autosave()
