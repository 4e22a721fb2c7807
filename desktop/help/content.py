"""The user guide's pages: Markdown files shipped per interface language, found through resources.locate().

A page is ``resources/help/<locale>/<page>.md``; its first ``# `` line is its title. Two placeholders keep
a page true to the running app instead of to the day it was written:

- ``{key:Ctrl+N}`` becomes the key in the platform's own notation (``QKeySequence.NativeText``: ⌘N on
  macOS); tests/desktop/test_help.py checks that every key a page names is bound in the main window;
- ``{ui:&New case}`` becomes that interface text, in bold, as the translated interface shows it (the
  catalog's translation, its ``&`` accelerator removed), so the guide names a menu or a button exactly as the
  window does; the test checks that each such text is one the code really uses.

Links between pages are written ``[text](page)``: the help window follows only these (and ``#anchors``),
never an address outside the guide, and loads no images or other resources.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QKeySequence

from planning.i18n import PSEUDO, _, isolate
from resources import locate

PAGES = ("call", "fair", "privacy", "pack")
"""The guide's pages in reading order (the shortcut sheet, generated, comes after them)."""
SHORTCUTS = "shortcuts"
"""The name of the generated page: the keyboard shortcuts of the main window."""
FALLBACK = "en"

PLACEHOLDER = re.compile(r"\{(key|ui):([^{}\n]+)\}")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def help_folder(locale: str) -> Path:
    """The folder of the guide in ``locale``: the language's own, else English (the pseudo-locale, and any
    language the guide is not written in)."""
    for code in (locale, locale.split("_")[0]):
        if code and code != PSEUDO:
            folder = locate("help", code)
            if folder.is_dir():
                return folder
    return locate("help", FALLBACK)


def raw_page(name: str, locale: str) -> str:
    """A page's Markdown as it is shipped (placeholders unfilled); the English page when the language's
    own is missing."""
    path = help_folder(locale) / f"{name}.md"
    if not path.is_file():
        path = locate("help", FALLBACK, f"{name}.md")
    return path.read_text("utf-8")


def interface_text(msgid: str) -> str:
    """An interface text as the window shows it in the current language, without its ``&`` accelerator."""
    text = re.sub(r"\s*\(&[^)&]\)", "", _(msgid))  # Chinese style: 文件(&F)
    return re.sub(r"&(&?)", r"\1", text)


def key_text(portable: str) -> str:
    """A key sequence written portably ("Ctrl+Shift+L") in the platform's own notation."""
    return QKeySequence(portable).toString(QKeySequence.SequenceFormat.NativeText)


def fill(markdown: str) -> str:
    """The page with its ``{key:…}`` and ``{ui:…}`` placeholders replaced (escaped for Markdown)."""

    def replace(match: re.Match[str]) -> str:
        kind, value = match.group(1), match.group(2)
        if kind == "key":
            return isolate(_MARKDOWN_SPECIAL.sub(r"\\\1", key_text(value)))
        # in bold, as the window names it; the isolate keeps a Latin name's order inside an Arabic sentence
        # (and, being neither space nor punctuation, lets the bold open and close beside any character)
        return "**" + isolate(_MARKDOWN_SPECIAL.sub(r"\\\1", interface_text(value))) + "**"

    return PLACEHOLDER.sub(replace, markdown)


def page_markdown(name: str, locale: str) -> str:
    """A page ready to show: in ``locale`` (or English), placeholders filled."""
    return fill(raw_page(name, locale))


def page_title(markdown: str) -> str:
    """The text of a page's first ``# `` heading (its name in the contents list)."""
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip().replace("\\", "")
    return ""


def placeholders(markdown: str, kind: str) -> list[str]:
    """The values of every ``{kind:…}`` placeholder of a page, in order."""
    return [m.group(2) for m in PLACEHOLDER.finditer(markdown) if m.group(1) == kind]


LINK = re.compile(r"\]\(([^)\s]*)\)")
"""A Markdown link's target: ``[text](target)``."""


def link_targets(markdown: str) -> list[str]:
    """Every link target a page holds."""
    return LINK.findall(markdown)
