"""A product's label in one region, checked against a case: three-valued logic over the approval's data.

Each approval in the pack carries its conditions as data (see ``Approval`` and ``LabelPath``): the
subtypes it covers, an age range, required biomarkers, a minimum number of prior lines, and one or
more *paths* (any one suffices), each a set of conditions that must all hold: lines of therapy,
disease status, relapse count, relapse within N months, required prior drug classes (all of / any
of), refractoriness to a class, relapse after an allogeneic transplant, not fit for a transplant.

A condition is True, False or None (unknown); "all of" is False when one is False, else unknown when
one is unknown; "any of" is True when one is True, else unknown when one is unknown. Several approvals
in a region (third line, then second line) are alternatives. What is unknown in an undecided branch
is what to ask the patient for; a branch already decided asks for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planning.facts import CASE_FIELD, MARKER_NAMES, RESULT_WORDS, CaseFacts
from planning.i18n import _, current_locale, ngettext
from planning.knowledge.models import Approval, Condition, LabelPath, Pack, pick

STATUS_OF = {True: "met", False: "not_met", None: "unknown"}


@dataclass(frozen=True)
class Check:
    """One condition, or all or any of several, with its words."""

    words: str
    condition: Condition | None = None
    all_of: tuple[Check, ...] = ()
    any_of: tuple[Check, ...] = ()

    def fields(self) -> list[str]:
        if self.condition is not None:
            return [self.condition.field]
        return [f for part in (*self.all_of, *self.any_of) for f in part.fields()]


def evaluate(check: Check, facts: CaseFacts) -> tuple[bool | None, list[str]]:
    """The check's value and the facts to ask for when it is undecided."""
    if check.condition is not None:
        value = facts.holds(check.condition)  # unknown also when a list has entries not recognised
        return value, [check.condition.field] if value is None else []
    parts = [evaluate(part, facts) for part in (check.all_of or check.any_of)]
    values = [v for v, _m in parts]
    if check.all_of:
        if False in values:
            return False, []
        result = None if None in values else True
    else:
        if True in values:
            return True, []
        result = None if None in values else False
    if result is not None:
        return result, []
    return None, [f for v, m in parts if v is None for f in m]


def _classes(pack: Pack, ids: Sequence[str], locale: str, joiner: str) -> str:
    labels = {d.id: pick(d.label, locale) for d in pack.drug_classes}
    return joiner.join(labels.get(c, c) for c in ids)


def _lines(count: int) -> Check:
    words = ngettext("at least {n} prior line", "at least {n} prior lines", count).format(n=count)
    return Check(words, Condition("clinical.prior_lines", ">=", count))


def path_checks(path: LabelPath, pack: Pack, locale: str) -> list[Check]:
    """The conditions of one path, each with its words."""
    checks: list[Check] = []
    if path.disease_status:
        wanted = set(path.disease_status)
        if wanted == {"refractory"}:
            words = _("refractory disease")
        elif wanted == {"relapsed"}:
            words = _("relapsed disease")
        else:
            words = _("relapsed or refractory disease")
        checks.append(Check(words, Condition("clinical.disease_status", "in", list(path.disease_status))))
    if path.min_prior_lines is not None:
        checks.append(_lines(path.min_prior_lines))
    if path.min_relapse_count is not None:
        words = (
            _("second or later relapse")
            if path.min_relapse_count == 2
            else _("relapse number {n} or later").format(n=path.min_relapse_count)
        )
        checks.append(Check(words, Condition("clinical.relapse_count", ">=", path.min_relapse_count)))
    if path.relapse_within_months is not None:
        checks.append(
            Check(
                _("relapse within {n} months of the last therapy").format(n=path.relapse_within_months),
                Condition("clinical.months_to_progression", "<=", path.relapse_within_months),
            )
        )
    for classes, template, joiner, fact, operator in (
        (path.prior_classes_all, _("prior {classes}"), _(" and "), "prior_therapy_classes", "includes_all"),
        (path.prior_classes_any, _("prior {classes}"), _(" or "), "prior_therapy_classes", "includes_any"),
        (path.refractory_to_any, _("refractory to {classes}"), _(" or "), "refractory_classes", "includes_any"),
    ):
        if classes:
            words = template.format(classes=_classes(pack, classes, locale, joiner))
            checks.append(Check(words, Condition(fact, operator, list(classes))))
    if path.after_allo_sct:
        checks.append(
            Check(_("after an allogeneic stem-cell transplant"), Condition("clinical.prior_allo_sct", "is_true"))
        )
    if path.transplant_ineligible:
        checks.append(
            Check(_("not fit for a stem-cell transplant"), Condition("clinical.transplant_eligible", "is_false"))
        )
    return checks


_checks: dict[tuple[int, int, str, str], tuple[Approval, Check]] = {}


def approval_check(approval: Approval, pack: Pack, locale: str) -> Check:
    """Everything the approval requires, as one "all of" check with its words (built once per approval,
    pack and language: screening runs on every keystroke)."""
    key = (id(approval), id(pack), locale, current_locale())
    cached = _checks.get(key)
    if cached is not None and cached[0] is approval:
        return cached[1]
    check = _approval_check(approval, pack, locale)
    if len(_checks) > 4096:
        _checks.clear()
    _checks[key] = (approval, check)
    return check


def _approval_check(approval: Approval, pack: Pack, locale: str) -> Check:
    parts: list[Check] = []
    if approval.subtypes:
        indication = pack.indication(approval.indication)
        names = {s.code: pick(s.name, locale) for s in indication.subtypes} if indication else {}
        parts.append(
            Check(
                _("subtype: {subtypes}").format(subtypes=", ".join(names.get(s, s) for s in approval.subtypes)),
                Condition("clinical.subtype", "in", list(approval.subtypes)),
            )
        )
    low, high = approval.age_min, approval.age_max
    if low is not None and high is not None:
        parts.append(
            Check(
                _("age {low} to {high}").format(low=low, high=high),
                all_of=(Check("", Condition("age_years", ">=", low)), Check("", Condition("age_years", "<=", high))),
            )
        )
    elif low is not None:
        parts.append(Check(_("age {low} or older").format(low=low), Condition("age_years", ">=", low)))
    elif high is not None:
        parts.append(Check(_("age {high} or younger").format(high=high), Condition("age_years", "<=", high)))
    for marker, result in approval.biomarkers:
        parts.append(
            Check(f"{MARKER_NAMES[marker]} {_(RESULT_WORDS[result])}", Condition(f"biomarker.{marker}", "==", result))
        )
    if approval.min_prior_lines is not None:
        parts.append(_lines(approval.min_prior_lines))
    paths = [path_checks(p, pack, locale) for p in approval.paths]
    paths = [p for p in paths if p]
    if len(paths) == 1:
        parts.extend(paths[0])
    elif paths:
        alternatives = tuple(Check(_(" and ").join(c.words for c in p), all_of=tuple(p)) for p in paths)
        parts.append(Check(_(", or ").join(a.words for a in alternatives), any_of=alternatives))
    return Check("; ".join(p.words for p in parts), all_of=tuple(parts))


def unmet(check: Check, facts: CaseFacts) -> list[str]:
    """The words of the parts of an "all of" check that do not hold."""
    return [part.words for part in check.all_of if evaluate(part, facts)[0] is False]


def label_finding_parts(
    approvals: Sequence[Approval], facts: CaseFacts, pack: Pack, locale: str
) -> tuple[str, str, str, tuple[str, ...], Approval, str]:
    """(status, what the case says, the label's conditions and what holds, case fields to ask for, the
    approval shown first, what is not met in words) for the approvals of one product, indication and
    region."""
    ordered = sorted(approvals, key=lambda a: a.date)
    results = [(a, approval_check(a, pack, locale)) for a in ordered]
    evaluated = [(a, check, *evaluate(check, facts)) for a, check in results]
    values = [v for _a, _c, v, _m in evaluated]
    status = True if True in values else (None if None in values else False)
    shown = next((a for a, _c, v, _m in evaluated if v is status), ordered[0])
    missing = [f for _a, _c, v, m in evaluated if v is None for f in m] if status is None else []
    names = list(dict.fromkeys(f for _a, check, _v, _m in evaluated for f in check.fields()))
    value = "; ".join(dict.fromkeys(facts.describe(n, pack, locale) for n in names))
    marks = {True: "✓", False: "✗", None: "?"}
    fallback = _("relapsed or refractory disease")
    conditions = " | ".join(
        f"{marks[v]} {a.agency} {a.date}: {check.words or fallback}" for a, check, v, _m in evaluated
    )
    detail = f"{value} — {conditions}" if value else conditions
    fields = tuple(dict.fromkeys(CASE_FIELD.get(f, f) for f in missing))
    reason = ""
    if status is False:  # what each approval in the region misses, in the label's words
        reason = _(" | or: ").join(dict.fromkeys("; ".join(unmet(check, facts)) for _a, check, _v, _m in evaluated))
    return STATUS_OF[status], value, detail, fields, shown, reason


def label_fields(pack: Pack, indication: str) -> tuple[str, ...]:
    """The case fields the labels of ``indication`` turn on, in the order the approvals name them: every
    condition of every approval for it (e.g. follicular lymphoma's "at least 2 prior lines" gives
    ``clinical.prior_lines``), a derived fact by the field it comes from (age by the date of birth)."""
    fields: dict[str, None] = {}
    for therapy in pack.therapies:
        for approval in therapy.approvals:
            if approval.indication == indication:
                for field in approval_check(approval, pack, "en").fields():
                    fields.setdefault(CASE_FIELD.get(field, field), None)
    return tuple(fields)
