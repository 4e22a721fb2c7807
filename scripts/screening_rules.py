"""The screening rules as a page a clinician can review without reading code: docs/screening-rules.md.

    python scripts/screening_rules.py           # write docs/screening-rules.md from the bundled pack
    python scripts/screening_rules.py --check   # exit 1 when the committed page is out of date

Everything on the page comes from the knowledge pack (resources/knowledge/): every product's approvals
with their label conditions, the criteria that apply to it, the shared criteria and their sources. The
condition words are the ones screening itself shows (planning.label.path_checks), in English. The
output is deterministic: pack order for products and criteria, no date of generation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planning.facts import MARKER_NAMES, RESULT_WORDS  # noqa: E402
from planning.i18n import locale_scope  # noqa: E402
from planning.knowledge.models import Approval, Condition, Criterion, Pack, Therapy, pick  # noqa: E402
from planning.knowledge.pack import load_pack  # noqa: E402
from planning.label import path_checks  # noqa: E402

PAGE = ROOT / "docs" / "screening-rules.md"
REGIONS = ("US", "EU", "GB", "CN")
KIND_ORDER = ("label", "exclusion", "trial")
CLASS_FIELDS = ("prior_therapy_classes", "refractory_classes")
LIST_OPERATORS = {
    "in": "is one of",
    "not_in": "is none of",
    "includes_any": "includes any of",
    "includes_all": "includes all of",
}

INTRO = """\
# Screening rules

> Generated from the knowledge pack (`resources/knowledge/`) by `scripts/screening_rules.py`.
> Do not edit this page by hand: change the pack and run `python scripts/screening_rules.py`
> (the tests fail when this page is out of date). This is counseling information for a clinician to
> review, not medical advice: the treating centre decides.

Knowledge pack {version}, as of {as_of}.

## How screening works

Every criterion is one of three kinds:

- **label**: a condition of that region's approval of the product (subtypes, age, biomarkers, lines of
  therapy, disease status, relapse count and timing, required prior drug classes, refractoriness,
  transplant history or fitness). Where a label has several paths, any one of them suffices; several
  approvals of one product for one disease in one region (a third-line and a second-line approval) are
  alternatives too.
- **exclusion**: a firm contraindication shared by guidance; a temporary one (an infection) rules a
  case out only "until resolved".
- **trial**: a typical threshold of the product's own pivotal trial, not a condition of the label.

The verdict for a product in a region:

1. a label or exclusion criterion not met: **not eligible** (`not_eligible`);
2. else anything unknown: **needs information** (`needs_information`);
3. else a trial criterion not met: **centre review** (`centre_review`): fits the label but is outside
   the typical trial thresholds, the treating centre decides;
4. else: **candidate** (`candidate`).

A disease with no approved product is **investigational** (`investigational`): clinical trials only.

Conditions are written as the case field, the operator and the value (`clinical.ecog <= 1`); a
criterion with several conditions is met when any one of them holds. "Excluded if" marks a criterion
that describes what rules a case out.
"""


def source_text(pack: Pack, source_id: str) -> str:
    """The source as a Markdown link with its publisher and date."""
    source = pack.sources.get(source_id)
    if source is None:
        return f"`{source_id}` (not in the pack)"
    title = source.title.replace("[", "(").replace("]", ")")
    link = f"[{title}]({source.url})" if source.url else f"{title} (no link recorded)"
    return f"{link}, {source.publisher}, {source.date}"


def class_labels(pack: Pack) -> dict[str, str]:
    return {d.id: pick(d.label) for d in pack.drug_classes}


def condition_text(condition: Condition, pack: Pack) -> str:
    """One condition as field, operator and value: `clinical.ecog <= 1`."""
    field, operator, value = condition.field, condition.operator, condition.value
    if operator == "is_true":
        return f"`{field} is true`"
    if operator == "is_false":
        return f"`{field} is false`"
    if isinstance(value, list | tuple):
        text = f"`{field} {LIST_OPERATORS.get(operator, operator)} [{', '.join(str(v) for v in value)}]`"
        if field in CLASS_FIELDS:
            labels = class_labels(pack)
            text += f" ({', '.join(labels.get(str(v), str(v)) for v in value)})"
        return text
    return f"`{field} {operator} {value}`"


def criterion_text(criterion: Criterion, pack: Pack, indications: str) -> str:
    """A criterion as one bullet: its label, rule, detail, where it applies and its source."""
    rule = " or ".join(condition_text(c, pack) for c in criterion.conditions)
    rule = f"excluded if {rule}" if criterion.excludes else f"requires {rule}"
    if criterion.temporary:
        rule += " (until resolved)"
    parts = [f"- **{pick(criterion.label)}** ({criterion.kind}, `{criterion.id}`): {rule}."]
    detail = pick(criterion.detail).strip()
    if detail:
        parts.append(detail)
    parts.append(f"Applies to: {indications}.")
    if criterion.regions:
        parts.append(f"Regions: {', '.join(criterion.regions)}.")
    parts.append(f"Source: {source_text(pack, criterion.sourced.source)}.")
    return " ".join(parts)


def indication_name(pack: Pack, code: str) -> str:
    indication = pack.indication(code)
    return pick(indication.name) if indication else code


def label_conditions(approval: Approval, pack: Pack) -> list[str]:
    """The approval's conditions in plain words, one entry per condition (paths as one entry)."""
    words: list[str] = []
    if approval.subtypes:
        indication = pack.indication(approval.indication)
        names = {s.code: pick(s.name) for s in indication.subtypes} if indication else {}
        words.append("subtypes (any of): " + "; ".join(names.get(s, s) for s in approval.subtypes))
    low, high = approval.age_min, approval.age_max
    if low is not None and high is not None:
        words.append(f"age {low} to {high}")
    elif low is not None:
        words.append(f"age {low} or older")
    elif high is not None:
        words.append(f"age {high} or younger")
    for marker, result in approval.biomarkers:
        words.append(f"{MARKER_NAMES.get(marker, marker)} {RESULT_WORDS.get(result, result)}")
    if approval.min_prior_lines is not None:
        n = approval.min_prior_lines
        words.append(f"at least {n} prior line{'' if n == 1 else 's'}")
    paths = [", ".join(c.words for c in path_checks(p, pack, "en")) for p in approval.paths]
    paths = [p for p in paths if p]
    if len(paths) == 1:
        words.append(paths[0])
    elif paths:
        words.append("any one of: " + "; ".join(f"Path {i}: {p}" for i, p in enumerate(paths, 1)))
    return words


def approval_lines(approval: Approval, pack: Pack) -> list[str]:
    conditions = label_conditions(approval, pack) or ["none recorded beyond the shared label criteria"]
    return [
        f"- **{approval.region}**: {approval.agency}, {approval.date}, pathway: {approval.pathway}",
        "  - Label conditions (all must hold):",
        *(f"    - {words}" for words in conditions),
        f"  - Label wording: {pick(approval.wording)}",
        f"  - Source: {source_text(pack, approval.sourced.source)}",
    ]


def applies_to(criterion: Criterion, indications: Iterable[str]) -> list[str]:
    """The indications (of those given) the criterion applies to."""
    return [code for code in indications if code in criterion.indications or "*" in criterion.indications]


def indication_list(pack: Pack, codes: Iterable[str]) -> str:
    return ", ".join(f"{indication_name(pack, c)} (`{c}`)" for c in codes)


def product_section(therapy: Therapy, pack: Pack) -> list[str]:
    approved = {a.indication for a in therapy.approvals}
    codes = [i.code for i in pack.indications if i.code in approved]
    codes += sorted(approved - set(codes))
    lines = [f"## {therapy.generic_name} ({therapy.short_name}; {therapy.brands})", ""]
    lines += [f"Target: {therapy.target}. Maker: {therapy.maker}.", ""]
    for code in codes:
        lines += [f"### {indication_name(pack, code)} (`{code}`)", ""]
        approvals = sorted(
            (a for a in therapy.approvals if a.indication == code),
            key=lambda a: (REGIONS.index(a.region) if a.region in REGIONS else len(REGIONS), a.region, a.date),
        )
        for approval in approvals:
            lines += approval_lines(approval, pack)
        lines.append("")
    criteria = [
        (c, applies_to(c, codes))
        for c in pack.criteria
        if (c.kind == "trial" or c.therapies) and (not c.therapies or therapy.id in c.therapies)
    ]
    criteria = [(c, where) for c, where in criteria if where]
    lines += [f"### Criteria for {therapy.short_name}", ""]
    if criteria:
        criteria.sort(key=lambda cw: KIND_ORDER.index(cw[0].kind) if cw[0].kind in KIND_ORDER else len(KIND_ORDER))
        lines += [criterion_text(c, pack, indication_list(pack, where)) for c, where in criteria]
    else:
        lines.append("No trial criteria recorded for this product.")
    lines.append("")
    return lines


def render(pack: Pack) -> str:
    """The whole page for ``pack``, in English."""
    with locale_scope("en"):
        lines = [INTRO.format(version=pack.info.version, as_of=pack.info.as_of)]
        for therapy in pack.therapies:
            lines += product_section(therapy, pack)
        lines += ["## Shared criteria", "", "Label and exclusion criteria without a product list:", ""]
        shared = [c for c in pack.criteria if c.kind != "trial" and not c.therapies]
        shared.sort(key=lambda c: KIND_ORDER.index(c.kind) if c.kind in KIND_ORDER else len(KIND_ORDER))
        for criterion in shared:
            where = "every indication" if "*" in criterion.indications else indication_list(pack, criterion.indications)
            lines.append(criterion_text(criterion, pack, where))
        lines += ["", "## Indications without an approved product", ""]
        for indication in pack.indications:
            if indication.status != "approved":
                lines.append(f"- `{indication.code}`: {pick(indication.name)}, status: {indication.status}")
    return "\n".join(lines).rstrip() + "\n"


def generate(pack_dir: Path | None = None) -> str:
    """The page generated from the pack in ``pack_dir`` (default: the bundled pack)."""
    return render(load_pack(pack_dir))


def _shown(page: Path) -> str:
    page = page.resolve()
    return page.relative_to(ROOT).as_posix() if page.is_relative_to(ROOT) else str(page)


def check(pack_dir: Path | None = None, page: Path = PAGE) -> bool:
    """True when ``page`` is exactly what the pack generates."""
    current = page.read_text("utf-8") if page.is_file() else ""
    return current == generate(pack_dir)


def main(argv: list[str] | None = None, pack_dir: Path | None = None, page: Path = PAGE) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the page is out of date")
    args = parser.parse_args(argv)
    if args.check:
        if not check(pack_dir, page):
            print(f"{_shown(page)} is out of date: run python scripts/screening_rules.py", file=sys.stderr)
            return 1
        return 0
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(generate(pack_dir), "utf-8")
    print(f"wrote {_shown(page)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
