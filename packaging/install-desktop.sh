#!/usr/bin/env bash
# Add Playground to the Linux desktop's application menu (for this user only):
#
#     packaging/install-desktop.sh [EXECUTABLE]
#
# EXECUTABLE defaults to the bundle (dist/Playground/playground) if it was built, else the
# `playground` command on PATH (pip install). Installs resources/playground.desktop into
# ~/.local/share/applications with Exec pointing at EXECUTABLE, and the icons into the hicolor
# theme under ~/.local/share/icons. Undo: packaging/install-desktop.sh --uninstall
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor"

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$apps/playground.desktop" "$icons/256x256/apps/playground.png" \
          "$icons/scalable/apps/playground.svg"
    echo "removed the Playground launcher"
    exit 0
fi

exe="${1:-}"
if [ -z "$exe" ]; then
    if [ -x "$here/dist/Playground/playground" ]; then exe="$here/dist/Playground/playground"
    elif command -v playground >/dev/null; then exe="$(command -v playground)"
    else
        echo "install-desktop: no bundle in dist/ and no 'playground' on PATH;" \
             "build it (packaging/build.sh) or pass the executable's path" >&2
        exit 1
    fi
fi
exe="$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")"
[ -x "$exe" ] || { echo "install-desktop: $exe is not an executable" >&2; exit 1; }

mkdir -p "$apps" "$icons/256x256/apps" "$icons/scalable/apps"
install -m 644 "$here/resources/icons/playground.png" "$icons/256x256/apps/playground.png"
install -m 644 "$here/resources/icons/playground.svg" "$icons/scalable/apps/playground.svg"
# Exec and TryExec name the executable by its full path (quoted: it may contain spaces)
sed -e "s|^Exec=.*|Exec=\"$exe\" %f|" -e "s|^TryExec=.*|TryExec=$exe|" \
    "$here/resources/playground.desktop" > "$apps/playground.desktop"
chmod 644 "$apps/playground.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" || true
echo "installed the Playground launcher: $apps/playground.desktop -> $exe"
