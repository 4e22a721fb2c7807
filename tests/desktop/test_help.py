"""The offline help: the guide's pages in every interface language, F1 opening it in the interface language,
the shortcut sheet made from the window's own actions, and links that never leave the guide."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import QApplication

from desktop.help.content import (
    PAGES,
    SHORTCUTS,
    fill,
    link_targets,
    page_markdown,
    page_title,
    placeholders,
    raw_page,
)
from desktop.help.shortcut_sheet import pressable, shortcut_rows
from desktop.help.window import HelpWindow
from desktop.shell.main_window import MainWindow
from planning.i18n import DOCUMENT_LOCALES, PSEUDO, isolate, set_locale
from resources import locate
from tests.desktop.conftest import make_window

ROOT = Path(__file__).resolve().parents[2]
NATIVE = QKeySequence.SequenceFormat.NativeText


@contextmanager
def interface_in(locale: str) -> Iterator[None]:
    """The interface language and direction as desktop/app.py sets them; put back afterwards."""
    app = QApplication.instance()
    set_locale(locale)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if locale == "ar" else Qt.LayoutDirection.LeftToRight)
    try:
        yield
    finally:
        set_locale("en")
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def paragraphs(markdown: str) -> list[str]:
    """The page's blocks of prose: no code, no table rules, no line made of placeholders and marks only."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", markdown)]
    prose = []
    for block in blocks:
        words = re.sub(r"\{(key|ui):[^{}]+\}|`[^`]*`|\[[^\]]*\]\([^)]*\)|[|\-*#:.,()→0-9]", " ", block)
        if len(words.split()) >= 3:
            prose.append(block)
    return prose


def structure(markdown: str) -> list[str]:
    """The page's outline: its headings' levels, its list items and its table rows, in order."""
    marks = []
    for line in markdown.splitlines():
        found = re.match(r"(#+ |- |\d+\. |\|)", line)
        if found:
            marks.append(found.group(1))
    return marks


# --- the pages ------------------------------------------------------------------------------


def test_every_interface_language_has_every_page_and_nothing_else() -> None:
    folder = locate("help")
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(DOCUMENT_LOCALES)
    for locale in DOCUMENT_LOCALES:
        assert sorted(p.name for p in (folder / locale).iterdir()) == sorted(f"{page}.md" for page in PAGES), locale


@pytest.mark.parametrize("locale", [code for code in DOCUMENT_LOCALES if code != "en"])
def test_no_page_is_left_in_english(locale: str) -> None:
    for page in PAGES:
        english, translated = raw_page(page, "en"), (locate("help", locale) / f"{page}.md").read_text("utf-8")
        assert page_title(translated) and page_title(translated) != page_title(english), (locale, page)
        left = set(paragraphs(english)) & set(paragraphs(translated))
        assert not left, f"{locale}/{page}.md still has English paragraphs: {left}"
        # the same keys and interface texts are named: a translation drops no step of the walkthrough
        assert sorted(set(placeholders(translated, "key"))) == sorted(set(placeholders(english, "key"))), page
        assert sorted(set(placeholders(translated, "ui"))) == sorted(set(placeholders(english, "ui"))), page
        assert structure(translated) == structure(english), (locale, page)  # every section, step and row


def test_the_pseudo_locale_and_a_language_without_a_guide_read_english() -> None:
    assert raw_page("call", PSEUDO) == raw_page("call", "en")
    assert raw_page("call", "fr") == raw_page("call", "en")
    assert raw_page("call", "zh_CN") != raw_page("call", "en")


def test_interface_texts_named_by_the_guide_are_the_interfaces_own() -> None:
    """``{ui:…}`` names a text the code shows (so its translation is the catalog's); a renamed button fails here."""
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "desktop").rglob("*.py"))
    source += "\n".join(p.read_text("utf-8") for p in (ROOT / "planning").rglob("*.py"))
    for page in PAGES:
        for msgid in placeholders(raw_page(page, "en"), "ui"):
            assert f'"{msgid}"' in source, f"{page}.md names {msgid!r}, which no code shows"


def test_links_stay_inside_the_guide_and_nothing_is_loaded() -> None:
    for locale in DOCUMENT_LOCALES:
        for page in PAGES:
            text = raw_page(page, locale)
            assert "![" not in text and "<img" not in text.lower(), (locale, page)
            assert not re.search(r"https?:|file:|www\.", text), (locale, page)
            for target in link_targets(text):
                assert target in (*PAGES, SHORTCUTS) or target.startswith("#"), (locale, page, target)


def test_every_page_renders_without_markup_or_placeholders_left(qapp) -> None:
    for locale in DOCUMENT_LOCALES:
        for page in PAGES:
            document = QTextDocument()
            document.setMarkdown(page_markdown(page, locale))
            text = document.toPlainText()
            assert "**" not in text and "{key:" not in text and "{ui:" not in text, (locale, page)
            assert "&" not in text.replace("&&", ""), (locale, page)  # no accelerator shown


def test_filled_keys_use_the_platforms_notation_and_are_escaped() -> None:
    assert fill("{key:Ctrl+N}") == isolate(QKeySequence("Ctrl+N").toString(NATIVE))
    assert fill("{ui:&New case}") == "**" + isolate("New case") + "**"  # the accelerator is gone
    set_locale("zh_CN")
    try:
        assert fill("{ui:&File}") == "**" + isolate("文件") + "**"  # and the Chinese form of it, 文件(&F)
    finally:
        set_locale("en")
    assert fill("{ui:Budget}") == "**" + isolate("Budget") + "**"


# --- the window -----------------------------------------------------------------------------


def bound_keys(window: MainWindow) -> set[str]:
    keys = set()
    for action in window.findChildren(QAction):
        keys.update(s.toString() for s in action.shortcuts())
    for shortcut in window.findChildren(QShortcut):
        keys.update(s.toString() for s in shortcut.keys())  # noqa: SIM118 (a QShortcut, not a dict)
    return keys


def test_every_key_the_guide_names_is_bound_in_the_window(window: MainWindow) -> None:
    window.new_case()  # the open case's own keys (undo, the tabs)
    bound = bound_keys(window)
    for locale in DOCUMENT_LOCALES:
        for page in PAGES:
            for key in placeholders(raw_page(page, locale), "key"):
                assert QKeySequence(key).toString() in bound, f"{locale}/{page}.md names {key}, bound to nothing"


def test_f1_opens_the_guide_in_the_interface_language(qtbot, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with interface_in("de"):
        window = make_window(qtbot, data_dir, "de")
        window.activateWindow()
        window.setFocus()
        assert window.help.guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
        window.help.guide_action.shortcut()
        f1 = QKeySequence(QKeySequence.StandardKey.HelpContents)[0]
        qtbot.keyClick(window, f1.key(), f1.keyboardModifiers())
        help_window = window.help.window
        assert isinstance(help_window, HelpWindow)
        qtbot.waitUntil(help_window.isVisible)
        assert help_window.current == "call"
        german = raw_page("call", "de")
        assert help_window.contents.item(0).text() == page_title(german) != page_title(raw_page("call", "en"))
        shown = help_window.page.toPlainText()
        assert page_title(german) in shown
        assert "Neuer Fall" in shown  # {ui:&New case} as the German interface says it
        assert not help_window.isModal()


def test_the_guide_runs_right_to_left_in_arabic(qtbot, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with interface_in("ar"):
        window = make_window(qtbot, data_dir, "ar")
        help_window = window.help.show("privacy")
        assert help_window.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert help_window.page.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
        assert page_title(raw_page("privacy", "ar")) in help_window.page.toPlainText()


def test_the_shortcut_sheet_lists_every_action_with_a_shortcut(window: MainWindow, qtbot) -> None:
    window.new_case()
    _ = window.settings_page
    qtbot.keySequence(window, QKeySequence("Ctrl+/"))
    help_window = window.help.window
    assert help_window is not None and help_window.current == SHORTCUTS
    sheet = help_window.page.toPlainText()
    listed = 0
    for action in window.findChildren(QAction):
        keys = [s for s in action.shortcuts() if not s.isEmpty()]
        if not keys:
            continue
        name = re.sub(r"&(&?)", r"\1", action.text())
        assert name in sheet, f"{name!r} is missing from the shortcut sheet"
        for key in keys:
            if pressable(key):
                assert key.toString(NATIVE) in sheet, f"{name}: {key.toString(NATIVE)} is missing"
        listed += 1
    assert listed >= 10
    assert "F1" in sheet or QKeySequence(QKeySequence.StandardKey.HelpContents).toString(NATIVE) in sheet


def test_the_sheet_lists_only_keys_of_an_ordinary_keyboard(window: MainWindow) -> None:
    """A platform binds Undo to Ctrl+Z, F14 and the Undo key: the sheet shows Ctrl+Z alone (F13–F35 and
    the named keys of some keyboards are no keys anyone can press), and every action keeps a key."""
    undo = QAction("Test undo", window)
    undo.setShortcuts([QKeySequence("Ctrl+Z"), QKeySequence("F14"), QKeySequence(Qt.Key.Key_Undo)])
    redo = QAction("Test redo", window)
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(Qt.Key.Key_Redo), QKeySequence("Ctrl+F35")])
    for sequence in ("Ctrl+Z", "F1", "F12", "Del", "Esc", "Ctrl+/", "Ctrl+Return", "Alt+Backspace", "Ctrl+Ins"):
        assert pressable(QKeySequence(sequence)), sequence
    rows = {row.name: row.keys for row in shortcut_rows(window)}
    assert rows["Test undo"] == (QKeySequence("Ctrl+Z").toString(NATIVE),)
    assert rows["Test redo"] == (QKeySequence("Ctrl+Shift+Z").toString(NATIVE),)
    unpressable = re.compile(r"^(F(1[3-9]|2\d|3[0-5])|Undo|Redo|Copy|Cut|Paste|Find|Open|Save|Help|Back|Forward)$")
    for name, keys in rows.items():
        assert keys, name
        for key in keys:
            assert not unpressable.match(key.split("+")[-1]), f"{name}: {key}"


def test_the_guide_opened_anew_starts_without_the_last_search(window: MainWindow, qtbot) -> None:
    help_window = window.help.show("call")
    qtbot.keyClicks(help_window.find_field, "no such words anywhere")
    assert help_window.find_state.text() == "Not found"
    help_window.close()
    window.help.shortcuts_action.trigger()  # Ctrl+/
    assert help_window.current == SHORTCUTS
    assert help_window.find_field.text() == "" and help_window.find_state.text() == ""
    qtbot.keyClicks(help_window.find_field, "no such words anywhere")
    window.help.shortcuts_action.trigger()  # the same page asked for again
    assert help_window.find_field.text() == "" and help_window.find_state.text() == ""
    qtbot.keyClicks(help_window.find_field, "Ctrl")
    help_window.show_page("call")  # a page of the guide chosen inside the window keeps the search
    assert help_window.find_field.text() == "Ctrl"


def test_back_find_in_page_and_no_link_out(window: MainWindow, qtbot) -> None:
    help_window = window.help.show("call")
    help_window.follow(QUrl("privacy"))
    assert help_window.current == "privacy"
    help_window.follow(QUrl("https://example.org/privacy"))  # a link out is never followed
    help_window.follow(QUrl("file:///etc/passwd"))
    assert help_window.current == "privacy"
    assert help_window.page.loadResource(2, QUrl("https://example.org/x.png")) is None
    qtbot.keyClick(help_window.back_button, Qt.Key.Key_Space)
    assert help_window.current == "call"
    assert not help_window.back_button.isEnabled()

    qtbot.keyClicks(help_window.find_field, "Ctrl+Tab")
    assert help_window.page.textCursor().selectedText() == "Ctrl+Tab"
    help_window.find_field.clear()
    qtbot.keyClicks(help_window.find_field, "no such words anywhere")
    assert help_window.find_state.text() == "Not found"


def test_the_help_windows_own_keys(window: MainWindow, qtbot) -> None:
    """Ctrl+F finds in the page and Esc closes the guide: keys of the help window alone (their context is
    that window, so they are no second binding of the main window's Ctrl+F)."""
    help_window = window.help.show("privacy")
    help_window.activateWindow()
    qtbot.waitUntil(help_window.isActiveWindow)
    help_window.page.setFocus()
    qtbot.keySequence(help_window.page, QKeySequence(QKeySequence.StandardKey.Find))
    qtbot.waitUntil(help_window.find_field.hasFocus)
    qtbot.keyClick(help_window.find_field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not help_window.isVisible())


def test_ctrl_q_in_the_guide_quits_the_app(window: MainWindow, qtbot) -> None:
    """Quit is the application's key, not the main window's: pressed in the guide (a window of its own)
    it closes the main window, and the guide with it. The key is the platform's (Ctrl+Q on Linux
    desktops, none on Windows, none under the offscreen platform): the test gives it Ctrl+Q as X11 does."""
    quit_action = window.findChild(QAction, "quitAction")
    assert quit_action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut
    if quit_action.shortcut().isEmpty():
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    help_window = window.help.show("call")
    help_window.activateWindow()
    qtbot.waitUntil(help_window.isActiveWindow)
    help_window.page.setFocus()
    qtbot.keySequence(help_window.page, quit_action.shortcut())
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not help_window.isVisible()
