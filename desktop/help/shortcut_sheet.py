"""The keyboard-shortcut sheet, made from the window's own actions when it is shown, so it never drifts
from what the keys really do: every QAction of the window that has a shortcut, by its translated name,
its keys in the platform's own notation, grouped by the menu that holds it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from planning.i18n import _, isolate


@dataclass(frozen=True)
class ShortcutRow:
    group: str
    """The title of the menu that holds the action, or "" for an action of a page or a panel."""
    name: str
    keys: tuple[str, ...]
    """Each of the action's shortcuts a person can press on an ordinary keyboard, in the platform's own
    notation (NativeText)."""


_ORDINARY_SPECIAL = (
    (Qt.Key.Key_Escape.value, Qt.Key.Key_ScrollLock.value),  # Esc, Tab, Backspace, Return, Insert, Delete, arrows…
    (Qt.Key.Key_F1.value, Qt.Key.Key_F12.value),
    (Qt.Key.Key_Menu.value, Qt.Key.Key_Menu.value),
)
"""The keys beyond the printable ones that an ordinary keyboard has; F13–F35 and the named keys of some
keyboards (Undo, Redo, Copy, Find…) are not among them."""


def pressable(sequence: QKeySequence) -> bool:
    """Whether every step of ``sequence`` is a key of an ordinary keyboard (with or without modifiers):
    the standard keys give platform bindings such as F14 or the Undo key for Undo, which nobody can press."""
    if sequence.isEmpty():
        return False
    for n in range(sequence.count()):
        key = sequence[n].key().value  # type: ignore[index]  # QKeySequence.operator[], missing in the stubs
        if key >= Qt.Key.Key_Escape.value and not any(low <= key <= high for low, high in _ORDINARY_SPECIAL):
            return False
    return True


def shown_keys(action: QAction) -> tuple[str, ...]:
    """``action``'s shortcuts as the sheet shows them: the pressable ones, in native text, each once."""
    keys: list[str] = []
    for sequence in action.shortcuts():
        text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if pressable(sequence) and text not in keys:
            keys.append(text)
    return tuple(keys)


def action_name(action: QAction) -> str:
    """The action's text as its menu shows it: no ``&`` accelerator, no trailing tab-separated part."""
    text = action.text().split("\t")[0] or action.toolTip() or action.iconText()
    return re.sub(r"&(&?)", r"\1", text).strip()


def _menu_title(action: QAction) -> str:
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu) and owner.title():
            return action_name(owner.menuAction())
    return ""


def shortcut_rows(window: QWidget) -> list[ShortcutRow]:
    """One row per action of ``window`` (and its pages) that has a shortcut, menus first in the order of the
    menu bar, then the rest; an action shown in two places is listed once."""
    rows: list[ShortcutRow] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for action in window.findChildren(QAction):
        keys = shown_keys(action)
        name = action_name(action)
        if not keys or not name or (name, keys) in seen:
            continue
        seen.add((name, keys))
        rows.append(ShortcutRow(_menu_title(action), name, keys))
    order = _menu_order(window)
    return sorted(rows, key=lambda row: (order.get(row.group, len(order)),))


def _menu_order(window: QWidget) -> dict[str, int]:
    menu_bar = getattr(window, "menuBar", None)
    if menu_bar is None:
        return {}
    titles = [action_name(a) for a in menu_bar().actions()]
    return {title: n for n, title in enumerate(titles)}


def sheet_html(rows: list[ShortcutRow], title: str) -> str:
    """The sheet as a rich-text page: a heading, then one table per menu (action | keys); no colours of its
    own (the palette's, light or dark), every text escaped, keys isolated so they read left to right in an
    Arabic page."""
    parts = [f"<h1>{escape(title)}</h1>"]
    groups: dict[str, list[ShortcutRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    for group, members in groups.items():
        heading = group or _("In the pages and panels")
        action, keys_title = _("Action"), _("Keys")
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts.append('<table border="1" cellspacing="0" cellpadding="5" width="100%">')
        parts.append(f'<tr><th width="60%">{escape(action)}</th><th width="40%">{escape(keys_title)}</th></tr>')
        for row in members:
            keys = ", ".join(escape(isolate(k)) for k in row.keys)
            parts.append(f"<tr><td>{escape(row.name)}</td><td>{keys}</td></tr>")
        parts.append("</table>")
    return "\n".join(parts)
