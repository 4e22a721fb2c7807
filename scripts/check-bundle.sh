#!/usr/bin/env bash
# Build the one-folder application (scripts/bundle.sh) and smoke-test the frozen executables
# (packaging/check_bundle.py): `careplan --version`; an Arabic and a Chinese plan from `careplan plan`, with
# every font embedded (pdffonts) and the language's fixed texts (pdftotext); the window started offscreen,
# quitting with status 0, its start timed (median of 5); the bundle's size. Exit status 1 if a check fails.
# Extra arguments go to scripts/bundle.sh (e.g. --clean).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
python_check
system_check binutils poppler-utils strace
started=$(date +%s)
bash "$ROOT/scripts/bundle.sh" "$@"
say "smoke test of dist/CarePlanDesk"
status=0
env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/python" "$ROOT/packaging/check_bundle.py" "$ROOT/dist/CarePlanDesk" || status=$?
say "bundle $(du -sh "$ROOT/dist/CarePlanDesk" | cut -f1) unpacked;" \
  "tarball $(du -h "$ROOT"/dist/CarePlanDesk-*-linux-*.tar.gz 2>/dev/null | cut -f1 | tail -n 1);" \
  "build and check took $(( $(date +%s) - started )) s"
exit "$status"
