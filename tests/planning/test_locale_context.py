"""The language is per thread and task: a background task can never switch the interface's language."""

from __future__ import annotations

import threading

from planning.i18n import _, current_locale, locale_scope, set_locale


def test_a_thread_that_sets_a_language_leaves_the_callers_alone():
    set_locale("de")
    try:
        seen: list[str] = []

        def worker() -> None:
            seen.append(current_locale())  # a new thread starts in English
            set_locale("ar")
            seen.append(_("Candidate"))

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert seen[0] == "en"
        assert seen[1] != "Candidate"  # the worker did speak Arabic
        assert current_locale() == "de"
        assert _("Candidate") != "Candidate"  # still German here
    finally:
        set_locale("en")


def test_scopes_in_two_threads_at_once_do_not_mix():
    start = threading.Barrier(2)
    results: dict[str, list[str]] = {"de": [], "ru": []}

    def speak(locale: str) -> None:
        with locale_scope(locale):
            start.wait()
            for _round in range(200):
                results[locale].append(current_locale())

    threads = [threading.Thread(target=speak, args=(code,)) for code in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results["de"]) == {"de"} and set(results["ru"]) == {"ru"}
    assert current_locale() == "en"


def test_a_scope_ends_where_it_began():
    set_locale("es")
    try:
        with locale_scope("zh_CN"):
            assert current_locale() == "zh_CN"
        assert current_locale() == "es"
    finally:
        set_locale("en")
