"""A background task speaks the language it was started in, and nothing it sets reaches the interface."""

from __future__ import annotations

from desktop.shared.tasks import TaskRunner
from planning.i18n import _, current_locale, set_locale


def test_a_task_runs_in_the_callers_language_and_cannot_change_it(qtbot):
    runner = TaskRunner()
    set_locale("ru")
    try:
        results: list[object] = []

        def job() -> tuple[str, str]:
            seen = current_locale()
            set_locale("ar")  # a careless task
            return seen, _("Candidate")

        runner.run(job, results.append, results.append)
        qtbot.waitUntil(lambda: bool(results), timeout=5000)
        seen, word = results[0]  # type: ignore[misc]
        assert seen == "ru"
        assert word != "Candidate"
        assert current_locale() == "ru"
    finally:
        set_locale("en")
        runner.wait()
