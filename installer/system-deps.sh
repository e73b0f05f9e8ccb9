#!/bin/sh
# Install the Debian packages Teller Assist and its tests need that the Python wheels do not carry.
# As root it installs what is missing; otherwise it prints the exact apt-get line and carries on.
# `system-deps.sh package` adds what building and testing the Debian package needs (make package-test).
set -eu

# Qt (PySide6-Essentials wheels): EGL/GL, xkbcommon, the xcb platform plugin's libraries, fontconfig,
# D-Bus, GLib, and libcups for printing.
QT_PKGS="libegl1 libgl1 libopengl0 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
libxcb-xfixes0 libx11-xcb1 libfontconfig1 libfreetype6 libdbus-1-3 libcups2"
# The tests: a real PostgreSQL server, CUPS with a cups-pdf queue, PDF tools, a virtual screen for screenshots.
TEST_PKGS="postgresql cups cups-bsd printer-driver-cups-pdf poppler-utils xvfb xauth"

# The Debian package: dpkg-deb and readelf to build it; debootstrap for the clean root the package test
# installs into; desktop-file-validate for its menu entry.
PACKAGE_PKGS="binutils debootstrap desktop-file-utils git"

PYTHON=${PYTHON:-python3}
want="$QT_PKGS $TEST_PKGS"
if [ "${1:-}" = package ]; then
    want="$want $PACKAGE_PKGS"
fi
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    want="$want python3-venv"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian system; make sure the Qt runtime libraries, PostgreSQL and CUPS are installed" >&2
    exit 0
fi

missing=""
for pkg in $want; do
    if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    echo "system-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "system-deps: these Debian packages are missing; install them as root with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
fi
