"""Turn the pack's validated JSON documents into read-models (see :mod:`planning.knowledge.models`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from planning.knowledge.models import (
    Approval,
    Centre,
    Condition,
    CostDefault,
    Criterion,
    Destination,
    DrugClass,
    Faq,
    GlossaryTerm,
    Indication,
    JourneyPoint,
    JourneyTopic,
    LabelPath,
    Note,
    Overview,
    Pack,
    PackInfo,
    Price,
    Range,
    Rate,
    Regimen,
    Source,
    Sourced,
    Subtype,
    Therapy,
    VisaRule,
)


def _sourced(record: Mapping[str, Any]) -> Sourced:
    return Sourced(
        source=record["source"],
        as_of=record["as_of"],
        unverified=record.get("unverified", False),
        estimate=record.get("estimate", False) is True,
        basis=record.get("basis", {}),
    )


def _range(value: Mapping[str, Any] | None) -> Range | None:
    return Range(value["low"], value["high"]) if value else None


def _note(record: Mapping[str, Any]) -> Note:
    return Note(
        text=record["text"],
        sourced=_sourced(record),
        topic=record.get("topic", ""),
        days=_range(record.get("days")),
    )


def _price(record: Mapping[str, Any]) -> Price:
    high = record.get("amount_high")
    return Price(
        label=record["label"],
        amount=Decimal(record["amount"]),
        amount_high=Decimal(high) if high is not None else None,
        currency=record["currency"],
        year=record.get("year", record["as_of"][:4]),
        sourced=_sourced(record),
        therapy=record.get("therapy", ""),
        indication=record.get("indication", ""),
        excludes_hospital=record.get("excludes_hospital", False),
        topic=record.get("topic", ""),
    )


def source(record: Mapping[str, Any]) -> Source:
    return Source(
        id=record["id"],
        title=record["title"],
        publisher=record["publisher"],
        date=record["date"],
        citation=record.get("citation", ""),
        url=record.get("url", ""),
        note=record.get("note", {}),
        read_on=record.get("read_on", ""),
        kind=record.get("kind", ""),
    )


def _path(record: Mapping[str, Any]) -> LabelPath:
    return LabelPath(
        min_prior_lines=record.get("min_prior_lines"),
        disease_status=tuple(record.get("disease_status", [])),
        min_relapse_count=record.get("min_relapse_count"),
        relapse_within_months=record.get("relapse_within_months"),
        prior_classes_all=tuple(record.get("prior_classes_all", [])),
        prior_classes_any=tuple(record.get("prior_classes_any", [])),
        refractory_to_any=tuple(record.get("refractory_to_any", [])),
        after_allo_sct=record.get("after_allo_sct", False),
        transplant_ineligible=record.get("transplant_ineligible", False),
    )


def therapy(record: Mapping[str, Any]) -> Therapy:
    return Therapy(
        id=record["id"],
        generic_name=record["generic_name"],
        short_name=record["short_name"],
        brand_names=tuple((b["name"], b.get("region", "")) for b in record["brand_names"]),
        maker=record["maker"],
        target=record["target"],
        summary=record["summary"],
        sourced=_sourced(record),
        approvals=tuple(
            Approval(
                agency=a["agency"],
                region=a["region"],
                date=a["date"],
                indication=a["indication"],
                line=a["line"],
                wording=a["wording"],
                sourced=_sourced(a),
                min_prior_lines=a.get("min_prior_lines"),
                age_min=a.get("age_min"),
                age_max=a.get("age_max"),
                pathway=a.get("pathway", "full"),
                subtypes=tuple(a.get("subtypes", [])),
                biomarkers=tuple(sorted(a.get("biomarkers", {}).items())),
                paths=tuple(_path(p) for p in a.get("paths", [])),
            )
            for a in record["approvals"]
        ),
        boxed_warnings=tuple(_note(w) for w in record["boxed_warnings"]),
        logistics=tuple(_note(n) for n in record.get("logistics", [])),
    )


def indication(record: Mapping[str, Any]) -> Indication:
    return Indication(
        code=record["code"],
        name=record["name"],
        category=record["category"],
        status=record["status"],
        description=record["description"],
        sourced=_sourced(record),
        aliases=tuple(record.get("aliases", [])),
        research_notes=tuple(_note(n) for n in record.get("research_notes", [])),
        subtypes=tuple(Subtype(s["code"], s["name"]) for s in record.get("subtypes", [])),
        asks=tuple(record.get("asks", [])),
    )


def criterion(record: Mapping[str, Any]) -> Criterion:
    raw = [record["condition"]] if "condition" in record else record["any_of"]
    applies = record["applies_to"]
    return Criterion(
        id=record["id"],
        label=record["label"],
        kind=record["kind"],
        conditions=tuple(Condition(c["field"], c["operator"], c.get("value")) for c in raw),
        indications=tuple(applies["indications"]),
        therapies=tuple(applies.get("therapies", [])),
        regions=tuple(applies.get("regions", [])),
        detail=record["detail"],
        sourced=_sourced(record),
        excludes=record.get("excludes", False),
        temporary=record.get("temporary", False),
    )


def destination(record: Mapping[str, Any]) -> Destination:
    o = record["overview"]
    return Destination(
        code=record["code"],
        name=record["name"],
        overview=Overview(
            package_cost_usd=Decimal(o["package_cost_usd"]),
            hospital_stay_weeks=Range(o["hospital_stay_weeks"]["low"], o["hospital_stay_weeks"]["high"]),
            local_biotech=o["local_biotech"],
            waiting_months=Range(o["waiting_months"]["low"], o["waiting_months"]["high"]),
            insurance=o["insurance"],
            research=o["research"],
            sourced=_sourced(o),
            package_cost_note=o.get("package_cost_note", {}),
            insurance_note=o.get("insurance_note", {}),
        ),
        list_prices=tuple(_price(p) for p in record["list_prices"]),
        other_costs=tuple(_price(p) for p in record.get("other_costs", [])),
        logistics=tuple(_note(n) for n in record["logistics"]),
    )


def faq(record: Mapping[str, Any]) -> Faq:
    return Faq(
        id=record["id"],
        question=record["question"],
        answer=record["answer"],
        sourced=_sourced(record),
        related=tuple(record.get("related", [])),
    )


def drug_class(record: Mapping[str, Any]) -> DrugClass:
    return DrugClass(id=record["id"], label=record["label"], names=tuple(record["names"]), sourced=_sourced(record))


def regimen(record: Mapping[str, Any]) -> Regimen:
    return Regimen(
        name=record["name"],
        aliases=tuple(record.get("aliases", [])),
        components=record["components"],
        classes=tuple(record["classes"]),
        sourced=_sourced(record),
    )


def rate(record: Mapping[str, Any]) -> Rate:
    return Rate(
        base=record["base"],
        quote=record["quote"],
        rate=Decimal(record["rate"]),
        sourced=_sourced(record),
        outdated=record.get("outdated", False),
        fixed=record.get("fixed", False),
    )


def cost_default(record: Mapping[str, Any]) -> CostDefault:
    return CostDefault(
        country=record["country"],
        item=record["item"],
        low=Decimal(record["low"]),
        high=Decimal(record["high"]),
        currency=record["currency"],
        label=record["label"],
        estimate=record["estimate"],
        sourced=_sourced(record),
    )


def journey_topic(record: Mapping[str, Any]) -> JourneyTopic:
    return JourneyTopic(
        id=record["id"],
        kind=record["kind"],
        title=record["title"],
        intro=record.get("intro", {}),
        points=tuple(
            JourneyPoint(
                id=p["id"],
                text=p["text"],
                sourced=_sourced(p),
                indications=tuple(p.get("indications", [])),
                destinations=tuple(p.get("destinations", [])),
            )
            for p in record["points"]
        ),
    )


def centre(record: Mapping[str, Any]) -> Centre:
    return Centre(
        id=record["id"],
        name=record["name"],
        city=record["city"],
        country=record["country"],
        international=record["international"],
        accreditation=tuple(record["accreditation"]),
        sourced=_sourced(record),
        url=record.get("url", ""),
        note=record.get("note", {}),
    )


def visa_rule(record: Mapping[str, Any]) -> VisaRule:
    return VisaRule(
        id=record["id"],
        destination=record["destination"],
        group=record["group"],
        nationalities=tuple(record.get("nationalities", [])),
        patient=record["patient"],
        companion=record["companion"],
        sourced=_sourced(record),
    )


def glossary_term(record: Mapping[str, Any]) -> GlossaryTerm:
    return GlossaryTerm(id=record["id"], term=record["term"], meaning=record["meaning"], sourced=_sourced(record))


def pack(documents: Mapping[str, Any]) -> Pack:
    """A :class:`Pack` from validated documents keyed by kind (``pack``, ``sources``, ...)."""
    meta = documents["pack"]
    return Pack(
        info=PackInfo(
            version=meta["version"],
            as_of=meta["as_of"],
            title=meta["title"],
            locales=tuple(meta["locales"]),
            recheck_months=meta.get("recheck_months", 18),
        ),
        sources={s["id"]: source(s) for s in documents["sources"]},
        therapies=tuple(therapy(t) for t in documents["therapies"]),
        indications=tuple(indication(i) for i in documents["indications"]),
        criteria=tuple(criterion(c) for c in documents["criteria"]),
        destinations=tuple(destination(d) for d in documents["destinations"]),
        faqs=tuple(faq(f) for f in documents["faqs"]),
        drug_classes=tuple(drug_class(d) for d in documents["drug_classes"]),
        regimens=tuple(regimen(r) for r in documents["regimens"]),
        rates=tuple(rate(r) for r in documents["rates"]),
        cost_defaults=tuple(cost_default(c) for c in documents["cost_defaults"]),
        journey=tuple(journey_topic(t) for t in documents.get("journey") or []),
        centres=tuple(centre(c) for c in documents.get("centres") or []),
        visas=tuple(visa_rule(v) for v in documents.get("visas") or []),
        glossary=tuple(glossary_term(g) for g in documents.get("glossary") or []),
        raw=dict(documents),
    )
