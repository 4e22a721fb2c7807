#!/usr/bin/env bash
# Build the one-folder application with PyInstaller (packaging/careplan.spec):
#   dist/CarePlanDesk/                                   careplan-desk (the window), careplan (the command line)
#   dist/CarePlanDesk-<version>-linux-<arch>.tar.gz      what a coordinator downloads (Linux)
# Sets up what is missing first, as run-tests.sh does: the system packages (binutils: PyInstaller reads
# the libraries with objdump), .venv with the pinned packages and the "bundle" extra (PyInstaller), and
# the compiled catalogs. The build itself is offline.
#
#   scripts/bundle.sh            build (PyInstaller's cache in build/pyinstaller makes a rebuild quicker)
#   scripts/bundle.sh --clean    build from nothing (PyInstaller's --clean, and build/pyinstaller removed)
#   CAREPLAN_NO_TARBALL=1        skip the tarball (e.g. on Windows and macOS: see packaging/README.md)
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
python_check
system_check binutils
venv_setup bundle
catalogs
cd "$ROOT"

WORK="$ROOT/build/pyinstaller"
clean=()
if [ "${1:-}" = "--clean" ]; then
  rm -rf "$WORK"
  clean=(--clean)
fi

say "PyInstaller: dist/CarePlanDesk"
started=$(date +%s)
# PYTHONDONTWRITEBYTECODE has no say over the bundle (its modules are compiled into it), but PyInstaller
# itself runs quicker with its own bytecode cached.
env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/python" -m PyInstaller --noconfirm "${clean[@]}" --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$WORK" "$ROOT/packaging/careplan.spec"

BUNDLE="$ROOT/dist/CarePlanDesk"
cp "$ROOT/LICENSE" "$BUNDLE/LICENSE.txt" 2>/dev/null || true
case "$(uname -s)" in
  Linux)
    # A menu entry with the icon, for those who want one (the folder works without it).
    install -m 0644 "$ROOT/packaging/icons/careplan-desk.png" "$BUNDLE/careplan-desk.png"
    install -m 0755 "$ROOT/packaging/linux/add-to-menu.sh" "$BUNDLE/add-to-menu.sh"
    ;;
esac
say "built in $(( $(date +%s) - started )) s: $(du -sh "$BUNDLE" | cut -f1) unpacked"

if [ "${CAREPLAN_NO_TARBALL:-0}" != 1 ] && [ "$(uname -s)" = Linux ]; then
  version="$("$VENV/bin/python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
  tarball="$ROOT/dist/CarePlanDesk-$version-linux-$(uname -m).tar.gz"
  rm -f "$tarball"
  # owner and group "root" inside, whoever built it; the files keep their modes (the executables stay executable)
  tar -C "$ROOT/dist" --owner=0 --group=0 --numeric-owner -cf - CarePlanDesk | gzip -6 > "$tarball.part"
  mv "$tarball.part" "$tarball"
  say "tarball: ${tarball#"$ROOT"/} ($(du -h "$tarball" | cut -f1))"
fi
