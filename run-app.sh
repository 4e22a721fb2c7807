#!/usr/bin/env bash
# Run CarePlan Desk: sets up what is missing (system libraries, .venv, packages), then starts the app.
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
python_check
display_check
system_check
venv_setup app
catalogs
exec "$VENV/bin/careplan-desk" "$@"
