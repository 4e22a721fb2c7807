#!/usr/bin/env bash
# Set up everything CarePlan Desk needs on Debian/Ubuntu, idempotently:
#   system libraries Qt needs (installed when missing, where we may), a virtual environment in .venv
#   with the pinned packages (constraints.txt), the project itself, and compiled translation catalogs.
# Sourced by run-app.sh and run-tests.sh. Set CAREPLAN_SKIP_SYSTEM=1 to skip the system check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# The newest suitable Python found on PATH (3.14 .. 3.11), unless PYTHON names one. Newer is better:
# from 3.12 on, None is immortal, so no binding's reference-count slip on None can abort the app.
pick_python() {
  local candidate
  for candidate in python3.14 python3.13 python3.12 python3 python3.11; do
    # a pyenv shim or alias that cannot run is skipped, as is one older than 3.11
    if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
      >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  echo python3
}
PYTHON="${PYTHON:-$(pick_python)}"

say() { printf '\033[1m[careplan]\033[0m %s\n' "$*" >&2; }

# Qt's offscreen and X11 platforms need these shared libraries (Debian package names).
QT_PACKAGES=(libegl1 libgl1 libx11-6 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libglib2.0-0 libdbus-1-3 libgssapi-krb5-2 libzstd1 libbrotli1 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxcb-util1 libxcb-glx0 libx11-xcb1 fontconfig)

system_check() {
  [ "${CAREPLAN_SKIP_SYSTEM:-0}" = 1 ] && return 0
  command -v dpkg-query >/dev/null || { say "not a Debian/Ubuntu system: make sure Qt 6's X11 libraries are installed"; return 0; }
  local missing=() pkg
  for pkg in "${QT_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ! "$PYTHON" -c "import venv, ensurepip" 2>/dev/null; then
    missing+=("python3-venv")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
      say "Please install the system packages Qt needs, then run this again:"
      say "  sudo apt-get install -y ${missing[*]}"
      exit 1
    fi
  fi
  say "installing system packages: ${missing[*]}"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

python_check() {
  "$PYTHON" - <<'PY' || { say "CarePlan Desk needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))"; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
}

venv_setup() {
  local extras="$1"
  local stamp="$VENV/.careplan-installed-$extras"
  local inputs
  inputs="$({ cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt"; "$PYTHON" --version; } 2>&1 | sha256sum | cut -c1-16)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ] && [ -x "$VENV/bin/python" ]; then
    return 0
  fi
  if [ -x "$VENV/bin/python" ] && [ "$("$VENV/bin/python" --version 2>&1)" != "$("$PYTHON" --version 2>&1)" ]; then
    say "the virtual environment in .venv was made with another Python: making it anew with $("$PYTHON" --version 2>&1)"
    rm -rf "$VENV"
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment in .venv ($("$PYTHON" --version 2>&1))"
    "$PYTHON" -m venv "$VENV"
  fi
  say "installing Python packages (pinned by constraints.txt)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  # Before 3.12, QtPdf comes from PySide6-Addons: a PySide6-Pdf left by an earlier install owns the
  # same files, so it goes first (the 6.12 series it belongs to is excluded on these Pythons).
  if "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info < (3, 12) else 1)' \
    && "$VENV/bin/python" -m pip show -q PySide6-Pdf >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip uninstall -q -y PySide6-Pdf PySide6-Essentials shiboken6 >/dev/null
  fi
  local target="$ROOT"
  [ -n "$extras" ] && [ "$extras" != "app" ] && target="$ROOT[$extras]"
  "$VENV/bin/python" -m pip install -q -c "$ROOT/constraints.txt" -e "$target"
  echo "$inputs" > "$stamp"
}

# A window needs a display: say so plainly instead of Qt's misleading "xcb-cursor0 is needed" (Qt names
# the first xcb library it misses, even when what is missing is the display itself).
display_check() {
  case "$(uname -s)" in Linux|*BSD) ;; *) return 0 ;; esac  # macOS and Windows always have one
  case "${QT_QPA_PLATFORM:-}" in
    offscreen*|minimal*|vnc*|eglfs*|linuxfb*) return 0 ;;  # platforms that need no desktop session
    xcb*) [ -n "${DISPLAY:-}" ] && return 0 ;;
    wayland*) [ -n "${WAYLAND_DISPLAY:-}" ] && return 0 ;;
    *) if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then return 0; fi ;;
  esac
  say "No display found: CarePlan Desk needs a desktop session (or set QT_QPA_PLATFORM=offscreen for tests)."
  say "The command line needs none: $VENV/bin/careplan --help"
  exit 1
}

# Optional since the app compiles a catalog from its .po when first needed (planning/catalogs.py): this
# only saves that first compile, with .mo files stamped with their sources (a stale one is never used).
catalogs() {
  "$VENV/bin/python" "$ROOT/scripts/catalogs.py" compile >/dev/null
}
