#!/usr/bin/env bash
# Build the Playground bundle (onedir) with PyInstaller:
#
#     packaging/build.sh
#
# Makes (or reuses) a virtual environment in build/venv, installs the app with its build extra
# (pip install -e ".[build]"), runs PyInstaller on packaging/playground.spec and prints the size.
# Result: dist/Playground/playground (Linux, Windows: playground.exe) or dist/Playground.app (macOS).
# Environment: PYTHON (the interpreter for the venv, default python3), PLAYGROUND_BUILD_VENV (the
# venv's folder), PLAYGROUND_ENTRY (another entry script, to measure the bare stack).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${PLAYGROUND_BUILD_VENV:-build/venv}
python=${PYTHON:-python3}
if [ -x "$venv/bin/python" ]; then bin="$venv/bin"; elif [ -x "$venv/Scripts/python.exe" ]; then
    bin="$venv/Scripts"
else
    echo "build: creating $venv"
    "$python" -m venv "$venv"
    bin="$venv/bin"; [ -d "$bin" ] || bin="$venv/Scripts"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$bin/python" -m pip install -q --upgrade pip
"$bin/python" -m pip install -q -e ".[build]"

"$bin/python" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
    packaging/playground.spec

bundle=dist/Playground
[ -d dist/Playground.app ] && bundle=dist/Playground.app
echo "build: $bundle is $(du -sh "$bundle" | cut -f1) in $(find "$bundle" -type f | wc -l) files"
