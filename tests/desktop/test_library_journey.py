"""The Library shows the practical journey (a page per topic), the facts to re-check, a destination's centres
and visa rules by nationality; a claim the pack could not confirm, or an estimate, says so where it is shown."""

from __future__ import annotations

from datetime import date

from desktop.library import detail_html, journey_html
from desktop.shell.main_window import MainWindow
from planning.knowledge.audit import to_recheck
from planning.knowledge.models import pick
from tests.fixtures import fixture_pack

FIXTURE = fixture_pack()


def tree_entries(window: MainWindow, group_prefix: str) -> list[tuple[str, str]]:
    tree = window.library.tree
    for index in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(index)
        if group.text(0).startswith(group_prefix):
            return [group.child(i).data(0, 0x0100) for i in range(group.childCount())]
    return []


def test_every_journey_topic_has_a_page_with_its_sourced_points(window: MainWindow, qtbot) -> None:
    pack = window.store.pack()
    assert pack.journey, "the shipped pack has the practical journey"
    entries = tree_entries(window, "The journey")
    # a page per topic, in the pack's order, then the glossary's one page ("Words used in plans")
    assert entries == [("journey", t.id) for t in pack.journey] + [("glossary", "all")]
    for topic in pack.journey:
        window.open_record("journey", topic.id)
        text = window.library.view.toPlainText()
        assert pick(topic.title, "en") in text
        for point in topic.points:
            assert pick(point.text, "en")[:60] in " ".join(text.split())
        # each point with its source's date, or said to be undated with the day it was read
        assert text.count("as of") + text.count("undated, read on") >= len(topic.points)
    kinds = [t.kind for t in pack.journey]
    assert {"caregiver", "referral", "after_return", "efficacy", "trials"} <= set(kinds)


def test_the_facts_to_recheck_are_listed(window: MainWindow, qtbot) -> None:
    pack = window.store.pack()
    assert tree_entries(window, "To re-check") == [("recheck", "facts")]
    window.open_record("recheck", "facts")
    old = to_recheck(pack.raw, date.today(), pack.info.recheck_months)
    text = window.library.view.toPlainText()
    assert f"To re-check ({len(old)})" in text
    if old:
        assert old[0][0].as_of[:4] in text


def test_a_destination_shows_its_centres_and_visa_rules(window: MainWindow, qtbot) -> None:
    pack = window.store.pack()
    for destination in pack.destinations:
        window.open_destination(destination.code)
        text = " ".join(window.destinations.detail.toPlainText().split())
        for centre in pack.centres_in(destination.code):
            assert centre.name in text
        for rule in pack.visa_rules(destination.code):
            assert pick(rule.group, "en") in text
    assert any(pack.centres_in(d.code) for d in pack.destinations)
    assert all(pack.visa_rules(d.code) for d in pack.destinations)


def test_estimates_and_unconfirmed_claims_say_so() -> None:
    topic = next(t for t in FIXTURE.journey if t.kind == "financial")
    html = journey_html.journey_page(FIXTURE, topic, "en")
    assert "[estimate]" in html and "experience with centres" in html
    destination = FIXTURE.destination("CN")
    assert destination is not None
    page = detail_html.destination_page(FIXTURE, destination, "en")
    claims = [n for n in destination.logistics if n.sourced.unverified] + [destination.overview]
    if any(getattr(c, "sourced", None) and c.sourced.unverified for c in claims):
        assert "[reported, not confirmed]" in page


def test_journey_pages_read_right_to_left_in_arabic() -> None:
    html = journey_html.journey_page(FIXTURE, FIXTURE.journey[0], "ar")
    assert html.startswith('<div dir="rtl">')
    html = journey_html.recheck_page(FIXTURE, "ar", date(2026, 12, 3))
    assert html.startswith('<div dir="rtl">')


def test_the_recheck_age_is_set_in_settings_and_kept(window: MainWindow, qtbot) -> None:
    pack = window.store.pack()
    page = window.settings_page
    assert page is not None
    assert page.recheck.value() == 0 and "the pack's own age" in page.recheck.specialValueText()
    page.recheck.setValue(120)  # as if typed: the Library follows at once
    assert window.library.recheck_months() == 120
    window.open_record("recheck", "facts")
    expected = len(to_recheck(pack.raw, date.today(), 120))
    assert f"To re-check ({expected})" in window.library.view.toPlainText()
    assert expected < len(to_recheck(pack.raw, date.today(), pack.info.recheck_months))
    assert tree_entries(window, "To re-check") == [("recheck", "facts")]
    from desktop.settings.preferences import preferences_of

    assert preferences_of(window.settings).load().recheck_months == 120


def test_the_overview_columns_say_they_are_claims(window: MainWindow, qtbot) -> None:
    from PySide6.QtCore import Qt

    from desktop.library.destinations_model import OVERVIEW_COLUMNS, WAITING

    pack = window.store.pack()
    assert all(d.overview.sourced.unverified for d in pack.destinations)  # the source overview is a blog
    model = window.destinations.model
    tip = model.headerData(WAITING, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "claim, not confirmed" in tip
    for column in OVERVIEW_COLUMNS:
        cell = model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)
        assert cell.endswith("A facilitator article's claim, not confirmed: ask the centre for its own figure.")
    assert "claim" not in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_a_fact_from_a_page_without_a_date_says_when_it_was_read_not_as_of() -> None:
    from dataclasses import replace

    source = FIXTURE.sources["fda_rems_2025"]
    undated = replace(
        FIXTURE, sources={**FIXTURE.sources, source.id: replace(source, date="undated", read_on="2026-12-03")}
    )
    topic = next(t for t in undated.journey if t.kind == "fly_home")
    html = journey_html.journey_page(undated, topic, "en")
    assert "undated, read on Dec 3, 2026" in html and "as of Jun 26, 2025" not in html
    assert "as of Jun 26, 2025" in journey_html.journey_page(FIXTURE, topic, "en")


def test_a_word_found_by_search_opens_the_glossary(window: MainWindow, qtbot) -> None:
    from PySide6.QtCore import Qt

    window.focus_search()
    qtbot.keyClicks(window.search, "MRD")
    hits = window.search.hits()
    assert ("glossary", "mrd") in hits and ("journey", "referral") in hits
    for _ in range(hits.index(("glossary", "mrd"))):
        qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.library.current == ("glossary", "mrd")
    text = window.library.view.toPlainText()
    assert "Words used in plans" in text and "Minimal residual disease" in text
    assert window.library.tree.currentItem().data(0, 0x0100) == ("glossary", "all")
    window.search.setText("caregiver")
    assert window.search.results.list.item(window.search.hits().index(("journey", "caregiver"))).text().startswith(
        "A caregiver"
    )


def test_the_destinations_chart_legend_is_never_cut_by_the_details(window: MainWindow, qtbot) -> None:
    """The note under the table wraps to two lines in a narrower window; the pane above the details keeps room
    for it and the whole chart with its legend."""
    from PySide6.QtWidgets import QSplitter

    for width, height in ((1229, 690), (1000, 700), (1366, 768)):
        window.resize(width, height)
        window.open_destination("CN")
        qtbot.wait(50)
        page = window.destinations
        top = page.findChild(QSplitter).widget(0)
        assert page.chart.geometry().bottom() < top.height(), (width, page.chart.geometry(), top.height())
        lines = page.note.fontMetrics().lineSpacing()
        assert page.note.height() >= lines * (2 if width < 1300 else 1)
