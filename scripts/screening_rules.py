"""The screening rules as a page a clinician can review without reading code: docs/screening-rules.md.

    python scripts/screening_rules.py           # write docs/screening-rules.md from the bundled pack
    python scripts/screening_rules.py --check   # exit 1 when the committed page is out of date

Everything on the page comes from the knowledge pack (resources/knowledge/): every product's approvals
with their label conditions, the trial thresholds and exclusions that apply to it, and the sources.
The words are the ones screening itself shows (planning.label), so the page and the app cannot drift.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planning.i18n import set_locale  # noqa: E402
from planning.knowledge.models import Condition, Criterion, Pack, Source, Therapy, pick  # noqa: E402
from planning.knowledge.pack import load_pack  # noqa: E402
from planning.label import approval_check  # noqa: E402

PAGE = ROOT / "docs" / "screening-rules.md"
REGIONS = ("US", "EU", "GB", "CN")
OPERATORS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "=", "!=": "≠"}

INTRO = """# Screening rules (generated)

This page lists every rule CarePlan Desk screens a case with. It is generated from the knowledge pack
(`resources/knowledge/`) by `scripts/screening_rules.py`; do not edit it by hand (CI fails when it is
out of date). It is counseling information for a clinician to review, not medical advice: the
treating centre decides.

Per product and region, each criterion is one of three kinds:

- **label**: a condition of that region's approval (subtype, age, biomarkers, lines of therapy,
  required prior drug classes, refractoriness, relapse timing or count, transplant ineligibility).
  Where a label has alternatives ("paths"), any one suffices; several approvals in one region (a
  third-line and a second-line approval) are alternatives too.
- **exclusion**: a firm contraindication that guidance shares; a temporary one rules out "until
  resolved".
- **trial**: a typical threshold of the product's own pivotal trial.

The verdict in a region: a label or exclusion not met → **not eligible**; otherwise anything unknown
→ **needs information**; otherwise a trial threshold not met → **centre review** (fits the label,
outside the typical trial criteria: the treating centre decides); otherwise **candidate**. A
disease with no approved product is **investigational: clinical trials only** and runs no oncology
criteria. A product's verdict is its best region's.
"""


def source_text(source: Source | None, source_id: str) -> str:
    if source is None:
        return f"`{source_id}` (not in the pack)"
    link = f"[{source.title}]({source.url})" if source.url else f"{source.title} (no link recorded)"
    return f"{link} — {source.publisher}, {source.date}"


def condition_text(condition: Condition) -> str:
    value = condition.value
    if condition.operator in OPERATORS:
        return f"`{condition.field}` {OPERATORS[condition.operator]} {value}"
    if condition.operator == "is_true":
        return f"`{condition.field}` is yes"
    if condition.operator == "is_false":
        return f"`{condition.field}` is no"
    listed = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    words = {"in": "is one of", "not_in": "is none of", "includes_all": "includes all of"}
    return f"`{condition.field}` {words.get(condition.operator, condition.operator.replace('_', ' '))} {listed}"


def criterion_text(criterion: Criterion, pack: Pack) -> str:
    joined = " or ".join(condition_text(c) for c in criterion.conditions)
    rule = f"excluded if {joined}" if criterion.excludes else f"needs {joined}"
    if criterion.temporary:
        rule += " (until resolved)"
    return (
        f"- **{pick(criterion.label)}** ({criterion.kind}): {rule}. {pick(criterion.detail)} "
        f"Source: {source_text(pack.sources.get(criterion.sourced.source), criterion.sourced.source)}."
    )


def applies(criterion: Criterion, therapy: Therapy, indication: str) -> bool:
    return (indication in criterion.indications or "*" in criterion.indications) and (
        therapy.id in criterion.therapies or not criterion.therapies
    )


def product_section(therapy: Therapy, pack: Pack) -> list[str]:
    lines = [f"## {therapy.generic_name} ({therapy.short_name}; {therapy.brands}) — {therapy.target}", ""]
    indications = list(dict.fromkeys(a.indication for a in therapy.approvals))
    for code in indications:
        indication = pack.indication(code)
        lines += [f"### {pick(indication.name) if indication else code}", ""]
        approvals = sorted(
            (a for a in therapy.approvals if a.indication == code),
            key=lambda a: (REGIONS.index(a.region) if a.region in REGIONS else len(REGIONS), a.date),
        )
        for approval in approvals:
            check = approval_check(approval, pack, "en")
            pathway = "" if approval.pathway == "full" else f", {approval.pathway}"
            lines.append(f"- **{approval.region}** — {approval.agency} {approval.date}{pathway}")
            lines.append(f"  - Label conditions: {check.words or 'relapsed or refractory disease'}")
            lines.append(f"  - Wording: {pick(approval.wording)}")
            lines.append(
                f"  - Source: {source_text(pack.sources.get(approval.sourced.source), approval.sourced.source)}"
            )
        trials = [c for c in pack.criteria if c.kind == "trial" and c.therapies and applies(c, therapy, code)]
        if trials:
            lines += ["", "Trial thresholds (a case outside them: centre review):", ""]
            lines += [criterion_text(c, pack) for c in trials]
        lines.append("")
    return lines


def render(pack: Pack) -> str:
    """The whole page for ``pack``."""
    set_locale("en")
    lines = [INTRO]
    for therapy in pack.therapies:
        lines += product_section(therapy, pack)
    lines += ["## Shared criteria", "", "Every product of the indications named (no product list):", ""]
    shared = [c for c in pack.criteria if not c.therapies]
    for criterion in sorted(shared, key=lambda c: ("label", "exclusion", "trial").index(c.kind)):
        where = ", ".join(criterion.indications)
        lines.append(criterion_text(criterion, pack) + f" Indications: {where}.")
    lines += ["", "## Diseases without an approved product", ""]
    for indication in pack.indications:
        if indication.status != "approved":
            lines.append(f"- {pick(indication.name)} (`{indication.code}`): {indication.status.replace('_', ' ')}")
    return "\n".join(lines).rstrip() + "\n"


def _shown(page: Path) -> str:
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else str(page)


def main(argv: list[str] | None = None, pack_dir: Path | None = None, page: Path = PAGE) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the page is out of date")
    args = parser.parse_args(argv)
    text = render(load_pack(pack_dir))
    if args.check:
        current = page.read_text("utf-8") if page.exists() else ""
        if current != text:
            print(f"{_shown(page)} is out of date: run python scripts/screening_rules.py", file=sys.stderr)
            return 1
        return 0
    page.write_text(text, "utf-8")
    print(f"wrote {_shown(page)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
