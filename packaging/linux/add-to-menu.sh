#!/bin/sh
# Put CarePlan Desk into the applications menu (and its icon with it), for this user only. Run it once
# from the unpacked CarePlanDesk folder; run it again after moving the folder. Nothing else is changed:
# to take the entry away, delete ~/.local/share/applications/careplan-desk.desktop.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
APPS="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$APPS"
ENTRY="$APPS/careplan-desk.desktop"
cat > "$ENTRY" <<DESKTOP
[Desktop Entry]
Type=Application
Name=CarePlan Desk
Comment=Offline counseling aid for patient coordinators
Exec="$HERE/careplan-desk"
Icon=$HERE/careplan-desk.png
Terminal=false
Categories=Office;
DESKTOP
chmod 0644 "$ENTRY"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$APPS" >/dev/null 2>&1 || true
echo "CarePlan Desk is in the applications menu ($ENTRY)."
