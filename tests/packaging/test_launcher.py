"""The Linux launcher: the .desktop entry is well formed, the icons exist at the sizes the desktop
asks for, and install-desktop.sh puts both where the menu finds them, pointing at the executable."""
from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DESKTOP = REPO / "resources" / "playground.desktop"
ICONS = REPO / "resources" / "icons"


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_is_well_formed():
    entry = desktop_entry(DESKTOP)
    assert entry["Type"] == "Application" and entry["Name"] == "Playground"
    assert entry["Exec"].split()[0] == "playground" and entry["Icon"] == "playground"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";") and "Education" in entry["Categories"].split(";")


def test_icons_exist_at_256_px():
    png = (ICONS / "playground.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (256, 256)
    svg = ET.parse(ICONS / "playground.svg").getroot()
    assert svg.get("viewBox") == "0 0 256 256"
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}circle")) == 9 and len(svg.findall(f"{ns}line")) == 20


@pytest.mark.skipif(sys.platform == "win32" or not shutil.which("bash"), reason="needs bash")
def test_install_desktop_points_the_menu_at_the_executable(tmp_path):
    exe = tmp_path / "my apps" / "playground"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    script = REPO / "packaging" / "install-desktop.sh"
    result = subprocess.run(["bash", str(script), str(exe)], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    installed = tmp_path / "share" / "applications" / "playground.desktop"
    entry = desktop_entry(installed)
    assert entry["Exec"] == f'"{exe}" %f' and entry["TryExec"] == str(exe)
    icons = tmp_path / "share" / "icons" / "hicolor"
    assert (icons / "256x256" / "apps" / "playground.png").read_bytes() == \
        (ICONS / "playground.png").read_bytes()
    assert (icons / "scalable" / "apps" / "playground.svg").is_file()

    result = subprocess.run(["bash", str(script), "--uninstall"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and not installed.exists()


@pytest.mark.skipif(sys.platform == "win32" or not shutil.which("bash"), reason="needs bash")
def test_install_desktop_refuses_a_missing_executable(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    result = subprocess.run(["bash", str(REPO / "packaging" / "install-desktop.sh"),
                             str(tmp_path / "nothing")], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert not (tmp_path / "share" / "applications" / "playground.desktop").exists()
