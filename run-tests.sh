#!/usr/bin/env bash
# Run every check: ruff, the architecture contracts (import-linter), mypy and the whole test suite
# (offscreen, no display needed). Sets up what is missing first. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
python_check
system_check poppler-utils
venv_setup test
catalogs
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
say "ruff"
"$VENV/bin/ruff" check planning db reports services cli desktop tests benchmarks scripts
say "import-linter (architecture contracts)"
"$VENV/bin/lint-imports"
say "mypy (type checks of the core packages)"
"$VENV/bin/mypy"
say "pytest"
exec "$VENV/bin/python" -m pytest "$@"
