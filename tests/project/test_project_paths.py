"""App folders and the autosave used for crash recovery."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.data.paths import datasets_dir
from playground.project import (Autosave, ProjectError, cache_dir, data_dir, default_project,
                                discard_autosave, load_autosave, orphaned_autosaves,
                                remove_stale_temp_files, save_project)
from playground.project.paths import autosave_folder

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_folders_follow_the_environment(tmp_path, monkeypatch, data_home):
    monkeypatch.setenv("PLAYGROUND_CACHE_DIR", str(tmp_path / "cache"))
    assert data_dir() == data_home and cache_dir() == tmp_path / "cache"
    assert datasets_dir().parent == data_dir()          # downloads and autosave side by side
    assert autosave_folder().parent == data_home


def test_xdg_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("PLAYGROUND_DATA_DIR", raising=False)
    monkeypatch.delenv("PLAYGROUND_CACHE_DIR", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xd"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xc"))
    assert data_dir() == tmp_path / "xd" / "Playground"
    assert cache_dir() == tmp_path / "xc" / "Playground"


def test_autosave_round_trip_and_recovery(data_home):
    assert orphaned_autosaves() == []
    project = default_project()
    project.title = "unsaved work"
    autosave = Autosave()
    path = autosave.write(project)
    assert path == autosave.path and path.parent == autosave_folder() and path.is_file()
    assert orphaned_autosaves() == []           # its window is open: never offered to another
    assert load_autosave(path).title == "unsaved work"
    autosave.clear()                            # an explicit Save supersedes it
    assert not path.exists() and orphaned_autosaves() == []
    autosave.clear()                            # clearing twice is fine
    autosave.write(project)
    autosave.close()                            # a clean close removes it
    assert not path.exists()


def test_two_windows_have_two_autosaves(data_home):
    first, second = Autosave(), Autosave()
    assert first.path != second.path
    first.write(default_project())
    second.write(default_project())
    second.close()
    assert first.path.is_file() and orphaned_autosaves() == []
    first.close()


def test_an_autosave_of_this_pid_without_a_window_is_an_orphan(data_home):
    # a crashed app that happened to have our process id: no window of ours holds its file
    folder = autosave_folder()
    folder.mkdir(parents=True)
    old = folder / f"autosave-{os.getpid()}-999999.nnplay"
    save_project(default_project(), old)
    assert orphaned_autosaves() == [old]


CHILD = """
import os, sys, time
from playground.project import Autosave, default_project
a = Autosave()
a.write(default_project())
print(a.path, flush=True)
if sys.argv[1] == "crash":
    os._exit(1)                      # no clean close: the autosave stays behind
sys.stdin.readline()                 # alive until told
a.close()
"""


def run_child(mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, mode], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=str(REPO))


def test_another_live_apps_autosave_is_never_offered(data_home):
    child = run_child("live")
    try:
        path = Path(child.stdout.readline().strip())
        assert path.is_file()
        assert orphaned_autosaves() == []         # its owner runs: not ours to offer or delete
    finally:
        child.stdin.write("\n")
        child.stdin.flush()
        child.wait(60)
    assert not path.exists()                      # it closed cleanly: nothing to recover


def test_a_crashed_apps_autosave_is_offered_newest_first(data_home):
    child = run_child("crash")
    path = Path(child.stdout.readline().strip())
    child.wait(60)
    assert path.is_file()
    legacy = data_home / "autosave.nnplay"          # an older version's single autosave
    save_project(default_project(), legacy)
    os.utime(legacy, (1, 1))
    assert orphaned_autosaves() == [path, legacy]
    discard_autosave(path)
    assert orphaned_autosaves() == [legacy]


def test_a_damaged_autosave_does_not_load(data_home):
    folder = autosave_folder()
    folder.mkdir(parents=True)
    bad = folder / "autosave-1-1.nnplay"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ProjectError):
        load_autosave(bad)


def test_stale_temp_files_are_removed_and_saves_in_progress_kept(tmp_path):
    stale = tmp_path / ".my_spiral.nnplay.k2j4l1.tmp"
    stale.write_bytes(b"x" * 1000)
    busy = tmp_path / ".other.nnplay.abc123.tmp"
    busy.write_bytes(b"half written")
    unrelated = tmp_path / "notes.tmp"
    unrelated.write_text("mine")
    with open(busy, "ab"):                          # a save under way holds its temp file open
        removed = remove_stale_temp_files([tmp_path, tmp_path / "missing"])
    assert removed == [stale] and not stale.exists()
    assert busy.exists() and unrelated.exists()
    assert remove_stale_temp_files([tmp_path]) == [busy]
